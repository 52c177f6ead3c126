// What a screen asks a chart to draw; lib/charts.ts (lazy, with chart.js) turns it into a chart.

export interface ChartSeries {
  label: string;
  /** A CSS custom property of styles.css, e.g. `--series-1`. */
  colorVar: string;
  points: { x: number; y: number }[];
  dashed?: boolean;
}

export interface ChartSpec {
  series: ChartSeries[];
  /** `seconds`: x is a second of a test; `time`: x is a timestamp in ms. */
  xKind: 'seconds' | 'time';
  yLabel: string;
  locale: string;
  /** Draws a dashed horizontal line at the target, when given. */
  target?: { label: string; y: number };
}

export interface ChartHandle {
  update(spec: ChartSpec): void;
  destroy(): void;
}
