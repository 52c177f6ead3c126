import { afterEach, expect, it } from 'vitest';
import type { FixApplyReport, FixPlanView } from '../../src/shared/remedy';
import { describeLab } from '../lab/describe-lab';
import { startLab } from '../lab/index';
import type { Lab } from '../lab/index';
import { doctorArgs, runDoctorCli, tempDataDir } from './doctor-harness';

// A finding's remedy applied through the CLI on the lab: the L2 black hole is fixed at home
// with the MTU the doctor measured, through the same armed-rollback apply as setup.

let lab: Lab | undefined;
let data: ReturnType<typeof tempDataDir> | undefined;

afterEach(async () => {
  await lab?.stop();
  lab = undefined;
  data?.cleanup();
  data = undefined;
});

/** The lab key, the test's own known_hosts, and first-use trust: how each fix run signs in. */
function access(l: Lab): string[] {
  return ['--identity', l.keyPath, '--known-hosts', data!.knownHosts, '--accept-new-host-key'];
}

async function homeDhcp(l: Lab): Promise<string> {
  return l.execOk('home', 'uci export dhcp');
}

describeLab('fix: a finding remedy applied with rollback', () => {
  it('L2 black hole: the doctor offers home-dhcp-mtu; fix apply sets it at home and the next run is clean', async () => {
    const l = (lab = await startLab('default', { l2ClientMtu1500: true }));
    data = tempDataDir();
    const doctor = (extra: string[]) =>
      runDoctorCli(l, data!.dir, doctorArgs(l, data!.knownHosts, ['--json', '--quick', ...extra]));
    const before = await doctor(['--no-history']);
    const finding = before.json?.verdict.findings.find((f) => f.id === 'mtu.l2-black-hole');
    expect(finding?.remedy, before.stderr).toEqual({
      kind: 'home-dhcp-mtu',
      end: 'home',
      mtu: expect.any(Number) as number,
    });
    const mtu = finding?.remedy?.kind === 'home-dhcp-mtu' ? finding.remedy.mtu : 0;
    // The remedy carries the measured L2 path MTU, not a constant.
    const l2 = before.json?.checks.find((c) => c.id === 'mtu.l2');
    expect(mtu).toBe(l2?.data['pathMtu']);

    // Home's SSH from the laptop, through the router's NAT to home's WAN (as from a hotel).
    await l.execOk('home', 'iptables -I INPUT -p tcp --dport 22 -j ACCEPT');
    const homeArgs = [
      '--remedy',
      'home-dhcp-mtu',
      '--mtu',
      String(mtu),
      '--home',
      '192.0.2.2',
      ...access(l),
      '--json',
    ];
    const dhcpBefore = await homeDhcp(l);
    const planned = await runDoctorCli(l, data.dir, ['fix', 'plan', ...homeArgs]);
    expect(planned.code, planned.stderr + planned.stdout).toBe(0);
    const plan = JSON.parse(planned.stdout) as FixPlanView;
    expect(plan.view.previews.map((p) => p.config)).toEqual(['dhcp']);
    expect(plan.view.previews[0]?.unified).toContain(`+\tlist dhcp_option '26,${mtu}'`);
    expect(plan.paste).toBeUndefined();
    expect(await homeDhcp(l)).toBe(dhcpBefore);

    const applied = await runDoctorCli(l, data.dir, [
      'fix',
      'apply',
      ...homeArgs,
      '--rollback-s',
      '60',
    ]);
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    const report = JSON.parse(applied.stdout) as FixApplyReport;
    expect(report.outcome).toBe('applied');
    expect(report.ends.map((e) => [e.end, e.outcome])).toEqual([['home', 'applied']]);
    expect(applied.stderr).toContain('home: Armed: home restores its config in 60 s');
    expect(await homeDhcp(l)).toContain(`list dhcp_option '26,${mtu}'`);
    expect((await l.exec('home', 'ls -d /tmp/homeward-apply-* 2>/dev/null')).stdout).toBe('');

    // A station on the bridged SSID now learns the segment's MTU, and the doctor agrees.
    const { lease } = await l.stationDhcp('l2client', 8);
    expect(lease?.mtu).toBe(mtu);
    const after = await doctor(['--no-history']);
    expect(after.json?.verdict.findings.map((f) => f.id)).not.toContain('mtu.l2-black-hole');

    // Applying it again changes nothing.
    const again = await runDoctorCli(l, data.dir, ['fix', 'apply', ...homeArgs]);
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as FixApplyReport).outcome).toBe('unchanged');
  });

  it('a remedy for a radio the router lacks is refused before anything is written', async () => {
    const l = (lab = await startLab('default'));
    data = tempDataDir();
    const wirelessBefore = await l.execOk('router', 'uci export wireless');
    const run = await runDoctorCli(l, data.dir, [
      'fix',
      'apply',
      '--remedy',
      'router-wifi-width',
      '--radio',
      'radio9',
      '--htmode',
      'HE80',
      '--router',
      l.lanAddress('router'),
      ...access(l),
      '--json',
    ]);
    expect(run.code).toBe(2);
    const body = JSON.parse(run.stdout) as { error: { kind: string; message: string } };
    expect(body.error.kind).toBe('invalid-request');
    expect(body.error.message).toContain('radio9');
    expect(await l.execOk('router', 'uci export wireless')).toBe(wirelessBefore);
  });

  it('router-wifi-width: the radio changes width, Wi-Fi restarts, Homeward reconnects and confirms', async () => {
    const l = (lab = await startLab('default'));
    data = tempDataDir();
    // The radio the laptop's SSID is on, and a width it does not have yet.
    const radio = (
      await l.execOk(
        'router',
        'uci show wireless | sed -n "s/^wireless\\.\\([^.]*\\)=wifi-device$/\\1/p" | tail -n 1',
      )
    ).trim();
    expect(radio).toMatch(/^[A-Za-z0-9_]+$/);
    const before = (await l.execOk('router', `uci -q get wireless.${radio}.htmode || true`)).trim();
    const htmode = before === 'HE40' ? 'HE80' : 'HE40';
    const run = await runDoctorCli(l, data.dir, [
      'fix',
      'apply',
      '--remedy',
      'router-wifi-width',
      '--radio',
      radio,
      '--htmode',
      htmode,
      '--router',
      l.lanAddress('router'),
      ...access(l),
      '--rollback-s',
      '60',
      '--json',
    ]);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const report = JSON.parse(run.stdout) as FixApplyReport;
    expect(report.ends.map((e) => [e.end, e.outcome])).toEqual([['router', 'applied']]);
    expect(run.stderr).toContain('wifi reload');
    expect((await l.execOk('router', `uci get wireless.${radio}.htmode`)).trim()).toBe(htmode);
  });
});
