import { describe, expect, it } from 'vitest';
import {
  buildLossRuleArgs,
  buildTbfArgs,
  needsDelayLine,
  notMarkBytecode,
  tbfBurstBytes,
  validateKnobs,
} from './plan';

describe('impair plan', () => {
  it('sizes the tbf bucket for one tick at the rate, never below two frames', () => {
    expect(tbfBurstBytes(100, 1500)).toBe(50_000);
    expect(tbfBurstBytes(10, 1500)).toBe(5_000);
    expect(tbfBurstBytes(1, 1500)).toBe(3_028);
    expect(tbfBurstBytes(1, 9000)).toBe(18_028);
  });

  it('builds a tbf replace with kbit rate and a latency bound', () => {
    expect(buildTbfArgs('wan', 2.5, 1500, 50)).toEqual(
      'qdisc replace dev wan root tbf rate 2500kbit burst 3028 latency 50ms'.split(' '),
    );
  });

  it('matches frames whose mark differs and passes the delay line own mark', () => {
    expect(notMarkBytecode(0x48570102)).toBe(
      '4,32 0 0 4294963220,21 1 0 1213661442,6 0 0 4294967295,6 0 0 0',
    );
  });

  it('tags loss rules so removal deletes exactly the rule it added', () => {
    const add = buildLossRuleArgs('-I', 'FORWARD', 'veth0', 2.5, 'hwimp:1:0');
    const del = buildLossRuleArgs('-D', 'FORWARD', 'veth0', 2.5, 'hwimp:1:0');
    expect(add.slice(0, 5)).toEqual(['-w', '-I', 'FORWARD', '1', '-o']);
    expect(add).toContain('0.02500000');
    expect(del).toEqual(['-w', '-D', 'FORWARD', ...add.slice(4)]);
  });

  it('uses the delay line only for delay or jitter', () => {
    expect(needsDelayLine({ rateMbit: 10, lossPercent: 1 })).toBe(false);
    expect(needsDelayLine({ delayMs: 0, jitterMs: 2 })).toBe(true);
    expect(needsDelayLine({ delayMs: 5 })).toBe(true);
  });

  it('rejects knobs out of range', () => {
    expect(() => validateKnobs({ lossPercent: 101 })).toThrow(/lossPercent/);
    expect(() => validateKnobs({ rateMbit: 0 })).toThrow(/rateMbit/);
    expect(() => validateKnobs({ delayMs: Number.NaN })).toThrow(/delayMs/);
    expect(() => validateKnobs({ delayMs: 0, jitterMs: 0, lossPercent: 0 })).not.toThrow();
  });
});
