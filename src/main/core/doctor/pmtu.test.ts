import { describe, expect, it } from 'vitest';
import {
  discoverPathMtu,
  icmpPayloadForPacket,
  packetForIcmpPayload,
  simulatePath,
  type Probe,
  type ProbeOutcome,
} from './pmtu';

const silent: ProbeOutcome = { kind: 'silent' };

// laptop -> 10.0.31.1 in the lab: the router answers frag-needed (mtu = 1420) for anything larger.
const l3Path = simulatePath({ mtu: 1420, above: () => ({ kind: 'frag-needed', mtu: 1420 }) });

// L2 station -> 192.168.35.1 over the 1370 bridge (lab.md): payload 1342 passes, 1343-1346 get
// frag-needed (mtu = 1370), 1347..1472 vanish. As IP sizes: 1370 ok, 1371-1374 ICMP, 1375+ silent.
const l2Path = simulatePath({
  mtu: 1370,
  above: (size) => (size <= 1374 ? { kind: 'frag-needed', mtu: 1370 } : silent),
});

// Underlay 1400 with ICMP frag-needed dropped: the classic black hole.
const underlayBlackHole = simulatePath({ mtu: 1400, above: () => silent });

function counting(probe: Probe): Probe & { sizes: number[] } {
  const sizes: number[] = [];
  const wrapped = (size: number): Promise<ProbeOutcome> => {
    sizes.push(size);
    return probe(size);
  };
  return Object.assign(wrapped, { sizes });
}

describe('size helpers', () => {
  it('converts between IPv4 ICMP payload and IP packet size', () => {
    expect(packetForIcmpPayload(1392)).toBe(1420);
    expect(icmpPayloadForPacket(1370)).toBe(1342);
    expect(packetForIcmpPayload(1232, 'ipv6')).toBe(1280);
    expect(icmpPayloadForPacket(1500, 'ipv6')).toBe(1452);
  });
});

describe('discoverPathMtu', () => {
  it('takes the ICMP hint on the routed path: 1420 in two probes', async () => {
    const r = await discoverPathMtu(l3Path, { ceiling: 1500 });
    expect(r).toMatchObject({ kind: 'found', pathMtu: 1420, method: 'icmp', probes: 2 });
    expect(r.kind === 'found' && r.blackHole).toBe(false);
    expect(r.kind === 'found' && r.icmpMtu).toBe(1420);
    expect(r.trace.map((p) => p.size)).toEqual([1500, 1420]);
  });

  it('passes at once when the ceiling fits', async () => {
    const r = await discoverPathMtu(simulatePath({ mtu: 1500, above: () => silent }), {
      ceiling: 1500,
    });
    expect(r).toMatchObject({ kind: 'found', pathMtu: 1500, probes: 1, blackHole: false });
  });

  it('finds 1370 on the L2 path and reports the silent black hole above it', async () => {
    const r = await discoverPathMtu(l2Path, { ceiling: 1500 });
    expect(r.kind).toBe('found');
    if (r.kind !== 'found') return;
    expect(r.pathMtu).toBe(1370);
    expect(r.exact).toBe(true);
    expect(r.blackHole).toBe(true);
    expect(r.icmpMtu).toBe(1370);
    expect(r.firstSilentSize).toBeGreaterThanOrEqual(1375);
    expect(r.blackHoleAbove).toBeGreaterThanOrEqual(1370);
    expect(r.blackHoleAbove).toBeLessThan(r.firstSilentSize ?? 0);
    expect(r.probes).toBeLessThanOrEqual(12);
  });

  it('needs only a handful of probes on the L2 path when the configured MTUs are offered', async () => {
    const probe = counting(l2Path);
    const r = await discoverPathMtu(probe, { ceiling: 1500, candidates: [1420, 1370] });
    expect(r).toMatchObject({ kind: 'found', pathMtu: 1370, blackHole: true, exact: true });
    // 1500 silent, 1420 silent, 1370 ok, 1371 frag-needed, then one retry to confirm the hole.
    expect(probe.sizes).toEqual([1500, 1420, 1370, 1371, 1420]);
  });

  it('finds an underlay black hole by search, with no ICMP at all', async () => {
    const r = await discoverPathMtu(underlayBlackHole, { ceiling: 1500 });
    expect(r).toMatchObject({ kind: 'found', pathMtu: 1400, method: 'search', blackHole: true });
    if (r.kind !== 'found') return;
    expect(r.icmpMtu).toBeUndefined();
    expect(r.firstSilentSize).toBe(1401);
    expect(r.blackHoleAbove).toBe(1400);
    expect(r.probes).toBeLessThanOrEqual(14);
  });

  it('is exact for every MTU between the floor and the ceiling on a silent path', async () => {
    for (let mtu = 576; mtu <= 1500; mtu += 37) {
      const r = await discoverPathMtu(simulatePath({ mtu, above: () => silent }), {
        ceiling: 1500,
      });
      expect(r).toMatchObject({ kind: 'found', pathMtu: mtu, exact: true });
      expect(r.probes).toBeLessThanOrEqual(14);
    }
  });

  it('retries a silent probe once: a single loss neither shrinks the answer nor fakes a hole', async () => {
    const lost = new Set([1420]);
    const lossy: Probe = (size) => {
      if (lost.delete(size)) return Promise.resolve(silent);
      return l3Path(size);
    };
    const r = await discoverPathMtu(lossy, { ceiling: 1500 });
    expect(r).toMatchObject({ kind: 'found', pathMtu: 1420, method: 'icmp', blackHole: false });
    expect(r.trace.map((p) => [p.size, p.outcome.kind, p.retry])).toEqual([
      [1500, 'frag-needed', false],
      [1420, 'silent', false],
      [1420, 'ok', true],
    ]);
  });

  it('recovers when a lost probe during bisection set the upper bound', async () => {
    const base = simulatePath({ mtu: 1400, above: () => silent });
    const lost = new Set([1384]);
    const lossy: Probe = (size) => (lost.delete(size) ? Promise.resolve(silent) : base(size));
    const r = await discoverPathMtu(lossy, { ceiling: 1500 });
    expect(r).toMatchObject({ kind: 'found', pathMtu: 1400, exact: true, blackHole: true });
    expect(r.trace.some((p) => p.size === 1384 && p.retry && p.outcome.kind === 'ok')).toBe(true);
  });

  it('does not call a path with a single lost large probe a black hole', async () => {
    const lost = new Set([1500]);
    const lossy: Probe = (size) =>
      lost.delete(size) ? Promise.resolve(silent) : Promise.resolve({ kind: 'ok' });
    const r = await discoverPathMtu(lossy, { ceiling: 1500 });
    expect(r).toMatchObject({ kind: 'found', pathMtu: 1500, blackHole: false });
  });

  it('does not call rate-limited ICMP a black hole', async () => {
    // The first frag-needed for each size is suppressed by the hop's ICMP rate limit.
    const limited = new Set<number>();
    const probe: Probe = (size) => {
      if (size <= 1420) return Promise.resolve({ kind: 'ok' });
      if (!limited.has(size)) {
        limited.add(size);
        return Promise.resolve(silent);
      }
      return Promise.resolve({ kind: 'frag-needed', mtu: 1420 });
    };
    const r = await discoverPathMtu(probe, { ceiling: 1500 });
    expect(r).toMatchObject({ kind: 'found', pathMtu: 1420, blackHole: false, exact: true });
    expect(r.probes).toBeLessThanOrEqual(16);
  });

  it('jumps to the local MTU when the stack refuses a probe', async () => {
    const probe: Probe = (size) =>
      Promise.resolve(size > 1370 ? { kind: 'local-too-long', mtu: 1370 } : { kind: 'ok' });
    const r = await discoverPathMtu(probe, { ceiling: 1500 });
    expect(r).toMatchObject({ kind: 'found', pathMtu: 1370, localMtu: 1370, probes: 2 });
  });

  it('reports an unreachable target instead of inventing an MTU', async () => {
    const r = await discoverPathMtu(() => Promise.resolve(silent), { ceiling: 1500 });
    expect(r.kind).toBe('unreachable');
    // ceiling, floor, and one retry of the floor.
    expect(r.probes).toBe(3);
  });

  it('ignores an ICMP hint that names an MTU at or above the refused size', async () => {
    const probe: Probe = (size) =>
      Promise.resolve(size > 1280 ? { kind: 'frag-needed', mtu: 1500 } : { kind: 'ok' });
    const r = await discoverPathMtu(probe, { ceiling: 1500 });
    expect(r).toMatchObject({ kind: 'found', pathMtu: 1280, exact: true, method: 'search' });
    expect(r.kind === 'found' && r.icmpMtu).toBeUndefined();
  });

  it('stops at the probe budget and says the answer is not exact', async () => {
    const r = await discoverPathMtu(underlayBlackHole, { ceiling: 1500, maxProbes: 4 });
    expect(r).toMatchObject({ kind: 'found', exact: false, probes: 4 });
    expect(r.kind === 'found' && r.pathMtu).toBeLessThanOrEqual(1400);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const probe: Probe = (size) => {
      controller.abort();
      return underlayBlackHole(size);
    };
    await expect(
      discoverPathMtu(probe, { ceiling: 1500, signal: controller.signal }),
    ).rejects.toThrow();
  });
});
