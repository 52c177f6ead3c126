import { describe, expect, it } from 'vitest';
import {
  fragmentIpv4,
  headerStack,
  ipPacketBytes,
  ladderFromUnderlay,
  tracePacket,
} from './packet-math';
import type { PathMtus } from './packet-math';

const seed: PathMtus = {
  clientMtu: 1500,
  l2Mtu: 1500,
  wireguardMtu: 1420,
  underlayMtu: 1500,
  outer: 'ipv4',
};

describe('packet math', () => {
  it('the seed: a 2000-byte ping from a 1500-MTU L2 client is 1420 + 150 + 598 on wg0', () => {
    const trace = tracePacket(2000, 'icmp', seed);
    expect(trace.datagramBytes).toBe(2028);
    expect(trace.client).toEqual([1500, 548]);
    expect(trace.vxlan).toEqual([1550, 598]);
    expect(trace.wg0).toEqual([1420, 150, 598]);
    expect(trace.droppedAtBridge).toEqual([]);
    expect(trace.delivered).toBe(true);
  });

  it('pads WireGuard payloads to 16 bytes, never past the interface MTU', () => {
    const trace = tracePacket(2000, 'icmp', seed);
    // 1420 stays 1420 (+60), 150 -> 160 (+60), 598 -> 608 (+60).
    expect(trace.underlay).toEqual([1480, 220, 668]);
    expect(trace.oversizeOnUnderlay).toEqual([]);
  });

  it('the L2 black hole: a 1500-byte client packet on a 1370 bridge is dropped', () => {
    const trace = tracePacket(1472, 'icmp', { ...seed, l2Mtu: 1370 });
    expect(trace.client).toEqual([1500]);
    expect(trace.droppedAtBridge).toEqual([1500]);
    expect(trace.wg0).toEqual([]);
    expect(trace.delivered).toBe(false);
  });

  it('with option 26 the client fragments at 1370 and nothing fragments in the tunnel', () => {
    const trace = tracePacket(2000, 'icmp', { ...seed, clientMtu: 1370, l2Mtu: 1370 });
    expect(trace.client).toEqual([1364, 684]);
    expect(trace.wg0).toEqual([1414, 734]);
    expect(trace.delivered).toBe(true);
  });

  it('keeps fragment data on 8-byte boundaries', () => {
    for (const size of fragmentIpv4(5000, 1371).slice(0, -1)) expect((size - 20) % 8).toBe(0);
    expect(fragmentIpv4(5000, 1371).reduce((sum, s) => sum + s - 20, 0)).toBe(4980);
    expect(fragmentIpv4(100, 1500)).toEqual([100]);
    expect(() => fragmentIpv4(100, 24)).toThrow(RangeError);
  });

  it('an IPv6 underlay fits a full wg0 packet at 1500 exactly, and no less', () => {
    const trace = tracePacket(2000, 'icmp', { ...seed, outer: 'ipv6' });
    expect(trace.underlay[0]).toBe(1500);
    expect(trace.oversizeOnUnderlay).toEqual([]);
    const small = tracePacket(2000, 'icmp', { ...seed, outer: 'ipv6', underlayMtu: 1480 });
    expect(small.oversizeOnUnderlay).toEqual([1500]);
    expect(small.delivered).toBe(false);
  });

  it('the header stack of a full 1370 L2 packet adds up to the 1420 and 1500 rungs', () => {
    expect(ladderFromUnderlay(1500)).toEqual({ wireguard: 1420, l2: 1370 });
    const stack = headerStack(1370, 'ipv6');
    const total = stack.reduce((sum, layer) => sum + layer.bytes, 0);
    expect(total).toBe(1500);
    const wg0Part = stack.slice(3).reduce((sum, layer) => sum + layer.bytes, 0);
    expect(wg0Part).toBe(1420);
    expect(stack.find((l) => l.id === 'payload')?.bytes).toBe(1350);
    expect(ipPacketBytes(1342, 'udp')).toBe(1370);
  });
});
