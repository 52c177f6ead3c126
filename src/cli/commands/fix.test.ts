import { describe, expect, it } from 'vitest';
import type { FixApplyRequest, FixPlanRequest, FixPlanView } from '../../shared/remedy';
import { ok } from '../../shared/result';
import { main } from '../index';
import type { Output } from '../output';
import { captureOutput } from '../output.test-support';
import { fixCommandLine, runFixCommand } from './fix';
import type { FixCliDeps } from './fix';

const view: FixPlanView = {
  schema: 'homeward.fix/1',
  remedy: { kind: 'home-dhcp-mtu', end: 'home', mtu: 1370 },
  end: 'home',
  view: {
    batch: "add_list dhcp.lan.dhcp_option='26,1370'\ncommit dhcp\n",
    reloads: ['/etc/init.d/dnsmasq reload'],
    packagesToInstall: [],
    previews: [{ config: 'dhcp', unified: "+\tlist dhcp_option '26,1370'\n" }],
  },
  notes: ['reconnect the headset'],
};

function deps(output: Output, seen: { plan?: FixPlanRequest; apply?: FixApplyRequest }) {
  const d: FixCliDeps = {
    output,
    plan: (request) => {
      seen.plan = request;
      return Promise.resolve(ok(view));
    },
    apply: (request) => {
      seen.apply = request;
      return Promise.resolve(
        ok({
          schema: 'homeward.fix/1',
          outcome: 'rolled-back',
          ends: [{ end: 'home', outcome: 'rolled-back', message: 'did not come back' }],
          plan: view,
          durationMs: 5,
        }),
      );
    },
  };
  return d;
}

describe('homeward fix', () => {
  it('plans a home remedy with the home target and prints the diff', async () => {
    const out = captureOutput();
    const seen: { plan?: FixPlanRequest } = {};
    const code = await runFixCommand(
      [
        'plan',
        '--remedy',
        'home-dhcp-mtu',
        '--mtu',
        '1370',
        '--home',
        '192.0.2.2',
        '--port',
        '2222',
      ],
      deps(out.output, seen),
    );
    expect(code).toBe(0);
    expect(seen.plan).toEqual({
      remedy: { kind: 'home-dhcp-mtu', end: 'home', mtu: 1370 },
      home: { host: '192.0.2.2', port: 2222, user: 'root', acceptNewHostKey: false },
    });
    expect(out.outText).toContain("list dhcp_option '26,1370'");
    expect(out.outText).toContain('Note: reconnect the headset');
  });

  it('apply passes the rollback time and exits 1 when the end rolled back', async () => {
    const out = captureOutput();
    const seen: { apply?: FixApplyRequest } = {};
    const code = await runFixCommand(
      [
        'apply',
        '--remedy',
        'router-wifi-width',
        '--radio',
        'radio1',
        '--htmode',
        'HE80',
        '--router',
        '192.168.8.1',
        '--rollback-s',
        '60',
      ],
      deps(out.output, seen),
    );
    expect(code).toBe(1);
    expect(seen.apply?.rollbackS).toBe(60);
    expect(seen.apply?.router?.host).toBe('192.168.8.1');
    expect(out.outText).toContain('home: rolled-back: did not come back');
  });

  it.each([
    [['plan'], '--remedy KIND is required'],
    [['plan', '--remedy', 'reboot'], 'unknown remedy "reboot"'],
    [['plan', '--remedy', 'home-dhcp-mtu'], '--mtu N is required'],
    [['plan', '--remedy', 'home-dhcp-mtu', '--mtu', '1370', '--router', 'r'], 'use --home'],
    [['plan', '--remedy', 'router-wifi-width', '--radio', 'radio1'], '--htmode MODE'],
    [['apply', '--remedy', 'home-dhcp-mtu', '--mtu', '1370'], 'apply needs --home HOST'],
    [
      ['apply', '--remedy', 'home-dhcp-mtu', '--mtu', '1370', '--home', 'h', '--rollback-s', '5'],
      '--rollback-s',
    ],
    [['undo'], 'unknown fix command "undo"'],
  ])('%j is a one-line usage error with exit 2', async (args, message) => {
    const out = captureOutput();
    const code = await main(['fix', ...args], { output: out.output });
    expect(code).toBe(2);
    expect(out.errText).toContain(message);
    expect(out.errText.trim().split('\n')).toHaveLength(1);
  });
});

describe('fixCommandLine', () => {
  it('spells the apply command for each remedy', () => {
    expect(fixCommandLine({ kind: 'home-dhcp-mtu', end: 'home', mtu: 1400 })).toBe(
      'homeward fix apply --remedy home-dhcp-mtu --mtu 1400 --home HOME',
    );
    expect(
      fixCommandLine(
        { kind: 'router-wifi-width', end: 'router', radio: 'radio0', htmode: 'VHT80' },
        '192.168.9.1',
      ),
    ).toBe(
      'homeward fix apply --remedy router-wifi-width --radio radio0 --htmode VHT80 --router 192.168.9.1',
    );
  });
});
