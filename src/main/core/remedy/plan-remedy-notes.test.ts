import { describe, expect, it } from 'vitest';
import { expectChineseFor } from '../localized-text.test-support';
import { readSetupConfigs as readConfigs } from '../setup/setup-fixtures.test-support';
import { planRemedy } from './plan-remedy';

describe('remedy plan notes in Simplified Chinese, note for note', () => {
  it.each([
    [{ kind: 'home-dhcp-mtu', end: 'home', mtu: 1370 }, 'seed-home', true],
    [{ kind: 'home-dhcp-mtu', end: 'home', mtu: 1320 }, 'seed-home', false],
    [
      { kind: 'router-wifi-width', end: 'router', radio: 'radio1', htmode: 'HE80' },
      'factory-router',
      false,
    ],
  ] as const)('%j', (remedy, fixture, known) => {
    const result = planRemedy(remedy, known ? readConfigs(fixture) : {}, known);
    if (result.kind !== 'ok') throw new Error(JSON.stringify(result));
    const zh = result.notesLocalized['zh-CN'];
    expect(result.notes.length).toBeGreaterThan(0);
    expect(zh).toHaveLength(result.notes.length);
    result.notes.forEach((en, i) => expectChineseFor(en, zh[i], `note ${i}`));
  });
});
