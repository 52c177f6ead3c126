import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeLab } from './describe-lab';
import { startLab } from './index';
import type { Lab } from './index';
import { pathMtu } from './probes';
import { sshExec } from './ssh-client';

describeLab('lab: default scenario', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab('default');
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it('has a WireGuard handshake under 30 s old on both ends', async () => {
    for (const node of ['router', 'home'] as const) {
      const dump = await lab.execOk(node, 'wg show all dump');
      const peers = dump
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split('\t'));
      expect(peers).toHaveLength(1);
      const latest = Number(peers[0]?.[5]);
      expect(latest).toBeGreaterThan(0);
      expect(Date.now() / 1000 - latest).toBeLessThan(30);
    }
  });

  it('lets OpenSSH log in to the router with the lab key, into busybox ash', async () => {
    const t = await lab.sshTarget('router');
    const { stdout, code } = await sshExec(
      t,
      'echo "$0"; readlink /proc/$$/exe; uname -n; uci get network.wg0.proto',
    );
    expect(code).toBe(0);
    expect(stdout.split('\n').slice(0, 4)).toEqual([
      'ash',
      '/usr/bin/busybox',
      'JCG_Q30P',
      'wireguard',
    ]);
    expect(t.knownHostKey).toMatch(/^ssh-ed25519 AAAA/);
    expect(t.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('gives the L2 station a lease from home through VXLAN over WireGuard, with MTU 1370', async () => {
    const { lease, output } = await lab.stationDhcp('l2client');
    expect(lease?.ip, output).toMatch(/^192\.168\.35\.(1\d\d|200)$/);
    expect(lease?.router).toBe('192.168.35.1');
    expect(lease?.mtu).toBe(1370);
    const mac = (await lab.execOk('l2client', 'cat /sys/class/net/wlan0/address')).trim();
    // home learned the station behind the router; the router learned home's MACs behind 10.0.31.1
    expect(await lab.execOk('home', 'bridge fdb show dev vxlan0')).toContain(
      `${mac} dst 10.0.31.103 self`,
    );
    const homeMac = (await lab.execOk('home', 'cat /sys/class/net/br-lan/address')).trim();
    expect(await lab.execOk('router', 'bridge fdb show dev vxlan0')).toContain(
      `${homeMac} dst 10.0.31.1 self`,
    );
  });

  it('measures PMTU 1420 from the laptop to home over the tunnel and 1370 on the L2 path', async () => {
    expect(await pathMtu(lab, 'laptop', '10.0.31.1')).toBe(1420);
    expect(await pathMtu(lab, 'l2client', '192.168.35.1')).toBe(1370);
  });

  it('shapes the WAN: iperf3 through 50 Mbit/s lands within 5 % of the expected goodput', async () => {
    await lab.impair('router-wan', { rateMbit: 50 });
    try {
      const out = await lab.execOk('laptop', 'iperf3 -c 10.0.31.1 -t 6 -O 1 -C cubic -J', {
        timeoutMs: 30_000,
      });
      const measured =
        (JSON.parse(out) as { end: { sum_received: { bits_per_second: number } } }).end.sum_received
          .bits_per_second / 1e6;
      const expected = lab.expectedGoodputMbit(50);
      expect(expected).toBeGreaterThan(45);
      expect(expected).toBeLessThan(47);
      expect(Math.abs(measured - expected) / expected).toBeLessThan(0.05);
    } finally {
      await lab.impair('router-wan', {});
    }
  });
});
