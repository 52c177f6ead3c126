import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeLab } from './describe-lab';
import { startLab } from './index';
import type { Lab } from './index';

/** Total lengths of the IP packets tcpdump -v printed, in capture order. */
function ipLengths(tcpdumpOutput: string): number[] {
  return [...tcpdumpOutput.matchAll(/^\d\d:\d\d:\d\d\.\d+ IP \(.*?length (\d+)\)$/gm)].map((m) =>
    Number(m[1]),
  );
}

describeLab('lab: seed fidelity (vxlan MTU 1500 over the 1420 tunnel)', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab('seed-exact', { vxlanMtu: 1500 });
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it('has the seed routes: everything through wg0, the endpoint via the WAN', async () => {
    const routes = await lab.execOk('router', 'ip route');
    expect(routes).toMatch(/^default dev wg0 proto static/m);
    expect(routes).toMatch(/^192\.0\.2\.2 via 203\.0\.113\.1 dev wan proto static/m);
  });

  it('carries a 2000-byte ping from the L2 station as 1420 + 150 + 598 bytes on wg0', async () => {
    const { lease } = await lab.stationDhcp('l2client');
    expect(lease?.mtu).toBeUndefined();
    expect((await lab.execOk('l2client', 'cat /sys/class/net/wlan0/mtu')).trim()).toBe('1500');
    const capture = lab.run('router', [
      'timeout',
      '8',
      'tcpdump',
      '-Z',
      'root',
      '-l',
      '-ni',
      'wg0',
      '-v',
      '-Q',
      'out',
      '-c',
      '40',
      'ip',
    ]);
    await new Promise<void>((resolve) => {
      capture.child.stderr?.on('data', (d: Buffer) => {
        if (d.toString().includes('listening on')) resolve();
      });
    });
    const ping = await lab.exec('l2client', 'ping -n -c 1 -W 2 -M dont -s 2000 192.168.35.1');
    await new Promise((r) => setTimeout(r, 300));
    capture.child.kill('SIGINT');
    const out = (await capture.done).stdout;
    expect(ping.stdout).toContain('1 received');
    const lengths = ipLengths(out);
    const i = lengths.findIndex((l, k) => l === 1420 && lengths[k + 1] === 150);
    expect(i, out).toBeGreaterThanOrEqual(0);
    expect(lengths[i + 2], out).toBe(598);
  });
});

describeLab('lab: seed-exact (vxlan 1370, no DHCP option 26): the L2 black hole', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab('seed-exact');
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it('lets 1370-byte DF packets through, answers 1371-1374 with frag-needed, drops bigger ones silently', async () => {
    await lab.stationDhcp('l2client');
    const probe = (size: number): Promise<string> =>
      lab.execOk(
        'l2client',
        `ip route flush cache; ping -n -c 1 -W 1 -M do -s ${size} 192.168.35.1 2>&1 || true`,
      );
    const fits = await probe(1342);
    expect(fits, fits).toContain('1 received');
    const near = await probe(1343);
    expect(near, near).toMatch(/Frag needed and DF set \(mtu = 1370\)/);
    const silent = await probe(1400);
    expect(silent, silent).toContain('0 received');
    expect(silent, silent).not.toMatch(/Frag needed|too long/);
    const big = await lab.exec('l2client', 'ping -n -c 1 -W 2 -M dont -s 2000 192.168.35.1');
    expect(big.stdout).toContain('0 received');
  });
});
