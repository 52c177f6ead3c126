export interface ImpairTarget {
  /** `ip netns` name the device lives in. */
  netns: string;
  /** Device whose egress is impaired (one direction of a link). */
  dev: string;
}

export interface ImpairKnobs {
  /** tbf rate on the device, in Mbit/s of wire bytes. */
  rateMbit?: number;
  /** One-way delay added on this egress. */
  delayMs?: number;
  /** Each frame's delay is drawn uniformly from delayMs +/- jitterMs (netem's default shape). */
  jitterMs?: number;
  /** Random loss of IPv4/IPv6 packets leaving through the device. */
  lossPercent?: number;
  /** How long the tbf queue may get before tail drop (default 100 ms). */
  queueMs?: number;
}

const SKF_AD_MARK = 0xfffff014;
const TBF_HZ = 250;
const ETH_HEADER = 14;

export function validateKnobs(knobs: ImpairKnobs): void {
  const check = (name: keyof ImpairKnobs, ok: (v: number) => boolean, want: string): void => {
    const v = knobs[name];
    if (v !== undefined && (!Number.isFinite(v) || !ok(v))) {
      throw new RangeError(`impair: ${name} must be ${want}, got ${v}`);
    }
  };
  check('rateMbit', (v) => v > 0, '> 0');
  check('delayMs', (v) => v >= 0, '>= 0');
  check('jitterMs', (v) => v >= 0, '>= 0');
  check('lossPercent', (v) => v >= 0 && v <= 100, 'within 0..100');
  check('queueMs', (v) => v > 0, '> 0');
}

export function needsDelayLine(knobs: ImpairKnobs): boolean {
  return (knobs.delayMs ?? 0) > 0 || (knobs.jitterMs ?? 0) > 0;
}

export function needsLoss(knobs: ImpairKnobs): boolean {
  return (knobs.lossPercent ?? 0) > 0;
}

/**
 * tbf's bucket must hold at least one full frame, and at least what the rate earns in one
 * kernel tick (HZ=250 here) or the shaper falls short of its rate.
 */
export function tbfBurstBytes(rateMbit: number, mtu: number): number {
  const perTick = Math.ceil((rateMbit * 1e6) / 8 / TBF_HZ);
  return Math.max(perTick, 2 * (mtu + ETH_HEADER));
}

export function buildTbfArgs(dev: string, rateMbit: number, mtu: number, queueMs = 100): string[] {
  return [
    'qdisc',
    'replace',
    'dev',
    dev,
    'root',
    'tbf',
    'rate',
    `${Math.round(rateMbit * 1000)}kbit`,
    'burst',
    String(tbfBurstBytes(rateMbit, mtu)),
    'latency',
    `${queueMs}ms`,
  ];
}

/**
 * Classic BPF for cls_bpf: match (return -1) every frame whose skb mark is not `mark`.
 * Frames the delay line sends back carry `mark` (SO_MARK) and so pass to the root qdisc.
 */
export function notMarkBytecode(mark: number): string {
  const ops = [
    [0x20, 0, 0, SKF_AD_MARK],
    [0x15, 1, 0, mark >>> 0],
    [0x06, 0, 0, 0xffffffff],
    [0x06, 0, 0, 0],
  ];
  return `${ops.length},${ops.map((op) => op.join(' ')).join(',')}`;
}

export function buildRedirectFilterArgs(
  verb: 'add' | 'del',
  dev: string,
  pref: number,
  mark: number,
  tap: string,
): string[] {
  const base = ['filter', verb, 'dev', dev, 'egress', 'pref', String(pref)];
  if (verb === 'del') return base;
  return [
    ...base,
    'bpf',
    'bytecode',
    notMarkBytecode(mark),
    'action',
    'mirred',
    'egress',
    'redirect',
    'dev',
    tap,
  ];
}

/** iptables argv (without the binary) for one loss rule; `op` is -I to add, -D to remove. */
export function buildLossRuleArgs(
  op: '-I' | '-D',
  chain: 'FORWARD' | 'OUTPUT',
  dev: string,
  lossPercent: number,
  tag: string,
): string[] {
  const probability = Math.min(1, lossPercent / 100).toFixed(8);
  return [
    '-w',
    op,
    chain,
    ...(op === '-I' ? ['1'] : []),
    '-o',
    dev,
    '-m',
    'statistic',
    '--mode',
    'random',
    '--probability',
    probability,
    '-m',
    'comment',
    '--comment',
    tag,
    '-j',
    'DROP',
  ];
}
