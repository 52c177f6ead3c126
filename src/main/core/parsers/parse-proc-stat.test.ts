import { describe, expect, it } from 'vitest';
import { fixture } from '../../../../test/fixtures/read-fixture';
import { cpuBusyPercent, parseProcStat } from './parse-proc-stat';

function sample(file: string) {
  const result = parseProcStat(fixture(`proc-stat/${file}`));
  if (result.kind !== 'ok') throw new Error(result.message);
  return result;
}

describe('parseProcStat', () => {
  it('reads the aggregate and per-core lines', () => {
    const before = sample('proc-stat-debian12-2cpu-before.txt');
    expect(before.cores).toHaveLength(2);
    expect(before.total).toEqual({
      user: 8353,
      nice: 0,
      system: 7196,
      idle: 45227,
      iowait: 368,
      irq: 0,
      softirq: 453,
      steal: 27,
    });
    expect(before.cores[1]).toMatchObject({ user: 4888, system: 3814, idle: 21505 });
  });

  it('computes busy percent per core between two samples', () => {
    const before = sample('proc-stat-debian12-2cpu-before.txt');
    const after = sample('proc-stat-debian12-2cpu-after.txt');
    const busy = cpuBusyPercent(before, after);
    expect(busy.corePercents).toHaveLength(2);
    for (const value of busy.corePercents) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(100);
    }
    // Recompute cpu0 by hand from the same counters.
    const sum = (t: typeof before.total) =>
      t.user + t.nice + t.system + t.idle + t.iowait + t.irq + t.softirq + t.steal;
    const [b0, a0] = [before.cores[0]!, after.cores[0]!];
    const expected =
      ((sum(a0) - a0.idle - a0.iowait - (sum(b0) - b0.idle - b0.iowait)) / (sum(a0) - sum(b0))) *
      100;
    expect(busy.corePercents[0]).toBeCloseTo(expected, 10);
    expect(busy.busiestCorePercent).toBe(Math.max(...(busy.corePercents as number[])));
    expect(busy.totalPercent).toBeDefined();
  });

  it('finds the one busy core that an average would hide', () => {
    const busy = cpuBusyPercent(
      sample('proc-stat-debian12-2cpu-cpu1-loaded-before.txt'),
      sample('proc-stat-debian12-2cpu-cpu1-loaded-after.txt'),
    );
    expect(busy.corePercents[0]).toBeCloseTo(1, 5);
    expect(busy.corePercents[1]).toBe(100);
    expect(busy.busiestCorePercent).toBe(100);
    expect(busy.totalPercent).toBeCloseTo(50.25, 2);
  });

  it('gives no figure when no time passed or counters went backwards', () => {
    const before = sample('proc-stat-debian12-2cpu-before.txt');
    const after = sample('proc-stat-debian12-2cpu-after.txt');
    expect(cpuBusyPercent(before, before)).toEqual({ corePercents: [undefined, undefined] });
    expect(cpuBusyPercent(after, before).totalPercent).toBeUndefined();
  });

  it('handles a single-core router and a missing core', () => {
    const one = parseProcStat('cpu  10 0 10 80 0 0 0 0 0 0\ncpu0 10 0 10 80 0 0 0 0 0 0\n');
    const two = parseProcStat(
      'cpu  30 0 30 140 0 0 0 0 0 0\ncpu0 30 0 30 140 0 0 0 0 0 0\ncpu1 1 1 1 1\n',
    );
    if (one.kind !== 'ok' || two.kind !== 'ok') throw new Error('parse failed');
    expect(cpuBusyPercent(one, two)).toEqual({
      totalPercent: 40,
      corePercents: [40, undefined],
      busiestCorePercent: 40,
    });
  });

  it.each(['', 'intr 1 2 3', 'cpu a b c d', 'cpu 1 2'])('reports %j as an error', (text) => {
    expect(parseProcStat(text).kind).toBe('error');
  });
});
