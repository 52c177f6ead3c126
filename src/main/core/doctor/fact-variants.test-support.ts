// Snapshots bent one way each, so that every check reaches each of its outcomes: the healthy and
// seed snapshots, what the checks' own tests build, and the not-measured and broken cases.

import type { DoctorFacts, WireguardFacts } from './facts';
import type { PathMtuResult, PathMtuSearch } from './pmtu';
import { healthySnapshot, seedExactSnapshot } from './snapshots';

type Variant = [name: string, facts: DoctorFacts];

function found(partial: Partial<PathMtuResult> & { pathMtu: number }): PathMtuResult {
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

function healthy(change: (facts: DoctorFacts) => void): DoctorFacts {
  const facts = healthySnapshot();
  change(facts);
  return facts;
}

function wireguard(change: (wg: Extract<WireguardFacts, { kind: 'measured' }>) => void) {
  return healthy((facts) => {
    if (facts.wireguard?.kind !== 'measured') throw new Error('fixture');
    change(facts.wireguard);
  });
}

const skipped = { kind: 'skipped', reason: 'no iperf3 server answered at 10.0.31.1:5201' } as const;
const broken = { kind: 'error', message: 'iperf3 exited with code 1' } as const;

export function factVariants(): Variant[] {
  return [
    ['healthy', healthySnapshot()],
    ['seed', seedExactSnapshot()],
    ['nothing gathered', { targetMbps: 100, router: { kind: 'reached' } }],
    [
      'everything skipped',
      healthy((f) => {
        f.wireguard = skipped;
        f.l2Dhcp = { discover: skipped };
        f.mtu = { underlay: skipped, l3: skipped, l2: skipped };
        f.throughput = { lan: skipped, tunnel: skipped, e2e: skipped };
        f.udp = skipped;
        f.latency = skipped;
        f.routerCpu = skipped;
        f.wifi = { router: skipped, laptop: skipped };
      }),
    ],
    [
      'everything broken',
      healthy((f) => {
        f.wireguard = broken;
        f.l2Dhcp = { discover: broken };
        f.mtu = { underlay: broken, l3: broken, l2: broken };
        f.throughput = { lan: broken, tunnel: broken, e2e: broken };
        f.udp = broken;
        f.latency = broken;
        f.routerCpu = broken;
        f.wifi = { router: broken };
      }),
    ],
    [
      'router unreachable',
      healthy((f) => (f.router = { kind: 'unreachable', message: 'connection refused' })),
    ],
    [
      'router missing iperf3',
      healthy((f) => (f.router = { kind: 'reached', model: 'X', packages: ['wireguard-tools'] })),
    ],
    ['router missing both', healthy((f) => (f.router = { kind: 'reached', packages: [] }))],
    ['no peers', wireguard((wg) => (wg.peers = []))],
    [
      'never handshaked',
      wireguard((wg) => {
        wg.peers[0]!.latestHandshakeUnixS = 0;
        wg.tunnelPing = { target: '10.0.31.1', answered: false };
      }),
    ],
    [
      'never handshaked, no endpoint',
      wireguard((wg) => {
        wg.peers[0]!.latestHandshakeUnixS = 0;
        delete wg.peers[0]!.endpoint;
      }),
    ],
    [
      'stale handshake',
      wireguard((wg) => {
        wg.peers[0]!.latestHandshakeUnixS = wg.nowUnixS - 181;
        delete wg.tunnelPing;
      }),
    ],
    ['no data through the tunnel', wireguard((wg) => (wg.tunnelPing!.answered = false))],
    ['handshake without ping', wireguard((wg) => delete wg.tunnelPing)],
    [
      'ping without rtt, no endpoint',
      wireguard((wg) => {
        wg.tunnelPing = { target: '10.0.31.1', answered: true };
        delete wg.peers[0]!.endpoint;
      }),
    ],
    [
      'no DHCP offer (timeout)',
      healthy((f) => (f.l2Dhcp = { discover: { kind: 'no-offer', reason: 'timeout' } })),
    ],
    [
      'no DHCP offer (error)',
      healthy(
        (f) =>
          (f.l2Dhcp = {
            discover: { kind: 'no-offer', reason: 'error', message: 'br-lan2 has no carrier' },
          }),
      ),
    ],
    [
      'offer without server or option',
      healthy((f) => (f.l2Dhcp = { discover: { kind: 'offer', address: '192.168.35.150' } })),
    ],
    [
      'laptop on L2',
      healthy((f) => {
        f.l2Dhcp = {
          discover: { kind: 'offer', address: '192.168.35.150' },
          laptopLease: {
            onL2: true,
            address: '192.168.35.123',
            mtuOption: 1370,
            interfaceMtu: 1370,
          },
        };
      }),
    ],
    [
      'underlay 1400 with ICMP',
      healthy((f) => {
        f.mtu!.underlay = {
          kind: 'measured',
          target: '203.0.113.10',
          search: found({ pathMtu: 1400 }),
        };
      }),
    ],
    [
      'underlay 1400 black hole',
      healthy((f) => {
        f.mtu!.underlay = {
          kind: 'measured',
          target: '203.0.113.10',
          search: found({ pathMtu: 1400, blackHole: true, firstSilentSize: 1401 }),
        };
      }),
    ],
    ['underlay IPv6', wireguard((wg) => (wg.peers[0]!.endpoint = '[2001:db8::10]:51820'))],
    [
      'no probe answered',
      healthy((f) => {
        const search: PathMtuSearch = { kind: 'unreachable', probes: 3, trace: [] };
        f.mtu = {
          underlay: { kind: 'measured', target: '203.0.113.10', search },
          l3: { kind: 'measured', target: '10.0.31.1', search },
          l2: { kind: 'measured', target: '192.168.35.1', search },
        };
      }),
    ],
    [
      'tunnel path black hole',
      healthy((f) => {
        f.mtu!.l3 = {
          kind: 'measured',
          target: '10.0.31.1',
          search: found({ pathMtu: 1380, blackHole: true }),
        };
      }),
    ],
    [
      'tunnel path below wg0',
      healthy((f) => {
        f.mtu!.l3 = { kind: 'measured', target: '10.0.31.1', search: found({ pathMtu: 1380 }) };
      }),
    ],
    [
      'tunnel path found by search',
      healthy((f) => {
        f.mtu!.l3 = { kind: 'measured', target: '10.0.31.1', search: found({ pathMtu: 1420 }) };
      }),
    ],
    [
      'L2 without offer',
      healthy((f) => (f.l2Dhcp = { discover: { kind: 'no-offer', reason: 'timeout' } })),
    ],
    [
      'L2 with ICMP for every size',
      healthy((f) => {
        f.l2Dhcp = { discover: { kind: 'offer', address: '192.168.35.150' } };
        f.mtu!.l2 = {
          kind: 'measured',
          target: '192.168.35.1',
          search: found({ pathMtu: 1370, method: 'icmp' }),
        };
      }),
    ],
    [
      'throughput stalled, slow and tight',
      healthy((f) => {
        f.throughput = {
          lan: { kind: 'measured', downMbps: 0, upMbps: 12.34 },
          tunnel: { kind: 'measured', downMbps: 88.25 },
          e2e: { kind: 'measured', downMbps: 110.5, upMbps: 90 },
        };
      }),
    ],
    [
      'throughput without downstream',
      healthy((f) => (f.throughput = { tunnel: { kind: 'measured', upMbps: 50 } })),
    ],
    [
      'udp lossy',
      healthy((f) => {
        f.udp = {
          kind: 'measured',
          offeredMbps: 100,
          receivedMbps: 97.5,
          lossPercent: 2.456,
          jitterMs: 12.345,
          packetBytes: 1400,
        };
      }),
    ],
    [
      'udp jittery',
      healthy((f) => {
        f.udp = {
          kind: 'measured',
          offeredMbps: 150,
          receivedMbps: 149.9,
          lossPercent: 0.6,
          jitterMs: 3,
          packetBytes: 1300,
        };
      }),
    ],
    [
      'latency up-bound',
      healthy(
        (f) => (f.latency = { kind: 'measured', idleMs: 20, loadedDownMs: 22, loadedUpMs: 270 }),
      ),
    ],
    [
      'latency grade C',
      healthy((f) => (f.latency = { kind: 'measured', idleMs: 20.25, loadedDownMs: 120.75 })),
    ],
    ['latency idle only', healthy((f) => (f.latency = { kind: 'measured', idleMs: 20 }))],
    [
      'cpu pegged, tunnel fast',
      healthy((f) => (f.routerCpu = { kind: 'measured', busiestCorePercent: 98 })),
    ],
    [
      'cpu pegged, tunnel slow',
      healthy((f) => {
        f.routerCpu = { kind: 'measured', busiestCorePercent: 97.6 };
        f.throughput!.tunnel = { kind: 'measured', downMbps: 88 };
      }),
    ],
    [
      'SoC below target',
      healthy((f) => {
        f.router = { kind: 'reached', system: 'MediaTek MT7621 ver:1 eco:3' };
        f.targetMbps = 150;
      }),
    ],
    [
      'unknown SoC',
      healthy(
        (f) => (f.router = { kind: 'reached', hostname: 'travel', release: 'OpenWrt 24.10.0' }),
      ),
    ],
    [
      'wifi narrow',
      healthy((f) => {
        if (f.wifi?.router?.kind === 'measured') f.wifi.router.widthMhz = 40;
      }),
    ],
    [
      'wifi weak',
      healthy((f) => {
        if (f.wifi?.router?.kind === 'measured') f.wifi.router.signalDbm = -80;
      }),
    ],
    [
      'wifi laptop on 2.4 GHz only',
      healthy((f) => {
        f.wifi = {
          laptop: { kind: 'measured', frequencyMhz: 2437, signalDbm: -70, txRateMbps: 144.4 },
        };
      }),
    ],
  ];
}
