// Static SVG charts for the self-contained HTML export: numbers in, markup out, no scripts.
// Colours come from CSS classes (series-0.., target) so the page's light/dark styles apply.

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export interface ChartPoint {
  /** Milliseconds since the epoch, or the run's index when times are unusable. */
  x: number;
  y: number | undefined;
}

export interface ChartSeries {
  name: string;
  /** CSS class for stroke and fill (series-0, series-1, series-2, target). */
  className: string;
  points: ChartPoint[];
  dashed?: boolean;
}

export interface LineChartSpec {
  id: string;
  title: string;
  unit: string;
  series: ChartSeries[];
  /** Whether x values are times (labelled as dates) or indexes (labelled as run numbers). */
  xIsTime: boolean;
  width?: number;
  height?: number;
}

const margin = { top: 28, right: 16, bottom: 34, left: 52 };

/** An upper bound and step giving 4-6 round ticks (1, 2, 5 x 10^k) from 0. */
export function niceScale(max: number): { max: number; step: number } {
  if (!(max > 0) || !Number.isFinite(max)) return { max: 1, step: 0.2 };
  const rough = max / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  return { max: Math.ceil(max / step - 1e-9) * step, step };
}

function extent(values: number[]): { min: number; max: number } | undefined {
  if (values.length === 0) return undefined;
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return { min, max };
}

function round(value: number): string {
  return String(Math.round(value * 10) / 10);
}

function tickLabel(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

function dateLabel(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function lineChart(spec: LineChartSpec): string {
  const width = spec.width ?? 720;
  const height = spec.height ?? 220;
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const xs = spec.series.flatMap((s) => s.points.map((p) => p.x));
  const ys = spec.series.flatMap((s) =>
    s.points.flatMap((p) => (p.y !== undefined && Number.isFinite(p.y) ? [p.y] : [])),
  );
  const xExtent = extent(xs);
  const xMin = xExtent?.min ?? 0;
  const xMax = xExtent?.max ?? 1;
  const xSpan = xMax - xMin || 1;
  const { max: yMax, step } = niceScale(extent(ys)?.max ?? 0);
  const px = (x: number) =>
    margin.left + (xs.length > 1 && xMax > xMin ? ((x - xMin) / xSpan) * plotW : plotW / 2);
  const py = (y: number) => margin.top + plotH - (Math.max(0, y) / yMax) * plotH;

  const parts: string[] = [];
  const titleId = `${spec.id}-title`;
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${escapeXml(titleId)}">`,
    `<title id="${escapeXml(titleId)}">${escapeXml(`${spec.title} (${spec.unit})`)}</title>`,
    `<text class="chart-title" x="${margin.left}" y="16">${escapeXml(`${spec.title} (${spec.unit})`)}</text>`,
  );
  for (let tick = 0; tick <= yMax + step / 1000; tick += step) {
    const y = round(py(tick));
    parts.push(
      `<line class="grid" x1="${margin.left}" x2="${margin.left + plotW}" y1="${y}" y2="${y}"/>`,
      `<text class="tick" x="${margin.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${tickLabel(tick)}</text>`,
    );
  }
  if (xs.length > 0) {
    const labels = xMax > xMin ? [xMin, xMin + xSpan / 2, xMax] : [xMin];
    labels.forEach((x, index) => {
      const anchor = labels.length === 1 ? 'middle' : ['start', 'middle', 'end'][index];
      const text = spec.xIsTime ? dateLabel(x) : `run ${Math.round(x) + 1}`;
      parts.push(
        `<text class="tick" x="${round(px(x))}" y="${height - 12}" text-anchor="${anchor}">${escapeXml(text)}</text>`,
      );
    });
  }
  for (const series of spec.series) {
    let d = '';
    let pen = false;
    let plotted = 0;
    for (const point of series.points) {
      if (point.y === undefined || !Number.isFinite(point.y)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${round(px(point.x))} ${round(py(point.y))}`;
      pen = true;
      plotted += 1;
    }
    if (plotted === 0) continue;
    const cls = escapeXml(series.className);
    parts.push(
      `<path class="line ${cls}${series.dashed ? ' dashed' : ''}" d="${d}"><title>${escapeXml(series.name)}</title></path>`,
    );
    // Markers make lone points (a gap on both sides) visible; beyond a few dozen they are noise.
    if (plotted <= 60 && !series.dashed) {
      for (const point of series.points) {
        if (point.y === undefined || !Number.isFinite(point.y)) continue;
        parts.push(
          `<circle class="dot ${cls}" cx="${round(px(point.x))}" cy="${round(py(point.y))}" r="3"/>`,
        );
      }
    }
  }
  let legendX = margin.left + plotW;
  for (const series of [...spec.series].reverse()) {
    const label = escapeXml(series.name);
    legendX -= 14 + series.name.length * 6.5;
    parts.push(
      `<rect class="swatch ${escapeXml(series.className)}" x="${round(legendX)}" y="8" width="10" height="10"/>`,
      `<text class="legend" x="${round(legendX + 14)}" y="17">${label}</text>`,
    );
    legendX -= 10;
  }
  parts.push('</svg>');
  return parts.join('');
}

export interface BarSpec {
  id: string;
  title: string;
  unit: string;
  bars: { name: string; className: string; value: number | undefined }[];
  /** A reference line across the bars (e.g. the target bitrate). */
  reference?: { name: string; value: number };
}

export function barChart(spec: BarSpec): string {
  const width = 720;
  const height = 40 + spec.bars.length * 34 + 24;
  const left = 150;
  const plotW = width - left - 70;
  const values = spec.bars.flatMap((b) => (b.value !== undefined ? [b.value] : []));
  if (spec.reference) values.push(spec.reference.value);
  const { max } = niceScale(extent(values)?.max ?? 0);
  const px = (v: number) => left + (Math.max(0, v) / max) * plotW;
  const titleId = `${spec.id}-title`;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${escapeXml(titleId)}">`,
    `<title id="${escapeXml(titleId)}">${escapeXml(`${spec.title} (${spec.unit})`)}</title>`,
    `<text class="chart-title" x="8" y="18">${escapeXml(`${spec.title} (${spec.unit})`)}</text>`,
  ];
  spec.bars.forEach((bar, index) => {
    const y = 34 + index * 34;
    parts.push(
      `<text class="legend" x="${left - 8}" y="${y + 15}" text-anchor="end">${escapeXml(bar.name)}</text>`,
    );
    if (bar.value === undefined) {
      parts.push(`<text class="tick" x="${left}" y="${y + 15}">not measured</text>`);
      return;
    }
    parts.push(
      `<rect class="bar ${escapeXml(bar.className)}" x="${left}" y="${y}" width="${round(px(bar.value) - left)}" height="22"/>`,
      `<text class="tick" x="${round(px(bar.value) + 6)}" y="${y + 15}">${tickLabel(bar.value)}</text>`,
    );
  });
  if (spec.reference) {
    const x = round(px(spec.reference.value));
    parts.push(
      `<line class="line target dashed" x1="${x}" x2="${x}" y1="28" y2="${height - 20}"/>`,
      `<text class="tick" x="${x}" y="${height - 6}" text-anchor="middle">${escapeXml(`${spec.reference.name} ${tickLabel(spec.reference.value)}`)}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}
