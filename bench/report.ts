// One row shape for every benchmark, so `npm run bench` can end with a single summary table.

export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  baseline?: { label: string; value: number };
  /** value / baseline.value */
  ratio?: number;
  /** How the target reads in the table, e.g. 'ratio <= 1.10', 'within 3 %', 'exact'. */
  target?: string;
  met?: boolean;
  note?: string;
  /** Shown again in the summary at the end of `npm run bench`. */
  key?: boolean;
}

export interface BenchOutcome {
  bench: string;
  rows: BenchRow[];
  /** Extra tables the bench prints below its rows (breakdowns, matrices). */
  details?: string;
  skipped?: string;
  error?: string;
  seconds: number;
}

export function formatValue(value: number, unit: string): string {
  if (!Number.isFinite(value)) return `- ${unit}`;
  const digits = unit === 'ms' ? (value < 100 ? 1 : 0) : unit === 'bytes' ? 0 : 1;
  const abs = Math.abs(value);
  const fixed = unit === 'Mbit/s' && abs >= 100 ? value.toFixed(0) : value.toFixed(digits);
  return `${fixed} ${unit}`;
}

export function withRatio(row: BenchRow): BenchRow {
  if (row.baseline === undefined || row.ratio !== undefined || row.baseline.value === 0) return row;
  return { ...row, ratio: row.value / row.baseline.value };
}

/** Left-aligned text columns; numbers are already formatted. */
export function formatColumns(header: string[], lines: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const render = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [render(header), ...lines.map(render)].join('\n');
}

export function formatRows(rows: BenchRow[]): string {
  return formatColumns(
    ['', 'value', 'baseline', 'ratio', 'target', '', 'note'],
    rows.map((r) => [
      r.name,
      formatValue(r.value, r.unit),
      r.baseline ? `vs ${r.baseline.label} ${formatValue(r.baseline.value, r.unit)}` : '',
      r.ratio !== undefined ? r.ratio.toFixed(3) : '',
      r.target ?? '',
      r.met === undefined ? '' : r.met ? 'ok' : 'MISSED',
      r.note ?? '',
    ]),
  );
}
