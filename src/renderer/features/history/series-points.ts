import type { HistorySeries } from '../../../shared/history';

export type SeriesColumn = Exclude<keyof HistorySeries, 'id' | 'startedAt'>;
export type Point = { x: number; y: number };

/**
 * One chart line from a column of the history series, oldest first; runs without a time or a
 * value are left out. Past `maxPoints`, the line is thinned with largest-triangle-three-buckets,
 * which keeps peaks and dips: a chart is a few hundred pixels wide, and handing chart.js 10 000
 * points per line costs more than the drawing.
 */
export function seriesPoints(
  series: HistorySeries,
  column: SeriesColumn,
  maxPoints = Infinity,
): Point[] {
  const xs = series.startedAt;
  const ys = series[column];
  const points: Point[] = [];
  for (let i = 0; i < xs.length; i += 1) {
    const x = xs[i];
    const y = ys[i];
    if (x !== null && x !== undefined && y !== null && y !== undefined) points.push({ x, y });
  }
  return downsample(points, maxPoints);
}

/** Largest-triangle-three-buckets (Steinarsson 2013): keeps the first and last point. */
export function downsample(points: Point[], maxPoints: number): Point[] {
  if (points.length <= maxPoints || maxPoints < 3) return points;
  const out: Point[] = [points[0]!];
  const bucket = (points.length - 2) / (maxPoints - 2);
  let previous = points[0]!;
  for (let b = 0; b < maxPoints - 2; b += 1) {
    const start = Math.floor(b * bucket) + 1;
    const end = Math.min(Math.floor((b + 1) * bucket) + 1, points.length - 1);
    // The next bucket's average is the third corner of each triangle.
    const nextEnd = Math.min(Math.floor((b + 2) * bucket) + 1, points.length);
    let avgX = 0;
    let avgY = 0;
    for (let i = end; i < nextEnd; i += 1) {
      avgX += points[i]!.x;
      avgY += points[i]!.y;
    }
    const count = Math.max(1, nextEnd - end);
    avgX /= count;
    avgY /= count;
    let best = points[start]!;
    let bestArea = -1;
    for (let i = start; i < end; i += 1) {
      const p = points[i]!;
      const area = Math.abs(
        (previous.x - avgX) * (p.y - previous.y) - (previous.x - p.x) * (avgY - previous.y),
      );
      if (area > bestArea) {
        bestArea = area;
        best = p;
      }
    }
    out.push(best);
    previous = best;
  }
  out.push(points[points.length - 1]!);
  return out;
}
