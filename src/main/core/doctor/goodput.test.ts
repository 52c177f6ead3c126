import { describe, expect, it } from 'vitest';
import {
  ipv4Fragments,
  tunnelInnerPackets,
  tcpGoodputMbps,
  udpGoodputMbps,
  udpWireMbps,
  wireBytesForPacket,
  wireguardMtuForUnderlay,
  wireguardOuterBytes,
  wireguardPaddedLength,
} from './goodput';

const lab = { tunnelMtu: 1420, outer: 'ipv4' as const };

describe('WireGuard framing', () => {
  it('pads to 16 but never past the MTU', () => {
    expect(wireguardPaddedLength(1420, 1420)).toBe(1420);
    expect(wireguardPaddedLength(1340, 1420)).toBe(1344);
    expect(wireguardPaddedLength(1328, 1420)).toBe(1328);
    expect(wireguardPaddedLength(84, 1420)).toBe(96);
  });

  it('fits 1328 but not 1340 under an outer MTU of 1400 (lab gotcha 7)', () => {
    expect(wireguardOuterBytes(1328, 1420, 'ipv4')).toBeLessThanOrEqual(1400);
    expect(wireguardOuterBytes(1340, 1420, 'ipv4')).toBeGreaterThan(1400);
  });

  it('derives the tunnel MTU from an underlay MTU', () => {
    expect(wireguardMtuForUnderlay(1500, 'ipv4')).toBe(1440);
    expect(wireguardMtuForUnderlay(1500, 'ipv6')).toBe(1420);
    expect(wireguardMtuForUnderlay(1280, 'ipv4')).toBe(1220);
  });
});

describe('ipv4Fragments', () => {
  it('splits on 8-byte boundaries', () => {
    expect(ipv4Fragments(1420, 1420)).toEqual([1420]);
    // A 2028-byte ping over a 1370 bridge: 1348 payload + 660 tail.
    expect(ipv4Fragments(2028, 1370)).toEqual([1364, 684]);
  });
});

describe('goodput inside the tunnel', () => {
  it('matches the lab: 50 Mbit/s tbf on the WAN gave 45.8 Mbit/s TCP with wg MTU 1420', () => {
    const tcp = tcpGoodputMbps({ ...lab, wireMbps: 50 });
    expect(tcp).toBeCloseTo(45.78, 2);
    expect(Math.abs(tcp - 45.8) / 45.8).toBeLessThan(0.01);
  });

  it('matches the lab: tbf 10 Mbit gave 9.2 Mbit/s TCP', () => {
    expect(Math.abs(tcpGoodputMbps({ ...lab, wireMbps: 10 }) - 9.2) / 9.2).toBeLessThan(0.01);
  });

  it('matches the lab: UDP offered over 50 Mbit/s delivered 46.2 (iperf3 length 1368)', () => {
    const udp = udpGoodputMbps({ ...lab, wireMbps: 50, payloadBytes: 1368 });
    expect(Math.abs(udp - 46.2) / 46.2).toBeLessThan(0.01);
  });

  it('costs more when UDP datagrams fragment inside the tunnel', () => {
    const fits = udpGoodputMbps({ ...lab, wireMbps: 100, payloadBytes: 1392 });
    const fragments = udpGoodputMbps({ ...lab, wireMbps: 100, payloadBytes: 1400 });
    expect(fragments).toBeLessThan(fits - 3);
  });

  it('charges VXLAN on the L2 path: a 1370 client packet fills the 1420 tunnel exactly', () => {
    expect(wireBytesForPacket(1370, { ...lab, vxlanClientMtu: 1370 })).toBe(1420 + 60 + 14);
    const l2 = tcpGoodputMbps({ ...lab, vxlanClientMtu: 1370, wireMbps: 50 });
    expect(l2).toBeLessThan(tcpGoodputMbps({ ...lab, wireMbps: 50 }));
    expect(l2).toBeCloseTo((50 * 1318) / 1494, 6);
  });

  it('reproduces the seed capture: a 2000-byte ping from a 1500 client is 1420 + 150 and 598 on wg0', () => {
    const path = { ...lab, vxlanClientMtu: 1500 };
    expect(tunnelInnerPackets(2028, path)).toEqual([1420, 150, 598]);
    expect(wireBytesForPacket(2028, path)).toBe(
      wireguardOuterBytes(1420, 1420, 'ipv4') +
        wireguardOuterBytes(150, 1420, 'ipv4') +
        wireguardOuterBytes(598, 1420, 'ipv4') +
        3 * 14,
    );
  });

  it('without a tunnel only the headers and Ethernet framing are lost', () => {
    expect(tcpGoodputMbps({ tunnelMtu: 1500, outer: 'none', wireMbps: 100 })).toBeCloseTo(
      (100 * 1448) / 1514,
      6,
    );
  });

  it('inverts: the wire rate a UDP stream needs', () => {
    const wire = udpWireMbps({ ...lab, payloadBytes: 1368, goodputMbps: 46.15 });
    expect(udpGoodputMbps({ ...lab, payloadBytes: 1368, wireMbps: wire })).toBeCloseTo(46.15, 6);
  });
});
