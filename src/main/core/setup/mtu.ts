import type { L2MtuStrategy, MtuLadder } from '../../../shared/setup';

// WireGuard's worst-case overhead is sized for an IPv6 underlay: 40 (IPv6) + 8 (UDP) +
// 32 (WireGuard header 16 + auth tag 16). VXLAN over IPv4 adds 20 (IPv4) + 8 (UDP) + 8 (VXLAN)
// + 14 (the inner Ethernet header), 50 in all.
export const wireguardOverhead = 80;
export const vxlanOverhead = 50;
export const minimumIpv4Mtu = 576;
export const minimumIpv6Mtu = 1280;

export function mtuLadder(underlay: number, strategy: L2MtuStrategy): MtuLadder {
  const wireguard = underlay - wireguardOverhead;
  const vxlanFits = wireguard - vxlanOverhead;
  const vxlan = strategy === 'vxlan-1500-fragment' ? 1500 : vxlanFits;
  const arithmetic = [
    `WireGuard MTU = ${underlay} (underlay) - ${wireguardOverhead} (outer IPv6 40 + UDP 8 + WireGuard 32) = ${wireguard}`,
    `VXLAN MTU that fits = ${wireguard} (WireGuard) - ${vxlanOverhead} (IPv4 20 + UDP 8 + VXLAN 8 + Ethernet 14) = ${vxlanFits}`,
  ];
  if (strategy === 'vxlan-1500-fragment') {
    arithmetic.push(
      `VXLAN and the bridge run at 1500 instead: frames above ${vxlanFits} are fragmented inside the tunnel`,
    );
  } else {
    arithmetic.push(`Home DHCP option 26 tells the bridged clients MTU ${vxlanFits}`);
  }
  return { underlay, wireguard, vxlan, l2Segment: vxlan, arithmetic };
}
