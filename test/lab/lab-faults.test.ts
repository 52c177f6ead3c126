import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeLab } from './describe-lab';
import { startLab } from './index';
import type { Lab, LabKnobs } from './index';
import { dfPing } from './probes';

/** One lab per fault, started with the fault's knob; each test reads the symptom with a plain command. */
function withLab(knobs: LabKnobs, scenario = 'default'): () => Lab {
  let lab: Lab | undefined;
  beforeAll(async () => {
    lab = await startLab(scenario, knobs);
  });
  afterAll(async () => {
    await lab?.stop();
  });
  return () => {
    if (lab === undefined) throw new Error('lab did not start');
    return lab;
  };
}

async function iperfMbit(lab: Lab, seconds = 4): Promise<number> {
  const r = await lab.exec('laptop', `iperf3 -c 10.0.31.1 -t ${seconds} -O 1 -C cubic -J`, {
    timeoutMs: (seconds + 20) * 1000,
  });
  const j = JSON.parse(r.stdout) as { end?: { sum_received?: { bits_per_second: number } } };
  return (j.end?.sum_received?.bits_per_second ?? 0) / 1e6;
}

describeLab('lab fault: wrong WireGuard peer key', () => {
  const lab = withLab({ wireguardPeer: 'wrong-key' });
  it('never completes a handshake, and home logs invalid mac1', async () => {
    const hs = await lab().execOk('router', 'wg show wg0 latest-handshakes');
    expect(hs.trim().split('\t')[1]).toBe('0');
    expect(await lab().execOk('home', 'logread')).toContain('invalid mac1');
  });
});

describeLab('lab fault: home WireGuard down', () => {
  const lab = withLab({ wireguardPeer: 'down' });
  it('has no wg0 at home, and pings through the tunnel fail', async () => {
    expect((await lab().exec('home', 'wg show wg0')).code).not.toBe(0);
    expect((await lab().exec('laptop', 'ping -n -c 2 -W 1 10.0.31.1')).stdout).toContain(
      ' 0 received',
    );
  });
});

describeLab('lab fault: UDP 51820 blocked between the sites', () => {
  const lab = withLab({ blockWireguardUdp: true });
  it('has no handshake; the endpoint still answers ping', async () => {
    expect(await lab().handshakeAge('router')).toBeUndefined();
    expect((await lab().exec('router', 'ping -n -c 1 -W 1 192.0.2.2')).code).toBe(0);
    expect(await lab().execOk('inet', 'iptables -S FORWARD')).toContain('--dport 51820 -j DROP');
  });
});

describeLab('lab fault: home DHCP stopped', () => {
  const lab = withLab({ homeDhcp: false });
  it('leaves the L2 station without a lease while the tunnel is up', async () => {
    expect(await lab().handshakeAge('router')).toBeLessThan(30);
    const { lease, output } = await lab().stationDhcp('l2client', 3);
    expect(lease).toBeUndefined();
    expect(output).toContain('no lease, failing');
  });
});

describeLab('lab fault: L2 client MTU 1500 on the 1370 path', () => {
  const lab = withLab({ l2ClientMtu1500: true });
  it('gives no MTU option, and 1400-byte frames vanish without an ICMP', async () => {
    const { lease } = await lab().stationDhcp('l2client');
    expect(lease?.mtu).toBeUndefined();
    expect((await lab().execOk('l2client', 'cat /sys/class/net/wlan0/mtu')).trim()).toBe('1500');
    expect((await dfPing(lab(), 'l2client', '192.168.35.1', 1342)).ok).toBe(true);
    const lost = await dfPing(lab(), 'l2client', '192.168.35.1', 1400);
    expect(lost.ok).toBe(false);
    expect(lost.output).not.toMatch(/Frag needed|too long/);
  });
});

describeLab('lab fault: vxlan MTU 1500 over the 1420 tunnel', () => {
  const lab = withLab({ vxlanMtu: 1500, l2ClientMtu1500: true });
  it('passes a 2000-byte ping by fragmenting the outer packets', async () => {
    expect((await lab().execOk('router', 'cat /sys/class/net/vxlan0/mtu')).trim()).toBe('1500');
    await lab().stationDhcp('l2client');
    expect(
      (await lab().exec('l2client', 'ping -n -c 1 -W 2 -M dont -s 2000 192.168.35.1')).stdout,
    ).toContain('1 received');
  });
});

describeLab('lab fault: hotel underlay MTU 1280', () => {
  const lab = withLab({ underlayMtu: 1280 });
  it('shows 1280 on the WAN; the tunnel still carries 1420 by fragmenting outside', async () => {
    expect(
      await lab().execOk('router', 'ping -n -c 1 -W 1 -M do -s 1253 203.0.113.1 2>&1 || true'),
    ).toContain('mtu=1280');
    expect((await lab().exec('router', 'ping -n -c 1 -W 1 -M do -s 1252 203.0.113.1')).code).toBe(
      0,
    );
    const probe = async (): Promise<boolean> =>
      (await dfPing(lab(), 'laptop', '10.0.31.1', 1392)).ok;
    expect((await probe()) || (await probe())).toBe(true);
  });
});

describeLab('lab fault: underlay 1400 black hole (ICMP frag-needed dropped)', () => {
  const lab = withLab({ underlayBlackHole: true });
  it('passes small packets, drops DF payloads above 1300 silently, and stalls TCP', async () => {
    expect((await lab().exec('laptop', 'ping -n -c 1 -W 1 10.0.31.1')).code).toBe(0);
    expect((await dfPing(lab(), 'laptop', '10.0.31.1', 1300)).ok).toBe(true);
    const lost = await dfPing(lab(), 'laptop', '10.0.31.1', 1301);
    expect(lost.ok).toBe(false);
    expect(lost.output).not.toMatch(/Frag needed/);
    expect(await iperfMbit(lab(), 3)).toBeLessThan(1);
  });
});

describeLab('lab fault: rate, delay and loss on the WAN', () => {
  const lab = withLab({});
  it('rate 10 Mbit/s: TCP goodput near the expected 9.2', async () => {
    await lab().impair('router-wan', { rateMbit: 10 });
    try {
      const measured = await iperfMbit(lab());
      expect(
        Math.abs(measured - lab().expectedGoodputMbit(10)) / lab().expectedGoodputMbit(10),
      ).toBeLessThan(0.1);
    } finally {
      await lab().impair('router-wan', {});
    }
  });

  it('delay 20 ms each way: RTT through the tunnel of at least 40 ms', async () => {
    await lab().impair('router-wan', { delayMs: 20 });
    try {
      const out = await lab().execOk('laptop', 'ping -n -c 3 -i 0.2 10.0.31.1');
      const min = Number(/= ([\d.]+)\//.exec(out)?.[1]);
      expect(min).toBeGreaterThanOrEqual(40);
      expect(min).toBeLessThan(80);
    } finally {
      await lab().impair('router-wan', {});
    }
  });

  it('loss 20 % each way: pings are lost', async () => {
    await lab().impair('router-wan', { lossPercent: 20 });
    try {
      const out = await lab().exec('laptop', 'ping -n -c 60 -i 0.02 -W 1 10.0.31.1');
      const loss = Number(/(\d+(?:\.\d+)?)% packet loss/.exec(out.stdout)?.[1]);
      expect(loss).toBeGreaterThan(10);
      expect(loss).toBeLessThan(70);
    } finally {
      await lab().impair('router-wan', {});
    }
  });
});
