import { describe, expect, it } from 'vitest';
import type { SetupIntent } from '../../../shared/setup';
import { expectChineseFor } from '../localized-text.test-support';
import type { UciConfigs } from '../uci/model';
import { mtuLadder } from './mtu';
import { mtuArithmeticZh, planSetup } from './plan-setup';
import type { RouterFacts } from './plan-setup';
import { seedIntent } from './seed-intent.test-support';
import { readSetupConfigs as readConfigs } from './setup-fixtures.test-support';

const router: RouterFacts = {
  configs: readConfigs('factory-router'),
  packageManager: 'opkg',
  installedPackages: [],
};

function notesOf(intent: SetupIntent, home?: UciConfigs) {
  const result = planSetup(intent, router, home ? { configs: home } : undefined);
  if (result.kind !== 'ok') throw new Error(JSON.stringify(result));
  return result.plan;
}

function expectEveryNote(plan: { notes: string[]; notesLocalized: { 'zh-CN': string[] } }) {
  const zh = plan.notesLocalized['zh-CN'];
  expect(zh).toHaveLength(plan.notes.length);
  plan.notes.forEach((en, i) => expectChineseFor(en, zh[i], `note ${i}`));
}

describe('setup plan notes in Simplified Chinese, note for note', () => {
  it('for the seed intent (option 26) with the same MTUs', () => {
    const plan = notesOf(seedIntent, readConfigs('seed-home'));
    expectEveryNote(plan);
    expect(plan.notes.slice(0, plan.mtu.arithmetic.length)).toEqual(plan.mtu.arithmetic);
  });

  it('for VXLAN at 1500, a LAN that moves and a home without br-lan', () => {
    const home = readConfigs('seed-home');
    const network = home['network'];
    if (!network) throw new Error('seed-home has a network config');
    const withoutBridge: UciConfigs = {
      ...home,
      network: {
        ...network,
        sections: network.sections.filter(
          (s) => s.type !== 'device' && s.name !== 'vxlan0' && s.type !== 'vxlan_peer',
        ),
      },
    };
    const plan = notesOf(
      {
        ...seedIntent,
        l2MtuStrategy: 'vxlan-1500-fragment',
        underlayMtu: 1492,
        travel: { ...seedIntent.travel, lanAddress: '192.168.77.1/24' },
      },
      withoutBridge,
    );
    expectEveryNote(plan);
    const zh = plan.notesLocalized['zh-CN'];
    expect(zh.some((n) => n.includes('192.168.77.1/24'))).toBe(true);
    expect(zh.some((n) => n.includes('br-lan') && n.includes('vxlan0'))).toBe(true);
    expect(plan.notes.length).toBeGreaterThan(plan.mtu.arithmetic.length + 2);
  });

  it('the arithmetic lines carry the ladder numbers for each strategy and underlay', () => {
    for (const underlay of [1500, 1492, 1280])
      for (const strategy of ['dhcp-option-26', 'vxlan-1500-fragment'] as const) {
        const ladder = mtuLadder(underlay, strategy);
        const zh = mtuArithmeticZh(ladder, strategy);
        expect(zh).toHaveLength(ladder.arithmetic.length);
        ladder.arithmetic.forEach((en, i) => expectChineseFor(en, zh[i], `${underlay} ${i}`));
      }
  });
});
