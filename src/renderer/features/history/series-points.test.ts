import { describe, expect, it } from 'vitest';
import type { HistorySeries } from '../../../shared/history';
import { downsample, seriesPoints } from './series-points';

const series: HistorySeries = {
  id: [1, 2, 3, 4],
  startedAt: [1000, null, 3000, 4000],
  lanMbps: [400, 410, null, 420.5],
  tunnelMbps: [90, 91, 92, 93],
  e2eMbps: [null, null, null, null],
  loadedLatencyMs: [20, 21, 22, 23],
  lossPercent: [0, 0.1, 0, 0],
};

describe('seriesPoints', () => {
  it('pairs each run time with its value, oldest first, skipping runs without either', () => {
    expect(seriesPoints(series, 'lanMbps')).toEqual([
      { x: 1000, y: 400 },
      { x: 4000, y: 420.5 },
    ]);
    expect(seriesPoints(series, 'tunnelMbps').map((p) => p.x)).toEqual([1000, 3000, 4000]);
    expect(seriesPoints(series, 'lossPercent')).toContainEqual({ x: 1000, y: 0 });
    expect(seriesPoints(series, 'e2eMbps')).toEqual([]);
  });
});

describe('downsample', () => {
  const line = Array.from({ length: 10_000 }, (_, i) => ({ x: i * 1000, y: 100 + (i % 7) }));

  it('returns at most maxPoints in time order, from the first to the last point', () => {
    const thin = downsample(line, 500);
    expect(thin).toHaveLength(500);
    expect(thin[0]).toBe(line[0]);
    expect(thin.at(-1)).toBe(line.at(-1));
    expect(thin.every((p, i) => i === 0 || p.x > thin[i - 1]!.x)).toBe(true);
  });

  it('keeps a lone spike and a lone dip that an even stride would drop', () => {
    const spiky = line.map((p) => ({ ...p }));
    spiky[4321] = { x: 4_321_000, y: 900 };
    spiky[7777] = { x: 7_777_000, y: 0 };
    const thin = downsample(spiky, 400);
    expect(thin).toContainEqual({ x: 4_321_000, y: 900 });
    expect(thin).toContainEqual({ x: 7_777_000, y: 0 });
  });

  it('leaves short lines alone', () => {
    expect(downsample(line.slice(0, 300), 400)).toHaveLength(300);
    expect(seriesPoints(series, 'lanMbps', 400)).toHaveLength(2);
  });
});
