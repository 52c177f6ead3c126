// Exact path-MTU discovery over an injected DF probe. Sizes are whole IP packets (an IPv4 ICMP
// echo of payload P is P + 28 bytes). The adapter sends the real DF ping; this module only decides
// which size to try next, so it is tested on simulated paths.

export const ipv4IcmpEchoOverheadBytes = 28;
export const ipv6IcmpEchoOverheadBytes = 48;

export type IpFamily = 'ipv4' | 'ipv6';

export function icmpPayloadForPacket(packetBytes: number, family: IpFamily = 'ipv4'): number {
  return packetBytes - (family === 'ipv4' ? ipv4IcmpEchoOverheadBytes : ipv6IcmpEchoOverheadBytes);
}

export function packetForIcmpPayload(payloadBytes: number, family: IpFamily = 'ipv4'): number {
  return payloadBytes + (family === 'ipv4' ? ipv4IcmpEchoOverheadBytes : ipv6IcmpEchoOverheadBytes);
}

export type ProbeOutcome =
  | { kind: 'ok' }
  /** A hop answered ICMP "fragmentation needed" (IPv6: "packet too big") naming its MTU. */
  | { kind: 'frag-needed'; mtu: number }
  /** No answer at all: lost, or dropped by a hop that sends no ICMP. */
  | { kind: 'silent' }
  /** The local stack refused to send (EMSGSIZE): the route or interface MTU is smaller. */
  | { kind: 'local-too-long'; mtu: number };

export type Probe = (packetBytes: number) => Promise<ProbeOutcome>;

export interface ProbeRecord {
  size: number;
  outcome: ProbeOutcome;
  /** A second try of a size that was silent before. */
  retry: boolean;
}

export interface PathMtuResult {
  kind: 'found';
  pathMtu: number;
  probes: number;
  /** 'icmp' when an ICMP hint named the MTU and a probe confirmed it. */
  method: 'icmp' | 'search';
  /** False only when the probe budget ran out before the boundary was pinned. */
  exact: boolean;
  /** Some larger size vanished without any ICMP, twice: senders above pathMtu hear nothing. */
  blackHole: boolean;
  /** The largest size that got any answer (echo or ICMP) below the first vanishing size. */
  blackHoleAbove?: number;
  /** The smallest size seen to vanish twice. */
  firstSilentSize?: number;
  /** The smallest MTU named by an ICMP frag-needed answer. */
  icmpMtu?: number;
  /** The local interface or route MTU, when the stack refused a larger probe. */
  localMtu?: number;
  trace: ProbeRecord[];
}

export interface PathMtuUnreachable {
  kind: 'unreachable';
  probes: number;
  trace: ProbeRecord[];
}

export type PathMtuSearch = PathMtuResult | PathMtuUnreachable;

export interface PathMtuOptions {
  /** The largest size worth trying: the sender's interface MTU. */
  ceiling: number;
  /** Where the bisection starts from below; 576 (IPv4) unless told. */
  floor?: number;
  /** Sizes likely to be the answer (configured MTUs); tried before bisecting, each followed by +1. */
  candidates?: number[];
  maxProbes?: number;
  signal?: AbortSignal;
}

type BoundSource = 'ceiling' | 'icmp' | 'local' | 'silent';

interface Bound {
  size: number;
  source: BoundSource;
}

export async function discoverPathMtu(
  probe: Probe,
  options: PathMtuOptions,
): Promise<PathMtuSearch> {
  const { ceiling, signal } = options;
  const floor = Math.min(options.floor ?? 576, ceiling);
  const maxProbes = options.maxProbes ?? 32;
  const trace: ProbeRecord[] = [];
  const failBounds: Bound[] = [{ size: ceiling + 1, source: 'ceiling' }];
  const silentConfirmed = new Set<number>();
  const silentOnce = new Set<number>();
  const answered = new Set<number>();
  const hints: number[] = [];
  const candidates = [...new Set(options.candidates ?? [])]
    .filter((c) => c >= 68 && c <= ceiling)
    .sort((a, b) => b - a);
  const tried = new Set<number>();
  let largestOk = 0;
  let icmpMtu: number | undefined;
  let localMtu: number | undefined;
  let edgeAfter: number | undefined;

  const upper = (): Bound =>
    failBounds.filter((b) => b.size > largestOk).reduce((min, b) => (b.size < min.size ? b : min));

  async function run(size: number, retry: boolean): Promise<ProbeOutcome> {
    signal?.throwIfAborted();
    tried.add(size);
    const outcome = await probe(size);
    trace.push({ size, outcome, retry });
    if (outcome.kind !== 'silent') {
      silentOnce.delete(size);
      silentConfirmed.delete(size);
    }
    switch (outcome.kind) {
      case 'ok':
        answered.add(size);
        largestOk = Math.max(largestOk, size);
        break;
      case 'frag-needed': {
        answered.add(size);
        const named = outcome.mtu;
        // A hop that names an MTU at or above the size it refused is confused; trust only the refusal.
        failBounds.push({ size: named < size ? named + 1 : size, source: 'icmp' });
        if (named < size && named >= 68) {
          icmpMtu = icmpMtu === undefined ? named : Math.min(icmpMtu, named);
          hints.push(named);
        }
        break;
      }
      case 'local-too-long': {
        const named = outcome.mtu;
        failBounds.push({ size: named < size ? named + 1 : size, source: 'local' });
        if (named < size && named >= 68) {
          localMtu = localMtu === undefined ? named : Math.min(localMtu, named);
          hints.push(named);
        }
        break;
      }
      case 'silent':
        if (silentOnce.has(size) || retry) silentConfirmed.add(size);
        silentOnce.add(size);
        failBounds.push({ size, source: 'silent' });
        break;
    }
    return outcome;
  }

  function nextSize():
    { size: number; from: 'hint' | 'candidate' | 'edge' | 'floor' | 'bisect' } | undefined {
    const high = upper().size;
    const inRange = (s: number): boolean => s > largestOk && s < high && !answered.has(s);
    const hint = hints.find((h) => inRange(h) && !silentConfirmed.has(h));
    if (hint !== undefined) return { size: hint, from: 'hint' };
    const candidate = candidates.find((c) => inRange(c) && !tried.has(c));
    if (candidate !== undefined) return { size: candidate, from: 'candidate' };
    if (edgeAfter !== undefined && edgeAfter === largestOk && inRange(largestOk + 1)) {
      return { size: largestOk + 1, from: 'edge' };
    }
    if (largestOk === 0 && floor < high && !tried.has(floor)) return { size: floor, from: 'floor' };
    const low = Math.max(largestOk, floor - 1);
    if (high - low <= 1) return undefined;
    return { size: Math.floor((low + high) / 2), from: 'bisect' };
  }

  await run(ceiling, false);
  while (trace.length < maxProbes) {
    const next = nextSize();
    if (next === undefined) {
      // The boundary is pinned. Before concluding, a size that vanished only once gets one more
      // try: a single lost probe must not pass for a black hole or shrink the answer.
      const doubt = [...silentOnce]
        .filter((s) => s > largestOk && !silentConfirmed.has(s))
        .sort((a, b) => a - b)[0];
      const anyConfirmed = [...silentConfirmed].some((s) => s > largestOk);
      const boundIsDoubt = doubt !== undefined && upper().size === doubt;
      if (doubt !== undefined && (boundIsDoubt || !anyConfirmed)) {
        await run(doubt, true);
        continue;
      }
      break;
    }
    edgeAfter = undefined;
    const outcome = await run(next.size, false);
    if (outcome.kind === 'ok' && (next.from === 'candidate' || next.from === 'hint')) {
      edgeAfter = next.size;
    }
    // ICMP said this size fits; if it vanished, a lost probe is the likelier story.
    if (outcome.kind === 'silent' && next.from === 'hint' && trace.length < maxProbes) {
      await run(next.size, true);
    }
  }

  if (largestOk === 0) return { kind: 'unreachable', probes: trace.length, trace };

  const bound = upper();
  const confirmedAbove = [...silentConfirmed].filter((s) => s > largestOk).sort((a, b) => a - b);
  const firstSilentSize = confirmedAbove[0];
  const answeredBelow =
    firstSilentSize === undefined ? [] : [...answered].filter((s) => s < firstSilentSize);
  const result: PathMtuResult = {
    kind: 'found',
    pathMtu: largestOk,
    probes: trace.length,
    method: icmpMtu === largestOk && bound.size === largestOk + 1 ? 'icmp' : 'search',
    exact: bound.size - largestOk <= 1,
    blackHole: firstSilentSize !== undefined,
    trace,
  };
  if (firstSilentSize !== undefined) {
    result.firstSilentSize = firstSilentSize;
    result.blackHoleAbove = answeredBelow.length > 0 ? Math.max(...answeredBelow) : largestOk;
  }
  if (icmpMtu !== undefined) result.icmpMtu = icmpMtu;
  if (localMtu !== undefined) result.localMtu = localMtu;
  return result;
}

/** A simulated path for tests and the lab: sizes <= mtu pass, larger ones get `above(size)`. */
export interface SimulatedPath {
  mtu: number;
  above: (size: number) => ProbeOutcome;
}

export function simulatePath(path: SimulatedPath): Probe {
  return (size) => Promise.resolve(size <= path.mtu ? { kind: 'ok' } : path.above(size));
}
