import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { RouterList, RouterStatus } from '../../src/shared/router';
import { describeLab } from '../lab/describe-lab';
import { startLab } from '../lab/index';
import type { Lab, StartOptions } from '../lab/index';
import { doctorArgs, runDoctorCli, tempDataDir } from './doctor-harness';

// `homeward router status` against the lab: the built CLI in the laptop namespace reads the lab
// router (dropbear, busybox ash, wireguard-go, VXLAN) over one SSH connection with the pinned key.

let lab: Lab | undefined;
let data: ReturnType<typeof tempDataDir> | undefined;

async function up(knobs: StartOptions = {}): Promise<{ l: Lab; d: NonNullable<typeof data> }> {
  lab = await startLab('default', knobs);
  data = tempDataDir();
  return { l: lab, d: data };
}

afterEach(async () => {
  await lab?.stop();
  lab = undefined;
  data?.cleanup();
  data = undefined;
});

type Json<T> = T & { error?: { kind: string; message: string; fix?: string } };

async function cli<T>(l: Lab, dir: string, args: string[]) {
  const run = await runDoctorCli(l, dir, args, 60_000);
  let json: Json<T> | undefined;
  try {
    json = JSON.parse(run.stdout) as Json<T>;
  } catch {
    json = undefined;
  }
  return { ...run, json };
}

/** Pins the router's key in the test's known_hosts, as a sign-in would have. */
async function pinRouter(l: Lab, knownHosts: string): Promise<void> {
  const { knownHostKey } = await l.sshTarget('router');
  writeFileSync(knownHosts, `${l.lanAddress('router')} ${knownHostKey}\n`);
}

describeLab('router status on the lab', () => {
  it('default lab: a doctor run remembers the router; status shows a recent handshake, br-lan2 and vxlan0 up, over one connection', async () => {
    const { l, d } = await up();
    const router = l.lanAddress('router');

    // A router never seen: its key is not trusted by status (only sign-in and setup pin keys).
    const unknown = await cli<RouterStatus>(l, d.dir, [
      'router',
      'status',
      '--host',
      router,
      '--identity',
      l.keyPath,
      '--json',
    ]);
    expect(unknown.code, unknown.stderr).toBe(2);
    expect(unknown.json?.error?.kind).toBe('host-key-unknown');

    const doctor = await runDoctorCli(
      l,
      d.dir,
      doctorArgs(l, d.knownHosts, ['--quick', '--no-history', '--json']),
    );
    expect(doctor.json?.router.hostname, doctor.stderr).toBe('JCG_Q30P');

    const listed = await cli<RouterList>(l, d.dir, ['router', 'list', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.json?.routers).toHaveLength(1);
    expect(listed.json?.routers[0]).toMatchObject({
      host: router,
      port: 22,
      user: 'root',
      identityFile: l.keyPath,
      knownHostsFile: d.knownHosts,
      hostKeyFingerprint: (await l.sshTarget('router')).fingerprint,
      hostname: 'JCG_Q30P',
      model: 'JCG Q30 PRO',
      release: 'OpenWrt 23.05.5 r24106-10cc5fcd00',
      seenBy: 'doctor',
    });

    await l.execOk(
      'router',
      'iptables -I INPUT -p tcp --dport 22 --syn -j ACCEPT -m comment --comment homeward-count',
    );
    const status = await cli<RouterStatus>(l, d.dir, ['router', 'status', '--json']);
    expect(status.code, status.stderr + status.stdout).toBe(0);
    const s = status.json!;
    expect(s).toMatchObject({
      schema: 'homeward.router/1',
      host: router,
      hostname: 'JCG_Q30P',
      model: 'JCG Q30 PRO',
      signedIn: true,
      tunnel: { state: 'connected', interfaceName: 'wg0', present: true, up: true },
      bridge: {
        state: 'up',
        bridge: { name: 'br-lan2', present: true, up: true, mtu: 1370 },
        vxlan: { name: 'vxlan0', present: true, up: true, mtu: 1370 },
      },
    });
    expect(s.tunnel?.peerEndpoint).toMatch(/^192\.0\.2\.\d+:51820$/);
    expect(s.tunnel?.handshakeAgeS).toBeGreaterThanOrEqual(0);
    expect(s.tunnel?.handshakeAgeS).toBeLessThan(150);
    expect(s.tunnel?.rxBytes).toBeGreaterThan(0);
    expect(s.bridge?.memberPorts).toContain('vxlan0');
    expect(s.bridge?.address).toMatch(/^192\.168\.35\.\d+\/24$/);
    // The handshake age agrees with the router's own wg within a few seconds.
    const age = await l.handshakeAge('router');
    expect(age).toBeDefined();
    expect(Math.abs((s.tunnel?.handshakeAgeS ?? -100) - (age ?? 0))).toBeLessThanOrEqual(3);
    const counted = await l.execOk('router', 'iptables -L INPUT -v -n -x | grep homeward-count');
    expect(Number(counted.trim().split(/\s+/)[0]), counted).toBe(1);

    // Text output for people, same data.
    const text = await cli<never>(l, d.dir, ['router', 'status']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Tunnel\s+wg0 connected: handshake \d+ (s|min \d+ s) ago/);
    expect(text.stdout).toMatch(/L2 bridge\s+br-lan2 up: .*vxlan0/);
  });

  it('a password sign-in remembers the router; status then signs in with Homeward’s own key', async () => {
    const { l, d } = await up({ rootPassword: 'lab-router-pw' });
    const router = l.lanAddress('router');
    const passwordFile = path.join(d.dir, 'password');
    writeFileSync(passwordFile, 'lab-router-pw\n', { mode: 0o600 });
    const signIn = await cli<{ hostKeyFingerprint: string }>(l, d.dir, [
      'setup',
      'sign-in',
      '--router',
      router,
      '--password-file',
      passwordFile,
      '--accept-new-host-key',
      '--json',
    ]);
    expect(signIn.code, signIn.stdout + signIn.stderr).toBe(0);
    const listed = await cli<RouterList>(l, d.dir, ['router', 'list', '--json']);
    expect(listed.json?.routers).toEqual([
      expect.objectContaining({
        host: router,
        port: 22,
        user: 'root',
        hostKeyFingerprint: signIn.json?.hostKeyFingerprint,
        seenBy: 'sign-in',
      }),
    ]);
    expect(listed.json?.routers[0]?.identityFile).toBeUndefined();
    const status = await cli<RouterStatus>(l, d.dir, ['router', 'status', '--json']);
    expect(status.code, status.stderr + status.stdout).toBe(0);
    expect(status.json).toMatchObject({ signedIn: true, hostname: 'JCG_Q30P' });
  });

  for (const knobs of [{ blockWireguardUdp: true }, { wireguardPeer: 'wrong-key' as const }]) {
    it(`${JSON.stringify(knobs)}: the tunnel shows no handshake, the bridge is still up, exit 1`, async () => {
      const { l, d } = await up(knobs);
      await pinRouter(l, d.knownHosts);
      const status = await cli<RouterStatus>(l, d.dir, [
        'router',
        'status',
        '--host',
        l.lanAddress('router'),
        '--identity',
        l.keyPath,
        '--known-hosts',
        d.knownHosts,
        '--json',
      ]);
      expect(status.code, status.stderr + status.stdout).toBe(1);
      const s = status.json!;
      expect(s.signedIn).toBe(true);
      expect(s.tunnel).toMatchObject({ state: 'never', present: true, up: true });
      expect(s.tunnel?.handshakeAgeS).toBeUndefined();
      expect(s.tunnel?.latestHandshakeUnixS).toBeUndefined();
      expect(s.bridge?.state).toBe('up');
      // Remembered by the status itself, with the key and pins it used.
      const listed = await cli<RouterList>(l, d.dir, ['router', 'list', '--json']);
      expect(listed.json?.routers[0]).toMatchObject({
        identityFile: l.keyPath,
        knownHostsFile: d.knownHosts,
        seenBy: 'status',
      });
    });
  }
});
