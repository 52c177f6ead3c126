/** Per-packet sizes that decide how much of a shaped WAN's rate TCP inside WireGuard gets. */
export interface TunnelOverheads {
  /** MTU of the tunnel interface (inner IP packet size of a full segment) */
  innerMtu: number;
  /** TCP options on every data segment (timestamps: 12 bytes, on by default in Linux) */
  tcpOptions: number;
  /** WireGuard data message header (16) + Poly1305 tag (16) */
  wireguard: number;
  outerUdp: number;
  outerIp: number;
  /** tbf measures the frame as the qdisc sees it: Ethernet header included, no FCS/preamble */
  ethernet: number;
}

export const DEFAULT_OVERHEADS: TunnelOverheads = {
  innerMtu: 1420,
  tcpOptions: 12,
  wireguard: 32,
  outerUdp: 8,
  outerIp: 20,
  ethernet: 14,
};

/** WireGuard pads plaintext to a multiple of 16, but never beyond the tunnel MTU. */
export function wireguardPadding(packetLen: number, mtu: number): number {
  const padded = Math.min(Math.ceil(packetLen / 16) * 16, mtu);
  return Math.max(0, padded - packetLen);
}

/**
 * TCP goodput (payload bits/s) inside the tunnel when the WAN is shaped to rateMbit by a tbf that
 * counts encapsulated frames: rate x payload / wire bytes of one full-sized segment.
 */
export function expectedGoodputMbit(
  rateMbit: number,
  o: TunnelOverheads = DEFAULT_OVERHEADS,
): number {
  const inner = o.innerMtu;
  const payload = inner - 20 - 20 - o.tcpOptions;
  const wire =
    inner + wireguardPadding(inner, o.innerMtu) + o.wireguard + o.outerUdp + o.outerIp + o.ethernet;
  return (rateMbit * payload) / wire;
}
