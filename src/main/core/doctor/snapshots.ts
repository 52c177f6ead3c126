// Snapshots of whole doctor runs: a healthy setup and the seed's own failure (clients at MTU 1500
// on a bridge that carries 1370 and drops the rest silently). Used by tests and as sample data.

import type { DoctorFacts } from './facts';
import type { PathMtuResult } from './pmtu';

function mtuResult(partial: Partial<PathMtuResult> & { pathMtu: number }): PathMtuResult {
  return {
    kind: 'found',
    probes: 2,
    method: 'search',
    exact: true,
    blackHole: false,
    trace: [],
    ...partial,
  };
}

export function healthySnapshot(): DoctorFacts {
  return {
    targetMbps: 100,
    streamerPacketBytes: 1300,
    router: {
      kind: 'reached',
      hostname: 'GL-MT3000',
      model: 'GL.iNet GL-MT3000',
      board: 'glinet,gl-mt3000',
      system: 'ARMv8 Processor rev 4',
      release: 'OpenWrt 23.05.5',
      packageManager: 'opkg',
      packages: ['wireguard-tools', 'kmod-wireguard', 'vxlan', 'kmod-vxlan', 'iperf3'],
    },
    wireguard: {
      kind: 'measured',
      interfaceName: 'wg0',
      nowUnixS: 1_790_000_100,
      peers: [
        {
          publicKey: 'h0me+PublicKeyBase64xxxxxxxxxxxxxxxxxxxxxx=',
          endpoint: '203.0.113.10:51820',
          latestHandshakeUnixS: 1_790_000_070,
          rxBytes: 123_456_789,
          txBytes: 9_876_543,
          keepaliveS: 25,
          allowedIps: ['10.0.31.1/32'],
        },
      ],
      tunnelPing: { target: '10.0.31.1', answered: true, rttMs: 21.4 },
    },
    l2Dhcp: {
      discover: {
        kind: 'offer',
        address: '192.168.35.150',
        server: '192.168.35.1',
        mtuOption: 1370,
      },
      laptopLease: { onL2: false },
    },
    mtu: {
      underlay: {
        kind: 'measured',
        target: '203.0.113.10',
        search: mtuResult({ pathMtu: 1500, probes: 1 }),
      },
      l3: {
        kind: 'measured',
        target: '10.0.31.1',
        search: mtuResult({ pathMtu: 1420, method: 'icmp', icmpMtu: 1420 }),
      },
      l2: {
        kind: 'measured',
        target: '192.168.35.1',
        search: mtuResult({
          pathMtu: 1370,
          probes: 5,
          method: 'icmp',
          icmpMtu: 1370,
          blackHole: true,
          blackHoleAbove: 1371,
          firstSilentSize: 1420,
        }),
      },
    },
    configuredMtu: { wg0: 1420, vxlan0: 1370, brLan2: 1370, underlay: 1500, client: 1500 },
    throughput: {
      lan: { kind: 'measured', downMbps: 612, upMbps: 480, downRetransmits: 3, upRetransmits: 0 },
      tunnel: {
        kind: 'measured',
        downMbps: 310,
        upMbps: 290,
        downRetransmits: 12,
        upRetransmits: 4,
      },
      e2e: { kind: 'measured', downMbps: 265, upMbps: 240, downRetransmits: 20, upRetransmits: 9 },
    },
    udp: {
      kind: 'measured',
      offeredMbps: 100,
      receivedMbps: 99.96,
      lossPercent: 0.04,
      jitterMs: 0.8,
      packetBytes: 1300,
    },
    latency: { kind: 'measured', idleMs: 21, loadedDownMs: 33, loadedUpMs: 29 },
    routerCpu: { kind: 'measured', busiestCorePercent: 71, cores: 2 },
    wifi: {
      router: {
        kind: 'measured',
        radio: 'radio1',
        htmode: 'HE80',
        band: '5',
        frequencyMhz: 5180,
        widthMhz: 80,
        signalDbm: -52,
        noiseDbm: -95,
        bitrateMbps: 1201,
      },
      laptop: {
        kind: 'measured',
        ssid: 'travel',
        frequencyMhz: 5180,
        signalDbm: -50,
        txRateMbps: 866,
      },
    },
  };
}

/**
 * The seed's failure, as measured in the lab: home's DHCP offers no MTU option, so L2 clients use
 * 1500, while the VXLAN bridge inside the 1420 tunnel carries 1370 and drops larger frames without
 * ICMP (1371-1374 get "frag needed", 1375 and up vanish).
 */
export function seedExactSnapshot(): DoctorFacts {
  const facts = healthySnapshot();
  facts.streamerPacketBytes = 1400;
  facts.l2Dhcp = {
    discover: { kind: 'offer', address: '192.168.35.150', server: '192.168.35.1' },
    laptopLease: { onL2: false },
  };
  facts.configuredMtu = { wg0: 1420, vxlan0: 1370, brLan2: 1370, underlay: 1500, client: 1500 };
  return facts;
}
