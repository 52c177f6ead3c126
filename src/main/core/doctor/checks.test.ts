import { describe, expect, it } from 'vitest';
import { checkIds } from '../../../shared/doctor';
import {
  bandOf,
  bufferbloatGrade,
  checkFunctions,
  checkL2Dhcp,
  checkLatencyLoaded,
  checkMtuL2,
  checkMtuL3,
  checkMtuUnderlay,
  checkRouterCpu,
  checkRouterReach,
  checkThroughputE2e,
  checkThroughputLan,
  checkThroughputTunnel,
  checkUdpVr,
  checkWifiLink,
  checkWireguardHandshake,
  runChecks,
  streamerPacketLimit,
} from './checks';
import { expectChineseFor, numbersIn } from '../localized-text.test-support';
import { factVariants } from './fact-variants.test-support';
import type { DoctorFacts, WireguardFacts } from './facts';
import type { PathMtuResult } from './pmtu';
import { healthySnapshot, seedExactSnapshot } from './snapshots';

function withWireguard(
  change: (wg: Extract<WireguardFacts, { kind: 'measured' }>) => void,
): DoctorFacts {
  const facts = healthySnapshot();
  if (facts.wireguard?.kind !== 'measured') throw new Error('fixture');
  change(facts.wireguard);
  return facts;
}

function mtu(partial: Partial<PathMtuResult> & { pathMtu: number }): PathMtuResult {
  return {
    kind: 'found',
    probes: 3,
    method: 'search',
    exact: true,
    blackHole: false,
    trace: [],
    ...partial,
  };
}

describe('every check', () => {
  it('has a function for every contract id and passes on the healthy snapshot', () => {
    expect(Object.keys(checkFunctions).sort()).toEqual([...checkIds].sort());
    const results = runChecks(healthySnapshot(), checkIds);
    expect(results.map((r) => r.id)).toEqual([...checkIds]);
    expect(results.filter((r) => r.status !== 'pass').map((r) => `${r.id}: ${r.summary}`)).toEqual(
      [],
    );
  });

  it('skips what was not gathered and reports what broke, with the reason', () => {
    const facts: DoctorFacts = { targetMbps: 100, router: { kind: 'reached' } };
    const results = runChecks(
      facts,
      checkIds.filter((id) => id !== 'router.reach'),
    );
    expect(results.every((r) => r.status === 'skip')).toBe(true);
    const broken = healthySnapshot();
    broken.throughput = {
      tunnel: { kind: 'skipped', reason: 'no iperf3 server answered at 10.0.31.1:5201' },
    };
    broken.udp = { kind: 'error', message: 'iperf3 exited with code 1' };
    expect(checkThroughputTunnel(broken)).toMatchObject({ status: 'skip' });
    expect(checkThroughputTunnel(broken).summary).toContain('10.0.31.1:5201');
    expect(checkUdpVr(broken)).toMatchObject({
      status: 'error',
      summary: expect.stringContaining('code 1'),
    });
  });

  it('never puts undefined into data', () => {
    for (const r of runChecks(seedExactSnapshot(), checkIds)) {
      expect(Object.values(r.data).includes(undefined as never)).toBe(false);
    }
  });
});

describe('router.reach', () => {
  it('fails when SSH did not get through', () => {
    const facts = healthySnapshot();
    facts.router = { kind: 'unreachable', message: 'connection refused' };
    expect(checkRouterReach(facts)).toMatchObject({ status: 'fail' });
  });

  it('warns about a missing iperf3 but accepts the iperf3-ssl variant', () => {
    const facts = healthySnapshot();
    facts.router = { kind: 'reached', model: 'X', packages: ['wireguard-tools'] };
    expect(checkRouterReach(facts)).toMatchObject({
      status: 'warn',
      data: { missingPackages: ['iperf3'] },
    });
    facts.router = { kind: 'reached', model: 'X', packages: ['wireguard-tools', 'iperf3-ssl'] };
    expect(checkRouterReach(facts).status).toBe('pass');
  });
});

describe('wireguard.handshake', () => {
  it('reports the handshake age in seconds', () => {
    expect(checkWireguardHandshake(healthySnapshot())).toMatchObject({
      status: 'pass',
      data: { latestHandshakeAgeS: 30, endpoint: '203.0.113.10:51820', tunnelPingAnswered: true },
    });
  });

  it('fails when no handshake ever happened', () => {
    const facts = withWireguard((wg) => {
      wg.peers[0]!.latestHandshakeUnixS = 0;
      wg.tunnelPing = { target: '10.0.31.1', answered: false };
    });
    expect(checkWireguardHandshake(facts)).toMatchObject({
      status: 'fail',
      data: { latestHandshakeAgeS: null },
    });
  });

  it('passes at 180 s and fails at 181 s without a ping answer', () => {
    const at = (age: number) =>
      withWireguard((wg) => {
        wg.peers[0]!.latestHandshakeUnixS = wg.nowUnixS - age;
        delete wg.tunnelPing;
      });
    expect(checkWireguardHandshake(at(180)).status).toBe('pass');
    expect(checkWireguardHandshake(at(181))).toMatchObject({
      status: 'fail',
      data: { latestHandshakeAgeS: 181 },
    });
  });

  it('fails a fresh handshake when the ping through the tunnel gets no answer (gotcha 11)', () => {
    const facts = withWireguard((wg) => {
      wg.tunnelPing = { target: '10.0.31.1', answered: false };
    });
    expect(checkWireguardHandshake(facts)).toMatchObject({ status: 'fail' });
    expect(checkWireguardHandshake(facts).summary).toContain('ping');
  });

  it('fails with no peers', () => {
    expect(checkWireguardHandshake(withWireguard((wg) => (wg.peers = []))).status).toBe('fail');
  });
});

describe('l2.dhcp', () => {
  it('reports the offer, server and MTU option', () => {
    expect(checkL2Dhcp(healthySnapshot())).toMatchObject({
      status: 'pass',
      data: {
        offeredAddress: '192.168.35.150',
        server: '192.168.35.1',
        mtuOption: 1370,
        laptopOnL2: false,
      },
    });
  });

  it('fails without an offer', () => {
    const facts = healthySnapshot();
    facts.l2Dhcp = { discover: { kind: 'no-offer', reason: 'timeout' } };
    expect(checkL2Dhcp(facts)).toMatchObject({ status: 'fail', data: { offered: false } });
  });

  it("includes the laptop's own lease when it is on the L2 SSID", () => {
    const facts = healthySnapshot();
    facts.l2Dhcp = {
      discover: { kind: 'offer', address: '192.168.35.150' },
      laptopLease: { onL2: true, address: '192.168.35.123', mtuOption: 1370, interfaceMtu: 1370 },
    };
    expect(checkL2Dhcp(facts).data).toMatchObject({
      laptopAddress: '192.168.35.123',
      laptopMtuOption: 1370,
    });
  });
});

describe('mtu checks', () => {
  it('underlay: passes with room for 1420 + 60, warns when ICMP works, fails on a black hole', () => {
    const facts = healthySnapshot();
    expect(checkMtuUnderlay(facts)).toMatchObject({
      status: 'pass',
      data: { pathMtu: 1500, requiredMtu: 1480 },
    });
    facts.mtu!.underlay = {
      kind: 'measured',
      target: '203.0.113.10',
      search: mtu({ pathMtu: 1480 }),
    };
    expect(checkMtuUnderlay(facts).status).toBe('pass');
    facts.mtu!.underlay = {
      kind: 'measured',
      target: '203.0.113.10',
      search: mtu({ pathMtu: 1400 }),
    };
    expect(checkMtuUnderlay(facts)).toMatchObject({ status: 'warn', data: { fittingWgMtu: 1340 } });
    facts.mtu!.underlay.search = mtu({ pathMtu: 1400, blackHole: true, firstSilentSize: 1401 });
    expect(checkMtuUnderlay(facts)).toMatchObject({ status: 'fail', data: { blackHole: true } });
  });

  it('underlay: counts the IPv6 outer header when the endpoint is IPv6', () => {
    const facts = withWireguard((wg) => (wg.peers[0]!.endpoint = '[2001:db8::10]:51820'));
    facts.mtu!.underlay = {
      kind: 'measured',
      target: '2001:db8::10',
      search: mtu({ pathMtu: 1480 }),
    };
    expect(checkMtuUnderlay(facts)).toMatchObject({
      status: 'warn',
      data: { requiredMtu: 1500, outerFamily: 'ipv6', fittingWgMtu: 1400 },
    });
  });

  it('fails when no probe got through at all', () => {
    const facts = healthySnapshot();
    facts.mtu!.l3 = {
      kind: 'measured',
      target: '10.0.31.1',
      search: { kind: 'unreachable', probes: 3, trace: [] },
    };
    expect(checkMtuL3(facts).status).toBe('fail');
  });

  it('l3: reports 1420 found by ICMP', () => {
    expect(checkMtuL3(healthySnapshot())).toMatchObject({
      status: 'pass',
      data: { pathMtu: 1420, method: 'icmp', blackHole: false },
    });
  });

  it('l2: fails when clients use more than the bridge carries and the excess vanishes', () => {
    expect(checkMtuL2(seedExactSnapshot())).toMatchObject({
      status: 'fail',
      data: {
        pathMtu: 1370,
        clientMtu: 1500,
        clientMtuSource: 'default',
        maxStreamerPacketBytes: 1320,
      },
    });
  });

  it('l2: passes once DHCP offers the path MTU, even though the path still drops bigger frames', () => {
    expect(checkMtuL2(healthySnapshot())).toMatchObject({
      status: 'pass',
      data: { clientMtu: 1370, clientMtuSource: 'dhcp-option-26', blackHole: true },
    });
  });

  it("l2: uses the laptop's interface MTU when it sits on the L2 SSID and no option is offered", () => {
    const facts = seedExactSnapshot();
    facts.l2Dhcp!.laptopLease = { onL2: true, interfaceMtu: 1370 };
    expect(checkMtuL2(facts)).toMatchObject({
      status: 'pass',
      data: { clientMtuSource: 'laptop-interface' },
    });
  });

  it('l2: only warns when no DHCP offer showed what clients will use', () => {
    const facts = seedExactSnapshot();
    facts.l2Dhcp = { discover: { kind: 'no-offer', reason: 'timeout' } };
    expect(checkMtuL2(facts)).toMatchObject({
      status: 'warn',
      data: { clientMtuSource: 'assumed' },
    });
  });

  it('l2: only warns when the bridge answers with ICMP for every larger size', () => {
    const facts = seedExactSnapshot();
    facts.mtu!.l2 = {
      kind: 'measured',
      target: '192.168.35.1',
      search: mtu({ pathMtu: 1370, method: 'icmp' }),
    };
    expect(checkMtuL2(facts).status).toBe('warn');
  });

  it('streamer packet limit fits IPv4 and IPv6 headers, in steps of 8', () => {
    expect(streamerPacketLimit(1370)).toBe(1320);
    expect(streamerPacketLimit(1420)).toBe(1368);
    expect(streamerPacketLimit(1500)).toBe(1448);
  });
});

describe('throughput checks', () => {
  it('grade downstream against the target with headroom', () => {
    const facts = healthySnapshot();
    const set = (down: number) => {
      facts.throughput!.tunnel = { kind: 'measured', downMbps: down, upMbps: 50 };
      return checkThroughputTunnel(facts).status;
    };
    expect(set(120)).toBe('pass');
    expect(set(119.9)).toBe('warn');
    expect(set(100)).toBe('warn');
    expect(set(99.9)).toBe('fail');
    expect(set(0)).toBe('fail');
    expect(checkThroughputTunnel(facts).summary).toContain('stalled');
  });

  it('report Mbps and retransmits with units in the names', () => {
    expect(checkThroughputLan(healthySnapshot()).data).toEqual({
      downMbps: 612,
      upMbps: 480,
      downRetransmits: 3,
      upRetransmits: 0,
      targetMbps: 100,
    });
    expect(checkThroughputE2e(healthySnapshot()).summary).toBe(
      'Laptop <-> home: 265 Mbps down, 240 Mbps up (target 100).',
    );
  });
});

describe('udp.vr', () => {
  it('passes, warns and fails on loss and jitter', () => {
    const facts = healthySnapshot();
    const set = (lossPercent: number, jitterMs: number) => {
      facts.udp = {
        kind: 'measured',
        offeredMbps: 100,
        receivedMbps: 99,
        lossPercent,
        jitterMs,
        packetBytes: 1300,
      };
      return checkUdpVr(facts).status;
    };
    expect(set(0.4, 9)).toBe('pass');
    expect(set(0.5, 1)).toBe('warn');
    expect(set(0, 10)).toBe('warn');
    expect(set(2, 1)).toBe('fail');
    expect(set(0, 30)).toBe('fail');
  });
});

describe('latency.loaded', () => {
  it('grades on the Waveform scale at its edges', () => {
    expect([0, 4.9, 5, 29.9, 30, 59.9, 60, 199, 200, 399, 400].map(bufferbloatGrade)).toEqual([
      'A+',
      'A+',
      'A',
      'A',
      'B',
      'B',
      'C',
      'C',
      'D',
      'D',
      'F',
    ]);
  });

  it('takes the worse direction and never grades a negative increase', () => {
    const facts = healthySnapshot();
    facts.latency = { kind: 'measured', idleMs: 20, loadedDownMs: 22, loadedUpMs: 270 };
    expect(checkLatencyLoaded(facts)).toMatchObject({
      status: 'fail',
      data: { idleMs: 20, loadedMs: 270, addedMs: 250, grade: 'D' },
    });
    facts.latency = { kind: 'measured', idleMs: 20, loadedDownMs: 15 };
    expect(checkLatencyLoaded(facts)).toMatchObject({
      status: 'pass',
      data: { addedMs: 0, grade: 'A+' },
    });
    facts.latency = { kind: 'measured', idleMs: 20, loadedDownMs: 120 };
    expect(checkLatencyLoaded(facts)).toMatchObject({ status: 'warn', data: { grade: 'C' } });
  });

  it('skips grading without a loaded measurement', () => {
    const facts = healthySnapshot();
    facts.latency = { kind: 'measured', idleMs: 20 };
    expect(checkLatencyLoaded(facts)).toMatchObject({ status: 'skip', data: { idleMs: 20 } });
  });
});

describe('router.cpu', () => {
  it('names the SoC and its WireGuard ceiling', () => {
    expect(checkRouterCpu(healthySnapshot())).toMatchObject({
      status: 'pass',
      data: { soc: 'MT7981', socWireguardCeilingMbps: 370, busiestCorePercent: 71 },
    });
  });

  it('fails when a core is pegged and the tunnel is below target, warns when it still made it', () => {
    const facts = healthySnapshot();
    facts.routerCpu = { kind: 'measured', busiestCorePercent: 98 };
    expect(checkRouterCpu(facts).status).toBe('warn');
    facts.throughput!.tunnel = { kind: 'measured', downMbps: 88 };
    expect(checkRouterCpu(facts).status).toBe('fail');
  });

  it('warns when the SoC is known to top out below the target', () => {
    const facts = healthySnapshot();
    facts.router = { kind: 'reached', system: 'MediaTek MT7621 ver:1 eco:3' };
    facts.targetMbps = 150;
    expect(checkRouterCpu(facts)).toMatchObject({ status: 'warn', data: { soc: 'MT7621' } });
  });
});

describe('wifi.link', () => {
  it('reports both links with plain units', () => {
    expect(checkWifiLink(healthySnapshot()).data).toMatchObject({
      stationBand: '5 GHz',
      stationWidthMhz: 80,
      stationSignalDbm: -52,
      stationPhyMbps: 1201,
      laptopSignalDbm: -50,
      laptopSsid: 'travel',
    });
  });

  it('warns on a narrow channel, 2.4 GHz or a middling signal; fails on a weak one', () => {
    const facts = healthySnapshot();
    const station = facts.wifi!.router!;
    if (station.kind !== 'measured') throw new Error('fixture');
    station.widthMhz = 40;
    expect(checkWifiLink(facts).status).toBe('warn');
    station.widthMhz = 80;
    station.signalDbm = -70;
    expect(checkWifiLink(facts).status).toBe('warn');
    station.signalDbm = -80;
    expect(checkWifiLink(facts).status).toBe('fail');
    station.signalDbm = -55;
    station.bitrateMbps = 144;
    expect(checkWifiLink(facts).status).toBe('fail');
  });

  it('derives the band from the frequency', () => {
    expect([2412, 5180, 5955, 900].map(bandOf)).toEqual(['2.4', '5', '6', undefined]);
  });
});

describe('summaries in Simplified Chinese', () => {
  it('come with every result, translated, with the same numbers as the English', () => {
    let count = 0;
    for (const [name, facts] of factVariants()) {
      for (const r of runChecks(facts, checkIds)) {
        expectChineseFor(r.summary, r.localized?.['zh-CN'].summary, `${name} / ${r.id}`);
        count++;
      }
    }
    expect(count).toBeGreaterThan(500);
  });

  it('put the numbers of the facts into both languages', () => {
    const facts = healthySnapshot();
    facts.udp = {
      kind: 'measured',
      offeredMbps: 120,
      receivedMbps: 117,
      lossPercent: 2.456,
      jitterMs: 12.345,
      packetBytes: 1400,
    };
    const r = checkUdpVr(facts);
    expect(r.summary).toBe('UDP 120 Mbps in 1400-byte packets: 2.46 % lost, jitter 12.35 ms.');
    expect(r.localized?.['zh-CN'].summary).toBe(
      'UDP 120 Mbps，每包 1400 字节：丢包 2.46%，抖动 12.35 ms。',
    );
    expect(checkL2Dhcp(seedExactSnapshot()).localized?.['zh-CN'].summary).toBe(
      '家里经网桥分配了 192.168.35.150（服务器 192.168.35.1），不带 MTU 选项。',
    );
  });

  it('are compared on numbers that are not part of a name', () => {
    expect(numbersIn('wg0 1420 on br-lan2, GL-MT3000 at 10.0.31.1/24, -52 dBm, 2.4 GHz')).toEqual(
      ['10.0', '1420', '2.4', '24', '52'].sort(),
    );
    expect(() => expectChineseFor('Path MTU is 1370.', '路径 MTU 为 1380。', 'x')).toThrow();
    expect(() => expectChineseFor('Path MTU is 1370.', 'Path MTU is 1370.', 'x')).toThrow();
  });
});
