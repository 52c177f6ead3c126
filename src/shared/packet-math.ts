// How one packet from a client on the bridged (L2) SSID travels home: the headers each layer
// adds and where it is fragmented. Pure arithmetic shared by the packet-anatomy screen and its
// tests; the MTU planner in main/core stays the authority for configured values.

export const headerBytes = {
  ipv4: 20,
  ipv6: 40,
  udp: 8,
  icmp: 8,
  wireguard: 32,
  vxlan: 8,
  ethernet: 14,
} as const;

export type OuterIp = 'ipv4' | 'ipv6';

export type StackLayerId =
  | 'outer-ip'
  | 'outer-udp'
  | 'wireguard'
  | 'vxlan-ip'
  | 'vxlan-udp'
  | 'vxlan'
  | 'ethernet'
  | 'inner-ip'
  | 'payload';

export interface StackLayer {
  id: StackLayerId;
  bytes: number;
}

/** WireGuard over IPv4 or IPv6 and VXLAN (IPv4 inside the tunnel), outermost first. */
export function headerStack(innerIpBytes: number, outer: OuterIp = 'ipv4'): StackLayer[] {
  return [
    { id: 'outer-ip', bytes: headerBytes[outer] },
    { id: 'outer-udp', bytes: headerBytes.udp },
    { id: 'wireguard', bytes: headerBytes.wireguard },
    { id: 'vxlan-ip', bytes: headerBytes.ipv4 },
    { id: 'vxlan-udp', bytes: headerBytes.udp },
    { id: 'vxlan', bytes: headerBytes.vxlan },
    { id: 'ethernet', bytes: headerBytes.ethernet },
    { id: 'inner-ip', bytes: headerBytes.ipv4 },
    { id: 'payload', bytes: Math.max(0, innerIpBytes - headerBytes.ipv4) },
  ];
}

/** VXLAN's own encapsulation of one inner IP packet: its IPv4 + UDP + VXLAN + Ethernet (50). */
export const vxlanOverhead =
  headerBytes.ipv4 + headerBytes.udp + headerBytes.vxlan + headerBytes.ethernet;

/** WireGuard's encapsulation on the underlay, without the padding. */
export function wireguardOverhead(outer: OuterIp): number {
  return headerBytes[outer] + headerBytes.udp + headerBytes.wireguard;
}

/**
 * Sizes of the IPv4 packets a datagram of `totalBytes` becomes on a link of `mtu`: every fragment
 * but the last carries a multiple of 8 data bytes (RFC 791).
 */
export function fragmentIpv4(totalBytes: number, mtu: number): number[] {
  const header = headerBytes.ipv4;
  if (totalBytes <= mtu) return [totalBytes];
  const perFragment = Math.floor((mtu - header) / 8) * 8;
  if (perFragment <= 0) throw new RangeError(`MTU ${mtu} cannot carry an IPv4 fragment`);
  const sizes: number[] = [];
  let data = totalBytes - header;
  while (data > perFragment) {
    sizes.push(header + perFragment);
    data -= perFragment;
  }
  sizes.push(header + data);
  return sizes;
}

/** What the client sends: `ping -s N` (ICMP) or a UDP datagram with N payload bytes. */
export type PacketKind = 'icmp' | 'udp';

export function ipPacketBytes(payloadBytes: number, kind: PacketKind): number {
  return headerBytes.ipv4 + (kind === 'icmp' ? headerBytes.icmp : headerBytes.udp) + payloadBytes;
}

export interface PathMtus {
  /** The MTU the L2 client uses (1500 unless home's DHCP option 26 says less). */
  clientMtu: number;
  /** The bridge and VXLAN device MTU (1370 with option 26, 1500 in the seed's setup). */
  l2Mtu: number;
  wireguardMtu: number;
  underlayMtu: number;
  outer: OuterIp;
}

export interface FragmentTrace {
  /** The client's IP datagram before any fragmentation. */
  datagramBytes: number;
  /** IP packets leaving the client. */
  client: number[];
  /** Client packets the bridge drops silently: larger than the L2 MTU (the black hole). */
  droppedAtBridge: number[];
  /** VXLAN's outer IPv4 packets, one per client packet that passed the bridge. */
  vxlan: number[];
  /** IP packets entering wg0: VXLAN packets fragmented at the WireGuard MTU (VXLAN sends without DF). */
  wg0: number[];
  /** UDP datagrams on the underlay with the outer IP header, WireGuard padding included. */
  underlay: number[];
  /** Underlay datagrams larger than the underlay MTU. */
  oversizeOnUnderlay: number[];
  /** Every fragment made it through, so the far end can reassemble the datagram. */
  delivered: boolean;
}

function wireguardPadded(bytes: number, wireguardMtu: number): number {
  return Math.min(Math.ceil(bytes / 16) * 16, Math.max(bytes, wireguardMtu));
}

export function tracePacket(payloadBytes: number, kind: PacketKind, mtus: PathMtus): FragmentTrace {
  const datagramBytes = ipPacketBytes(payloadBytes, kind);
  const client = fragmentIpv4(datagramBytes, mtus.clientMtu);
  const droppedAtBridge = client.filter((size) => size > mtus.l2Mtu);
  const vxlan = client.filter((size) => size <= mtus.l2Mtu).map((size) => size + vxlanOverhead);
  const wg0 = vxlan.flatMap((size) => fragmentIpv4(size, mtus.wireguardMtu));
  const underlay = wg0.map(
    (size) => wireguardPadded(size, mtus.wireguardMtu) + wireguardOverhead(mtus.outer),
  );
  const oversizeOnUnderlay = underlay.filter((size) => size > mtus.underlayMtu);
  return {
    datagramBytes,
    client,
    droppedAtBridge,
    vxlan,
    wg0,
    underlay,
    oversizeOnUnderlay,
    delivered: droppedAtBridge.length === 0 && oversizeOnUnderlay.length === 0,
  };
}

/** The ladder most setups use: WireGuard sized for an IPv6 underlay (80), VXLAN inside (50). */
export function ladderFromUnderlay(underlayMtu: number): { wireguard: number; l2: number } {
  const wireguard = underlayMtu - wireguardOverhead('ipv6');
  return { wireguard, l2: wireguard - vxlanOverhead };
}
