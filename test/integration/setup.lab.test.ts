import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { describeLab } from '../lab/describe-lab';
import { startLab } from '../lab/index';
import type { Lab, StartOptions } from '../lab/index';
import { runDoctorCli, tempDataDir } from './doctor-harness';
import { labIntent, routerExports, runCli, writeIntent } from './setup-harness';

// Setup against the fresh-router lab, for real: the built CLI in the laptop namespace signs in,
// plans, applies with the router-side rollback runner, and the doctor then checks the result.

let lab: Lab | undefined;
let data: ReturnType<typeof tempDataDir> | undefined;

async function up(knobs: StartOptions = {}): Promise<Lab> {
  lab = await startLab('fresh-router', knobs);
  data = tempDataDir();
  return lab;
}

afterEach(async () => {
  await lab?.stop();
  lab = undefined;
  data?.cleanup();
  data = undefined;
});

const password = "lab pass 'w0rd' $(x)";

describeLab('setup on the fresh-router lab', () => {
  it('sign-in with the password installs Homeward key; plan and apply then need no password and the doctor passes', async () => {
    const l = await up({ rootPassword: password });
    const host = l.lanAddress('router');
    const passwordFile = path.join(data!.dir, 'password');
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });

    // Without a key and without the password nothing signs in.
    const intentFile = writeIntent(data!.dir, labIntent());
    const noKey = await runCli(l, data!.dir, [
      'setup',
      'plan',
      '--router',
      host,
      '--intent',
      intentFile,
      '--accept-new-host-key',
      '--json',
    ]);
    expect(noKey.code, noKey.stdout + noKey.stderr).toBe(2);

    const signIn = await runCli(l, data!.dir, [
      'setup',
      'sign-in',
      '--router',
      host,
      '--password-file',
      passwordFile,
      '--accept-new-host-key',
      '--json',
    ]);
    expect(signIn.code, signIn.stdout + signIn.stderr).toBe(0);
    const report = JSON.parse(signIn.stdout) as {
      keyPath: string;
      authorizedKeysPath: string;
      keyLoginVerified: boolean;
      keyAdded: boolean;
    };
    expect(report).toMatchObject({
      authorizedKeysPath: '/etc/dropbear/authorized_keys',
      keyLoginVerified: true,
      keyAdded: true,
    });
    expect(report.keyPath).toBe(path.join(data!.dir, 'keys', 'homeward_ed25519'));
    expect(statSync(report.keyPath).mode & 0o777).toBe(0o600);
    const stored = readdirText(data!.dir);
    expect(stored).not.toContain(password);
    const pub = readFileSync(`${report.keyPath}.pub`, 'utf8').trim();
    expect(await l.execOk('router', 'cat /etc/dropbear/authorized_keys')).toContain(pub);

    // Later runs: no password, no --identity: Homeward's own key.
    const plan = await runCli(l, data!.dir, [
      'setup',
      'plan',
      '--router',
      host,
      '--intent',
      intentFile,
      '--json',
    ]);
    expect(plan.code, plan.stderr + plan.stdout).toBe(0);
    const view = JSON.parse(plan.stdout) as {
      router: { previews: { config: string; unified: string }[]; packagesToInstall: string[] };
      homePaste?: string;
    };
    expect(view.router.previews.map((p) => p.config)).toEqual(['network', 'wireless', 'firewall']);
    expect(view.router.previews[0]?.unified).toContain("+config interface 'wg0'");
    expect(view.router.packagesToInstall).toEqual(['luci-proto-vxlan']);
    expect(view.homePaste).toContain("uci batch <<'HOMEWARD_UCI_END'");

    // The lab has no package feed: asking to install stops before anything is changed.
    const beforeInstall = await routerExports(l);
    const install = await runCli(l, data!.dir, [
      'setup',
      'apply',
      '--router',
      host,
      '--intent',
      intentFile,
      '--install-packages',
      '--json',
    ]);
    expect(install.code, install.stderr).toBe(2);
    expect(install.json?.error?.message).toMatch(
      /still missing: luci-proto-vxlan\. Nothing was changed/,
    );
    expect(install.stderr).toContain('router: Installing luci-proto-vxlan');
    expect(await routerExports(l)).toBe(beforeInstall);

    const t0 = Date.now();
    const apply = await runCli(l, data!.dir, [
      'setup',
      'apply',
      '--router',
      host,
      '--intent',
      intentFile,
      '--rollback-s',
      '60',
      '--json',
    ]);
    const applyMs = Date.now() - t0;
    expect(apply.json?.outcome, apply.stderr + apply.stdout).toBe('applied');
    expect(apply.code).toBe(0);
    expect(apply.json?.packages.missing).toEqual(['luci-proto-vxlan']);
    expect(apply.stderr).toContain('router: Armed: the router restores its config in 60 s');
    // Confirmed: the runner is gone, the snapshot removed, and nothing rolls back later.
    expect((await l.exec('router', 'ls -d /tmp/homeward-apply-* 2>/dev/null')).stdout).toBe('');
    expect(applyMs).toBeLessThan(60_000);

    const doctor = await runDoctorCli(l, data!.dir, [
      'doctor',
      '--router',
      host,
      '--known-hosts',
      path.join(data!.dir, 'known_hosts'),
      '--identity',
      report.keyPath,
      '--json',
      '--quick',
      '--no-history',
    ]);
    const checks = doctor.json?.checks ?? [];
    const check = (id: string) => checks.find((c) => c.id === id);
    expect(check('wireguard.handshake')?.status, doctor.stderr + doctor.stdout).toBe('pass');
    expect(check('l2.dhcp')?.status).toBe('pass');
    expect(check('mtu.l3')?.data['pathMtu']).toBe(1420);
    expect(check('mtu.l2')?.data['pathMtu']).toBe(1370);
    const { lease, output } = await l.stationDhcp('l2client', 8);
    expect(lease?.ip, output).toMatch(/^192\.168\.35\./);
    expect(lease?.mtu).toBe(1370);

    // Planning again on the applied router changes nothing.
    const again = await runCli(l, data!.dir, [
      'setup',
      'apply',
      '--router',
      host,
      '--intent',
      intentFile,
      '--json',
    ]);
    expect(again.json?.outcome, again.stderr).toBe('unchanged');
    expect(again.code).toBe(0);
    // No staged changes left behind (uci keeps emptied delta files after a commit).
    expect((await l.exec('router', 'uci changes')).stdout).toBe('');
  });
});

function readdirText(dir: string): string {
  let all = '';
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name !== 'password')
      all += readFileSync(path.join(entry.parentPath, entry.name), 'latin1');
  }
  return all;
}

describeLab('setup with home over SSH', () => {
  /** Home's WAN address, reached from the laptop through the router's NAT (as from a hotel). */
  async function homeAccess(l: Lab): Promise<string[]> {
    await l.execOk('home', 'iptables -I INPUT -p tcp --dport 22 -j ACCEPT');
    const t = await l.sshTarget('home');
    writeFileSync(
      path.join(data!.dir, 'known_hosts'),
      `192.0.2.2 ${t.knownHostKey}\n${l.lanAddress('router')} ${(await l.sshTarget('router')).knownHostKey}\n`,
    );
    return ['--home', '192.0.2.2', '--home-identity', l.keyPath];
  }

  async function homeExports(l: Lab): Promise<string> {
    return l.execOk('home', 'for c in network dhcp; do uci export $c || exit 1; done; uci changes');
  }

  it('applies and confirms both ends; a router that cannot be reached again takes home back too', async () => {
    const l = await up();
    const home = await homeAccess(l);
    const host = l.lanAddress('router');
    const common = ['--router', host, '--identity', l.keyPath, ...home, '--json'];
    const homeBefore = await homeExports(l);
    const routerBefore = await routerExports(l);

    const moved = labIntent();
    moved.travel.lanAddress = '192.168.77.1/24';
    const tf = Date.now();
    const failed = await runCli(l, data!.dir, [
      'setup',
      'apply',
      ...common,
      '--intent',
      writeIntent(data!.dir, moved, 'moved.json'),
      '--rollback-s',
      '20',
    ]);
    expect(failed.json?.outcome, failed.stderr + failed.stdout).toBe('rolled-back');
    expect(failed.code).toBe(1);
    expect(failed.json?.ends.map((e) => [e.end, e.outcome, e.verified])).toEqual([
      ['home', 'rolled-back', true],
      ['router', 'rolled-back', true],
    ]);
    expect(failed.json?.homePaste).toBeUndefined();
    // Both waited out their own 20 s deadline side by side, then proved the rollback.
    expect(Date.now() - tf).toBeLessThan(50_000);
    expect(await homeExports(l)).toBe(homeBefore);
    expect(await routerExports(l)).toBe(routerBefore);

    const ta = Date.now();
    const applied = await runCli(l, data!.dir, [
      'setup',
      'apply',
      ...common,
      '--intent',
      writeIntent(data!.dir, labIntent()),
      '--rollback-s',
      '60',
    ]);
    expect(applied.json?.outcome, applied.stderr + applied.stdout).toBe('applied');
    expect(Date.now() - ta).toBeLessThan(30_000);
    expect(applied.json?.ends.map((e) => [e.end, e.outcome])).toEqual([
      ['home', 'applied'],
      ['router', 'applied'],
    ]);
    expect(applied.stderr).toContain('home: Armed: home restores its config in 60 s');
    const homeAfter = await homeExports(l);
    expect(homeAfter).not.toBe(homeBefore);
    expect(homeAfter).toContain("option route_allowed_ips '1'");
    expect((await l.exec('home', 'ls -d /tmp/homeward-apply-* 2>/dev/null')).stdout).toBe('');
    const { lease } = await l.stationDhcp('l2client', 8);
    expect(lease?.ip).toMatch(/^192\.168\.35\./);
    expect(lease?.mtu).toBe(1370);
  });
});
