// What a wire rate is worth inside the tunnel. A shaper (tbf on the lab's WAN, an ISP's policer in
// life) counts whole link-layer frames of WireGuard-encapsulated packets, so the useful share is
// the inner payload over the bytes on the wire, packet by packet.

export const ipv4HeaderBytes = 20;
export const ipv6HeaderBytes = 40;
export const udpHeaderBytes = 8;
export const tcpHeaderBytes = 20;
export const tcpTimestampOptionBytes = 12;
/** WireGuard data message: type 4 + receiver 4 + counter 8, then the 16-byte Poly1305 tag. */
export const wireguardDataHeaderBytes = 16;
export const wireguardTagBytes = 16;
/** VXLAN over IPv4: outer IPv4 20 + UDP 8 + VXLAN 8 + the inner Ethernet header 14. */
export const vxlanOverheadBytes = 50;
/** tbf counts skb->len, which on a veth (Ethernet) includes the 14-byte MAC header. */
export const ethernetHeaderBytes = 14;

export type OuterFamily = 'ipv4' | 'ipv6';

export interface TunnelPath {
  /** The WireGuard interface MTU: the largest inner packet. */
  tunnelMtu: number;
  /** Family of the outer (underlay) packets; 'none' = no tunnel, plain IPv4 on the wire. */
  outer: OuterFamily | 'none';
  /** Link-layer bytes the shaper counts per packet; 14 (Ethernet) unless told. */
  linkHeaderBytes?: number;
  /** Client packets are bridged at L2 through VXLAN inside the tunnel; their IP MTU. */
  vxlanClientMtu?: number;
}

/** WireGuard pads the plaintext to a multiple of 16, but never beyond the interface MTU. */
export function wireguardPaddedLength(innerBytes: number, tunnelMtu: number): number {
  return Math.min(Math.ceil(innerBytes / 16) * 16, Math.max(tunnelMtu, innerBytes));
}

/** Bytes of the outer packet (without link header) that carries one inner packet. */
export function wireguardOuterBytes(
  innerBytes: number,
  tunnelMtu: number,
  outer: OuterFamily,
): number {
  return (
    wireguardPaddedLength(innerBytes, tunnelMtu) +
    wireguardDataHeaderBytes +
    wireguardTagBytes +
    udpHeaderBytes +
    (outer === 'ipv4' ? ipv4HeaderBytes : ipv6HeaderBytes)
  );
}

/** WireGuard's per-packet cost when the inner packet is already a multiple of 16 or fills the MTU. */
export function wireguardOverheadBytes(outer: OuterFamily): number {
  return wireguardOuterBytes(0, 0, outer);
}

/** The largest WireGuard MTU whose full-size packets fit an underlay path MTU. */
export function wireguardMtuForUnderlay(underlayMtu: number, outer: OuterFamily): number {
  return underlayMtu - wireguardOverheadBytes(outer);
}

/** IPv4 fragments of one packet of `totalBytes` leaving a link of `mtu`. */
export function ipv4Fragments(totalBytes: number, mtu: number): number[] {
  if (totalBytes <= mtu) return [totalBytes];
  const perFragment = Math.floor((mtu - ipv4HeaderBytes) / 8) * 8;
  const sizes: number[] = [];
  let left = totalBytes - ipv4HeaderBytes;
  while (left > 0) {
    const chunk = Math.min(perFragment, left);
    sizes.push(chunk + ipv4HeaderBytes);
    left -= chunk;
  }
  return sizes;
}

/** The packets that enter the tunnel interface for one IPv4 packet a client sends. */
export function tunnelInnerPackets(ipPacketBytes: number, path: TunnelPath): number[] {
  const firstHop = path.vxlanClientMtu ?? path.tunnelMtu;
  const sent = ipv4Fragments(ipPacketBytes, firstHop);
  if (path.vxlanClientMtu === undefined) return sent;
  return sent.flatMap((f) => ipv4Fragments(f + vxlanOverheadBytes, path.tunnelMtu));
}

/** Wire bytes (as a shaper counts them) for one IPv4 packet a client sends into the path. */
export function wireBytesForPacket(ipPacketBytes: number, path: TunnelPath): number {
  const link = path.linkHeaderBytes ?? ethernetHeaderBytes;
  const inner = tunnelInnerPackets(ipPacketBytes, path);
  if (path.outer === 'none') return inner.reduce((sum, p) => sum + p + link, 0);
  const outer = path.outer;
  return inner.reduce((sum, p) => sum + wireguardOuterBytes(p, path.tunnelMtu, outer) + link, 0);
}

export interface TcpGoodputInput extends TunnelPath {
  wireMbps: number;
  /** Linux and macOS send timestamps by default; Windows does not. */
  tcpTimestamps?: boolean;
}

/** Expected bulk TCP goodput with full-sized segments (ACKs travel the other way). */
export function tcpGoodputMbps(input: TcpGoodputInput): number {
  const clientMtu = input.vxlanClientMtu ?? input.tunnelMtu;
  const options = input.tcpTimestamps === false ? 0 : tcpTimestampOptionBytes;
  const mss = clientMtu - ipv4HeaderBytes - tcpHeaderBytes - options;
  return (input.wireMbps * mss) / wireBytesForPacket(clientMtu, input);
}

export interface UdpGoodputInput extends TunnelPath {
  wireMbps: number;
  /** UDP payload bytes per datagram (iperf3 -l, ALVR packet_size). */
  payloadBytes: number;
}

/** Expected UDP payload rate when the sender offers more than the wire carries. */
export function udpGoodputMbps(input: UdpGoodputInput): number {
  const packet = input.payloadBytes + udpHeaderBytes + ipv4HeaderBytes;
  return (input.wireMbps * input.payloadBytes) / wireBytesForPacket(packet, input);
}

/** Wire rate needed to carry `goodputMbps` of UDP payload: what a VR stream really costs. */
export function udpWireMbps(
  input: Omit<UdpGoodputInput, 'wireMbps'> & { goodputMbps: number },
): number {
  const packet = input.payloadBytes + udpHeaderBytes + ipv4HeaderBytes;
  return (input.goodputMbps * wireBytesForPacket(packet, input)) / input.payloadBytes;
}
