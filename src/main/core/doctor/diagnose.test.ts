import { describe, expect, it } from 'vitest';
import { checkIds, findingIds, type Finding, type FindingId } from '../../../shared/doctor';
import { runChecks } from './checks';
import { diagnose, diagnosisRules, safeBitrateMbps, verdict } from './diagnose';
import type { DoctorFacts, RouterStationFacts } from './facts';
import type { PathMtuResult } from './pmtu';
import { healthySnapshot, seedExactSnapshot } from './snapshots';

function findings(facts: DoctorFacts): Finding[] {
  return diagnose(facts, runChecks(facts, checkIds));
}

function ids(facts: DoctorFacts): FindingId[] {
  return findings(facts).map((f) => f.id);
}

function only(facts: DoctorFacts, id: FindingId): Finding {
  const list = findings(facts);
  expect(list.map((f) => f.id)).toEqual([id]);
  return list[0]!;
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

function station(facts: DoctorFacts): RouterStationFacts {
  const s = facts.wifi?.router;
  if (s?.kind !== 'measured') throw new Error('fixture');
  return s;
}

function wg(facts: DoctorFacts) {
  if (facts.wireguard?.kind !== 'measured') throw new Error('fixture');
  return facts.wireguard;
}

describe('the rule table', () => {
  it('has exactly one rule per finding id in the contract', () => {
    expect(diagnosisRules.map((r) => r.id).sort()).toEqual([...findingIds].sort());
  });

  it('finds nothing on a healthy run and calls it VR-ready', () => {
    const facts = healthySnapshot();
    const checks = runChecks(facts, checkIds);
    const list = diagnose(facts, checks);
    expect(list).toEqual([]);
    expect(verdict(facts, checks, list)).toEqual({
      vrReady: true,
      targetMbps: 100,
      limitingSegment: 'tunnel',
      findings: [],
    });
  });

  it('every finding carries a cause and fix in English and zh-CN, and evidence from the run', () => {
    const facts = seedExactSnapshot();
    facts.udp = {
      kind: 'measured',
      offeredMbps: 100,
      receivedMbps: 60,
      lossPercent: 40,
      jitterMs: 3,
      packetBytes: 1300,
    };
    facts.latency = { kind: 'measured', idleMs: 20, loadedDownMs: 500 };
    station(facts).band = '2.4';
    station(facts).widthMhz = 20;
    station(facts).signalDbm = -80;
    for (const f of findings(facts)) {
      expect(f.cause.length).toBeGreaterThan(20);
      expect(f.fix.length).toBeGreaterThan(20);
      expect(f.localized['zh-CN'].cause).toMatch(/[\u4e00-\u9fff]/);
      expect(f.localized['zh-CN'].fix).toMatch(/[\u4e00-\u9fff]/);
      expect(f.evidence.length).toBeGreaterThan(0);
    }
  });
});

describe('seed-exact: the L2 black hole', () => {
  it('yields mtu.l2-black-hole with a fix derived from the measured 1370', () => {
    const f = only(seedExactSnapshot(), 'mtu.l2-black-hole');
    expect(f.severity).toBe('critical');
    expect(f.fix).toContain('MTU option (26) to 1370');
    expect(f.fix).toContain('packet size to at most 1320');
    expect(f.localized['zh-CN'].fix).toContain('1370');
    expect(f.evidence).toEqual(['mtu.l2', 'l2.dhcp']);
    expect(f.remedy).toEqual({ kind: 'home-dhcp-mtu', end: 'home', mtu: 1370 });
  });

  it('follows the measurement, not a constant: a 1400 bridge asks for 1400 and 1352', () => {
    const facts = seedExactSnapshot();
    facts.mtu!.l2 = {
      kind: 'measured',
      target: '192.168.35.1',
      search: mtu({ pathMtu: 1400, blackHole: true, firstSilentSize: 1405 }),
    };
    const f = only(facts, 'mtu.l2-black-hole');
    expect(f.fix).toContain('to 1400');
    expect(f.fix).toContain('at most 1352');
    expect(f.fix).not.toContain('1370');
    expect(f.remedy).toEqual({ kind: 'home-dhcp-mtu', end: 'home', mtu: 1400 });
  });

  it('probed from the router, the bridge MTU stops the probe locally: bridged clients above it still hit a black hole', () => {
    const facts = seedExactSnapshot();
    facts.mtu!.l2 = {
      kind: 'measured',
      target: '192.168.35.1',
      search: mtu({ pathMtu: 1370, blackHole: false, localMtu: 1370, method: 'icmp' }),
    };
    const f = only(facts, 'mtu.l2-black-hole');
    expect(f.fix).toContain("'26,1370'");
  });

  it('a router-side probe capped by the bridge is fine when DHCP gives clients that MTU', () => {
    const facts = healthySnapshot();
    facts.mtu!.l2 = {
      kind: 'measured',
      target: '192.168.35.1',
      search: mtu({ pathMtu: 1370, blackHole: false, localMtu: 1370, method: 'icmp' }),
    };
    expect(ids(facts)).not.toContain('mtu.l2-black-hole');
  });

  it('is not VR-ready and names the L2 bridge', () => {
    const facts = seedExactSnapshot();
    const checks = runChecks(facts, checkIds);
    expect(verdict(facts, checks, diagnose(facts, checks))).toMatchObject({
      vrReady: false,
      limitingSegment: 'l2-bridge',
    });
  });

  it('stays quiet when the path drops big frames but DHCP already hands out the path MTU', () => {
    expect(ids(healthySnapshot())).not.toContain('mtu.l2-black-hole');
  });
});

describe('wireguard.no-handshake', () => {
  it('fires when the handshake never happened, naming the endpoint and port', () => {
    const facts = healthySnapshot();
    wg(facts).peers[0]!.latestHandshakeUnixS = 0;
    wg(facts).tunnelPing = { target: '10.0.31.1', answered: false };
    facts.l2Dhcp = { discover: { kind: 'no-offer', reason: 'timeout' } };
    facts.throughput = {};
    const f = only(facts, 'wireguard.no-handshake');
    expect(f.fix).toContain('203.0.113.10:51820');
    expect(f.fix).toContain('UDP 51820');
  });

  it('fires when there is no peer at all', () => {
    const facts = healthySnapshot();
    wg(facts).peers = [];
    expect(ids(facts)).toEqual(['wireguard.no-handshake']);
  });

  it('does not fire for a recent handshake', () => {
    expect(ids(healthySnapshot())).not.toContain('wireguard.no-handshake');
  });
});

describe('wireguard.stale-handshake', () => {
  it('fires past 180 s and hides the symptoms downstream of the dead tunnel', () => {
    const facts = healthySnapshot();
    wg(facts).peers[0]!.latestHandshakeUnixS = wg(facts).nowUnixS - 400;
    wg(facts).tunnelPing = { target: '10.0.31.1', answered: false };
    facts.l2Dhcp = { discover: { kind: 'no-offer', reason: 'timeout' } };
    facts.throughput!.tunnel = { kind: 'measured', downMbps: 0 };
    const f = only(facts, 'wireguard.stale-handshake');
    expect(f.cause).toContain('400 s');
  });

  it('suggests keepalive only when it is off', () => {
    const facts = healthySnapshot();
    wg(facts).peers[0]!.latestHandshakeUnixS = wg(facts).nowUnixS - 400;
    delete wg(facts).tunnelPing;
    expect(only(facts, 'wireguard.stale-handshake').fix).not.toContain('keepalive');
    delete wg(facts).peers[0]!.keepaliveS;
    expect(only(facts, 'wireguard.stale-handshake').fix).toContain('keepalive to 25 s');
  });

  it('does not fire at 180 s, nor when a ping through the tunnel answered', () => {
    const facts = healthySnapshot();
    wg(facts).peers[0]!.latestHandshakeUnixS = wg(facts).nowUnixS - 180;
    expect(ids(facts)).toEqual([]);
    wg(facts).peers[0]!.latestHandshakeUnixS = wg(facts).nowUnixS - 600;
    wg(facts).tunnelPing = { target: '10.0.31.1', answered: true };
    expect(ids(facts)).toEqual([]);
  });
});

describe('l2.no-dhcp', () => {
  it('fires when home does not answer the discover over a working tunnel', () => {
    const facts = healthySnapshot();
    facts.l2Dhcp = { discover: { kind: 'no-offer', reason: 'timeout' } };
    expect(only(facts, 'l2.no-dhcp').fix).toContain('dnsmasq');
  });

  it('does not fire on an offer, or when the discover was skipped', () => {
    const facts = healthySnapshot();
    expect(ids(facts)).not.toContain('l2.no-dhcp');
    facts.l2Dhcp = { discover: { kind: 'skipped', reason: 'no br-lan2 on this router' } };
    expect(ids(facts)).not.toContain('l2.no-dhcp');
  });
});

describe('mtu.underlay-too-small', () => {
  it('is critical for a black hole: SSH works, TCP stalls; the fix is computed from the path', () => {
    const facts = healthySnapshot();
    facts.mtu!.underlay = {
      kind: 'measured',
      target: '203.0.113.10',
      search: mtu({ pathMtu: 1400, blackHole: true, firstSilentSize: 1401 }),
    };
    facts.throughput!.tunnel = { kind: 'measured', downMbps: 0, upMbps: 0 };
    facts.throughput!.e2e = { kind: 'measured', downMbps: 0, upMbps: 0 };
    const f = only(facts, 'mtu.underlay-too-small');
    expect(f.severity).toBe('critical');
    expect(f.cause).toContain('0 Mbps');
    expect(f.fix).toContain('MTU to 1340');
    expect(f.fix).toContain('br-lan2 to 1290');
    const checks = runChecks(facts, checkIds);
    expect(verdict(facts, checks, diagnose(facts, checks)).limitingSegment).toBe('underlay');
  });

  it('is a warning when ICMP makes the small underlay work (underlay 1280)', () => {
    const facts = healthySnapshot();
    facts.mtu!.underlay = {
      kind: 'measured',
      target: '203.0.113.10',
      search: mtu({ pathMtu: 1280, method: 'icmp', icmpMtu: 1280 }),
    };
    const f = only(facts, 'mtu.underlay-too-small');
    expect(f.severity).toBe('warning');
    expect(f.fix).toContain('1220');
  });

  it('does not fire when the underlay carries full tunnel packets', () => {
    const facts = healthySnapshot();
    facts.mtu!.underlay = {
      kind: 'measured',
      target: '203.0.113.10',
      search: mtu({ pathMtu: 1480 }),
    };
    expect(ids(facts)).toEqual([]);
  });
});

describe('throughput.below-target', () => {
  it('names the slowest segment and a bitrate with headroom', () => {
    const facts = healthySnapshot();
    facts.throughput!.tunnel = { kind: 'measured', downMbps: 45.8, upMbps: 46 };
    facts.throughput!.e2e = { kind: 'measured', downMbps: 44.9, upMbps: 45 };
    const f = only(facts, 'throughput.below-target');
    expect(f.cause).toContain('tunnel');
    expect(f.cause).toContain('45.8 Mbps');
    expect(f.fix).toContain(`${safeBitrateMbps(45.8)} Mbps`);
    expect(safeBitrateMbps(45.8)).toBe(36);
    const checks = runChecks(facts, checkIds);
    expect(verdict(facts, checks, diagnose(facts, checks))).toMatchObject({
      vrReady: false,
      limitingSegment: 'tunnel',
    });
  });

  it('blames the Wi-Fi when the LAN leg is the slow one', () => {
    const facts = healthySnapshot();
    facts.throughput!.lan = { kind: 'measured', downMbps: 70 };
    facts.throughput!.e2e = { kind: 'measured', downMbps: 68 };
    expect(only(facts, 'throughput.below-target').fix).toContain('5 GHz');
  });

  it('does not fire at the target', () => {
    const facts = healthySnapshot();
    facts.throughput!.tunnel = { kind: 'measured', downMbps: 100 };
    facts.throughput!.e2e = { kind: 'measured', downMbps: 100 };
    expect(ids(facts)).toEqual([]);
  });
});

describe('router.cpu-bound', () => {
  it('fires when a pegged core holds the tunnel below target, and suggests faster SoCs', () => {
    const facts = healthySnapshot();
    facts.router = { kind: 'reached', board: 'jcg,y2', system: 'MediaTek MT7621 ver:1 eco:3' };
    facts.routerCpu = { kind: 'measured', busiestCorePercent: 99 };
    facts.throughput!.tunnel = { kind: 'measured', downMbps: 88, upMbps: 80 };
    facts.throughput!.e2e = { kind: 'measured', downMbps: 85, upMbps: 79 };
    const list = findings(facts);
    expect(list.map((f) => f.id)).toEqual(['router.cpu-bound', 'throughput.below-target']);
    const f = list[0]!;
    expect(f.cause).toContain('MT7621');
    expect(f.fix).toContain('70 Mbps');
    expect(f.fix).toMatch(/MT7981|MT7622/);
    const checks = runChecks(facts, checkIds);
    expect(verdict(facts, checks, list).limitingSegment).toBe('router-cpu');
  });

  it('does not fire when the core is busy but the tunnel reaches the target', () => {
    const facts = healthySnapshot();
    facts.routerCpu = { kind: 'measured', busiestCorePercent: 99 };
    expect(ids(facts)).toEqual([]);
  });

  it('does not fire when the tunnel is slow but the CPU is idle', () => {
    const facts = healthySnapshot();
    facts.throughput!.tunnel = { kind: 'measured', downMbps: 40 };
    expect(ids(facts)).toEqual(['throughput.below-target']);
  });
});

describe('latency.bufferbloat', () => {
  it('warns at grade B and C with SQM rates from the measured tunnel', () => {
    const facts = healthySnapshot();
    facts.latency = { kind: 'measured', idleMs: 20, loadedDownMs: 95, loadedUpMs: 30 };
    const f = only(facts, 'latency.bufferbloat');
    expect(f.severity).toBe('warning');
    expect(f.cause).toContain('grade C');
    expect(f.fix).toContain('279 Mbps down and 261 Mbps up');
  });

  it('is critical at grade D or F', () => {
    const facts = healthySnapshot();
    facts.latency = { kind: 'measured', idleMs: 20, loadedUpMs: 620 };
    const f = only(facts, 'latency.bufferbloat');
    expect(f.severity).toBe('critical');
    expect(f.cause).toContain('upstream');
  });

  it('does not fire at grade A', () => {
    const facts = healthySnapshot();
    facts.latency = { kind: 'measured', idleMs: 20, loadedDownMs: 49.9 };
    expect(ids(facts)).toEqual([]);
  });
});

describe('udp.loss', () => {
  it('blames capacity when the path delivers less than offered', () => {
    const facts = healthySnapshot();
    facts.udp = {
      kind: 'measured',
      offeredMbps: 100,
      receivedMbps: 46.2,
      lossPercent: 52,
      jitterMs: 0.4,
      packetBytes: 1300,
    };
    const f = only(facts, 'udp.loss');
    expect(f.severity).toBe('critical');
    expect(f.fix).toContain('36 Mbps');
  });

  it('blames fragmentation when the packets exceed the path MTU', () => {
    const facts = healthySnapshot();
    facts.udp = {
      kind: 'measured',
      offeredMbps: 100,
      receivedMbps: 98,
      lossPercent: 1.5,
      jitterMs: 1,
      packetBytes: 1400,
    };
    const f = only(facts, 'udp.loss');
    expect(f.severity).toBe('warning');
    expect(f.fix).toContain('at most 1368');
  });

  it('calls random loss and jitter what they are', () => {
    const facts = healthySnapshot();
    facts.udp = {
      kind: 'measured',
      offeredMbps: 100,
      receivedMbps: 99,
      lossPercent: 1,
      jitterMs: 12,
      packetBytes: 1300,
    };
    expect(only(facts, 'udp.loss').fix).toContain('TCP');
  });

  it('does not fire below 0.5 % loss and 10 ms jitter', () => {
    const facts = healthySnapshot();
    facts.udp = {
      kind: 'measured',
      offeredMbps: 100,
      receivedMbps: 99.6,
      lossPercent: 0.49,
      jitterMs: 9.9,
      packetBytes: 1300,
    };
    expect(ids(facts)).toEqual([]);
  });
});

describe('wifi findings', () => {
  it('wifi.weak-link: warning for a middling signal, critical for a weak one', () => {
    const facts = healthySnapshot();
    station(facts).signalDbm = -70;
    expect(only(facts, 'wifi.weak-link')).toMatchObject({ severity: 'warning' });
    station(facts).signalDbm = -81;
    const f = only(facts, 'wifi.weak-link');
    expect(f.severity).toBe('critical');
    expect(f.fix).toContain('-81 dBm');
  });

  it('wifi.weak-link: a low PHY rate is weak too, with a bitrate that fits', () => {
    const facts = healthySnapshot();
    station(facts).bitrateMbps = 130;
    const f = only(facts, 'wifi.weak-link');
    expect(f.cause).toContain('about 78 Mbps');
    expect(f.fix).toContain('62 Mbps');
  });

  it('wifi.weak-link: does not fire on a strong fast link', () => {
    expect(ids(healthySnapshot())).not.toContain('wifi.weak-link');
  });

  it('wifi.narrow-channel: gives the uci line for the radio and its Wi-Fi generation', () => {
    const facts = healthySnapshot();
    station(facts).widthMhz = 40;
    station(facts).htmode = 'HE40';
    station(facts).radio = 'radio0';
    const f = only(facts, 'wifi.narrow-channel');
    expect(f.fix).toContain("uci set wireless.radio0.htmode='HE80'");
    expect(f.remedy).toEqual({
      kind: 'router-wifi-width',
      end: 'router',
      radio: 'radio0',
      htmode: 'HE80',
    });
    station(facts).htmode = 'VHT20';
    station(facts).widthMhz = 20;
    expect(only(facts, 'wifi.narrow-channel').fix).toContain("'VHT80'");
    // Without the radio's name from the router, the app does not guess one to change.
    delete station(facts).radio;
    expect(only(facts, 'wifi.narrow-channel').remedy).toBeUndefined();
  });

  it('wifi.narrow-channel: does not fire at 80 MHz, nor on 2.4 GHz where 80 MHz does not exist', () => {
    const facts = healthySnapshot();
    expect(ids(facts)).toEqual([]);
    station(facts).band = '2.4';
    station(facts).widthMhz = 20;
    expect(ids(facts)).toEqual(['wifi.band-2g']);
  });

  it('wifi.band-2g: fires for the laptop on 2.4 GHz too, and not on 5 GHz', () => {
    const facts = healthySnapshot();
    facts.wifi!.laptop = { kind: 'measured', frequencyMhz: 2437, signalDbm: -50, txRateMbps: 300 };
    expect(only(facts, 'wifi.band-2g').cause).toContain('laptop');
    facts.wifi!.laptop = { kind: 'measured', frequencyMhz: 5500, signalDbm: -50, txRateMbps: 866 };
    expect(ids(facts)).toEqual([]);
  });
});

describe('verdict', () => {
  it('does not vouch for a run without a downstream measurement', () => {
    const facts = healthySnapshot();
    facts.throughput = { tunnel: { kind: 'skipped', reason: 'no iperf3 server' } };
    const checks = runChecks(facts, checkIds);
    expect(verdict(facts, checks, diagnose(facts, checks))).toMatchObject({
      vrReady: false,
      limitingSegment: null,
      findings: [],
    });
  });

  it('is not ready when a check failed even without a finding for it', () => {
    const facts = healthySnapshot();
    wg(facts).tunnelPing = { target: '10.0.31.1', answered: false };
    const checks = runChecks(facts, checkIds);
    expect(verdict(facts, checks, diagnose(facts, checks))).toMatchObject({
      vrReady: false,
      limitingSegment: 'tunnel',
    });
  });

  it('stays ready with warnings only', () => {
    const facts = healthySnapshot();
    station(facts).widthMhz = 40;
    const checks = runChecks(facts, checkIds);
    const v = verdict(facts, checks, diagnose(facts, checks));
    expect(v.vrReady).toBe(true);
    expect(v.findings.map((f) => f.id)).toEqual(['wifi.narrow-channel']);
  });

  it('orders findings critical first', () => {
    const facts = seedExactSnapshot();
    station(facts).widthMhz = 40;
    expect(ids(facts)).toEqual(['mtu.l2-black-hole', 'wifi.narrow-channel']);
    station(facts).signalDbm = -80;
    expect(ids(facts)).toEqual(['mtu.l2-black-hole', 'wifi.weak-link', 'wifi.narrow-channel']);
  });
});
