// The doctor's gathered snapshot. Services fill it from whatever the parsers return; checks and
// diagnosis only read it. Every section is optional: a section that was not gathered is absent,
// one that could not be measured says why (`skipped`) or what broke (`error`).

import type { PathMtuSearch } from './pmtu';

export interface Skipped {
  kind: 'skipped';
  reason: string;
}

export interface Failed {
  kind: 'error';
  message: string;
}

export type NotMeasured = Skipped | Failed;

export type RouterReachFacts =
  | {
      kind: 'reached';
      hostname?: string;
      model?: string;
      /** `ubus call system board` board_name, e.g. 'glinet,gl-mt3000'. */
      board?: string;
      /** `ubus call system board` system, e.g. 'MediaTek MT7621 ver:1 eco:3'. */
      system?: string;
      release?: string;
      packageManager?: 'opkg' | 'apk';
      /** Installed package names; absent when the list could not be read. */
      packages?: string[];
    }
  | { kind: 'unreachable'; message: string };

export interface WireguardPeerFacts {
  publicKey?: string;
  /** `host:port` or `[v6]:port`, as `wg show dump` prints it. */
  endpoint?: string;
  /** Unix seconds; 0 = never. */
  latestHandshakeUnixS: number;
  rxBytes: number;
  txBytes: number;
  /** Persistent keepalive in seconds; absent = off. */
  keepaliveS?: number;
  allowedIps?: string[];
}

export type WireguardFacts =
  | {
      kind: 'measured';
      interfaceName: string;
      /** The router's clock when the dump was read, so ages need no local clock. */
      nowUnixS: number;
      peers: WireguardPeerFacts[];
      /** A ping through the tunnel to home's tunnel address, sent before the dump was read. */
      tunnelPing?: { target: string; answered: boolean; rttMs?: number };
    }
  | NotMeasured;

export type DhcpDiscoverFacts =
  | { kind: 'offer'; address: string; server?: string; mtuOption?: number }
  | { kind: 'no-offer'; reason: 'timeout' | 'error'; message?: string }
  | NotMeasured;

export interface LaptopLeaseFacts {
  /** Whether the laptop sits on the L2 (bridged) SSID. */
  onL2: boolean;
  address?: string;
  mtuOption?: number;
  interfaceMtu?: number;
}

export interface L2DhcpFacts {
  /** An active discover sent through br-lan2 from the router. */
  discover: DhcpDiscoverFacts;
  laptopLease?: LaptopLeaseFacts;
}

export type PathMtuFacts =
  { kind: 'measured'; target: string; search: PathMtuSearch } | NotMeasured;

export interface MtuFacts {
  /** Router -> home's WireGuard endpoint, outside the tunnel. */
  underlay?: PathMtuFacts;
  /** Laptop -> home's tunnel address (routed). */
  l3?: PathMtuFacts;
  /** Across the bridged L2 path (station on br-lan2 -> home LAN). */
  l2?: PathMtuFacts;
}

export interface ConfiguredMtus {
  wg0?: number;
  vxlan0?: number;
  brLan2?: number;
  underlay?: number;
  /** The laptop's interface toward the travel router. */
  client?: number;
  /** DHCP option 26 that home's server is configured to offer on the bridged LAN. */
  dhcpOption26?: number;
}

export type ThroughputFacts =
  | {
      kind: 'measured';
      /** Home -> travel side: the VR direction. */
      downMbps?: number;
      upMbps?: number;
      downRetransmits?: number;
      upRetransmits?: number;
    }
  | NotMeasured;

export interface ThroughputSegments {
  /** Laptop <-> travel router. */
  lan?: ThroughputFacts;
  /** Travel router <-> home (iperf3 on the router). */
  tunnel?: ThroughputFacts;
  /** Laptop <-> home. */
  e2e?: ThroughputFacts;
}

export type UdpFacts =
  | {
      kind: 'measured';
      offeredMbps: number;
      receivedMbps: number;
      lossPercent: number;
      jitterMs: number;
      /** UDP payload bytes per datagram. */
      packetBytes: number;
    }
  | NotMeasured;

export type LatencyFacts =
  | {
      kind: 'measured';
      idleMs: number;
      /** Round trip while the downstream (home -> travel) is saturated. */
      loadedDownMs?: number;
      loadedUpMs?: number;
    }
  | NotMeasured;

export type RouterCpuFacts =
  | {
      kind: 'measured';
      /** Highest per-core busy share while the tunnel test ran. */
      busiestCorePercent: number;
      cores?: number;
    }
  | NotMeasured;

export type WifiBand = '2.4' | '5' | '6';

export interface RouterStationFacts {
  kind: 'measured';
  /** The radio section name, e.g. 'radio1', for uci fixes. */
  radio?: string;
  /** Configured htmode, e.g. 'HE80', 'VHT40', 'HT20'. */
  htmode?: string;
  band?: WifiBand;
  frequencyMhz?: number;
  widthMhz?: number;
  signalDbm?: number;
  noiseDbm?: number;
  /** PHY rate toward the station (router -> headset). */
  bitrateMbps?: number;
}

export interface LaptopWifiFacts {
  kind: 'measured';
  ssid?: string;
  frequencyMhz?: number;
  signalDbm?: number;
  txRateMbps?: number;
}

export interface WifiFacts {
  router?: RouterStationFacts | NotMeasured;
  laptop?: LaptopWifiFacts | NotMeasured;
}

export interface DoctorFacts {
  targetMbps: number;
  /** The streamer's UDP payload size (ALVR `packet_size`). */
  streamerPacketBytes?: number;
  router: RouterReachFacts;
  wireguard?: WireguardFacts;
  l2Dhcp?: L2DhcpFacts;
  mtu?: MtuFacts;
  configuredMtu?: ConfiguredMtus;
  throughput?: ThroughputSegments;
  udp?: UdpFacts;
  latency?: LatencyFacts;
  routerCpu?: RouterCpuFacts;
  wifi?: WifiFacts;
}
