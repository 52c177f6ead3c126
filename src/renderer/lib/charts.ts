import {
  CategoryScale,
  Chart,
  Decimation,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { ChartHandle, ChartSpec } from './chart-spec';

// Loaded on demand (import()), so chart.js stays out of the initial bundle.
Chart.register(
  LineController,
  LineElement,
  PointElement,
  LinearScale,
  CategoryScale,
  Decimation,
  Legend,
  Tooltip,
);

function cssColor(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

function datasets(spec: ChartSpec): ChartDataset<'line', { x: number; y: number }[]>[] {
  const many = spec.series.some((s) => s.points.length > 200);
  const lines: ChartDataset<'line', { x: number; y: number }[]>[] = spec.series.map((s) => ({
    label: s.label,
    data: s.points,
    borderColor: cssColor(s.colorVar),
    backgroundColor: cssColor(s.colorVar),
    borderWidth: 2,
    pointRadius: many ? 0 : 2,
    borderDash: s.dashed ? [6, 4] : [],
    // Curves through hundreds of points look the same as straight segments and raster slower.
    tension: many ? 0 : 0.2,
  }));
  if (spec.target) {
    const xs = spec.series.flatMap((s) => s.points.map((p) => p.x));
    const min = xs.length ? Math.min(...xs) : 0;
    const max = xs.length ? Math.max(...xs) : 1;
    lines.push({
      label: spec.target.label,
      data: [
        { x: min, y: spec.target.y },
        { x: max, y: spec.target.y },
      ],
      borderColor: cssColor('--muted'),
      backgroundColor: cssColor('--muted'),
      borderDash: [4, 4],
      borderWidth: 1,
      pointRadius: 0,
    });
  }
  return lines;
}

/** Tick labels for the x axis; rebuilt on every update, as the data's span or locale may change. */
function xTickLabel(spec: ChartSpec): (value: number) => string {
  if (spec.xKind === 'seconds') return (value) => `${value} s`;
  const xs = spec.series
    .flatMap((s) => [s.points[0], s.points.at(-1)])
    .filter((p) => p !== undefined)
    .map((p) => p.x);
  const spanMs = xs.length ? Math.max(...xs) - Math.min(...xs) : 0;
  // Hours matter when the runs span a few days; dates alone repeat on every tick.
  const dateFormat = new Intl.DateTimeFormat(
    spec.locale,
    spanMs < 2 * 3_600_000
      ? { hour: '2-digit', minute: '2-digit', second: '2-digit' }
      : spanMs < 4 * 86_400_000
        ? { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }
        : { year: '2-digit', month: 'short', day: 'numeric' },
  );
  return (value) => dateFormat.format(value);
}

function config(
  spec: ChartSpec,
  tickLabel: (value: number) => string,
): ChartConfiguration<'line', { x: number; y: number }[]> {
  const text = cssColor('--muted');
  const grid = cssColor('--border');
  return {
    type: 'line',
    data: { datasets: datasets(spec) },
    options: {
      animation: false,
      parsing: false,
      normalized: true,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'nearest', intersect: false },
      plugins: {
        legend: { labels: { color: text, boxWidth: 12 } },
        decimation: { enabled: true, algorithm: 'lttb', samples: 400 },
      },
      scales: {
        x: {
          type: 'linear',
          ticks: {
            color: text,
            maxTicksLimit: 8,
            callback: (value) => tickLabel(Number(value)),
          },
          grid: { color: grid },
        },
        y: {
          beginAtZero: true,
          title: { display: true, text: spec.yLabel, color: text },
          ticks: { color: text },
          grid: { color: grid },
        },
      },
    },
  };
}

export function createChart(canvas: HTMLCanvasElement, spec: ChartSpec): ChartHandle {
  let tickLabel = xTickLabel(spec);
  const chart = new Chart(
    canvas,
    config(spec, (value) => tickLabel(value)),
  );
  return {
    update(next) {
      tickLabel = xTickLabel(next);
      chart.data.datasets = datasets(next);
      chart.update('none');
    },
    destroy: () => chart.destroy(),
  };
}
