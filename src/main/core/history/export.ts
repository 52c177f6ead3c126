// Exports of one run or a range: Markdown, JSON and a self-contained HTML page (inline CSS and
// SVG, a CSP that forbids scripts and remote loads). Every export is redacted here, whatever the
// store holds, and every piece of text from a report is escaped for its format.

import type { CheckResult, DoctorReport } from '../../../shared/doctor';
import { redactText, redactValue } from './redact';
import { summarizeRun } from './summary';
import type { RunSummary, StoredRun } from './summary';
import { barChart, escapeXml, lineChart } from './svg-chart';
import type { ChartPoint } from './svg-chart';

export const exportFormats = ['md', 'json', 'html'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export const historyExportSchema = 'homeward.history-export/1';

export interface ExportOptions {
  /** When the export was made (ISO); passed in so the output is reproducible. */
  generatedAt: string;
  title?: string;
}

interface PreparedRun {
  run: StoredRun;
  summary: RunSummary;
}

function prepare(runs: readonly StoredRun[]): PreparedRun[] {
  return runs
    .map((run) => {
      const clean: StoredRun = { id: run.id, report: redactValue(run.report) };
      if (run.location !== undefined) clean.location = redactText(run.location);
      return { run: clean, summary: summarizeRun(clean) };
    })
    .sort(
      (a, b) =>
        a.summary.startedAt.localeCompare(b.summary.startedAt) || a.summary.id - b.summary.id,
    );
}

export function exportRuns(
  runs: readonly StoredRun[],
  format: ExportFormat,
  options: ExportOptions,
): string {
  const prepared = prepare(runs);
  switch (format) {
    case 'json':
      return renderJson(prepared, options);
    case 'md':
      return renderMarkdown(prepared, options);
    case 'html':
      return renderHtml(prepared, options);
  }
}

/** Format implied by a file name (report.html -> html), if any. */
export function formatFromFileName(file: string): ExportFormat | undefined {
  const ext = /\.([a-z]+)$/i.exec(file)?.[1]?.toLowerCase();
  if (ext === 'md' || ext === 'markdown') return 'md';
  if (ext === 'json') return 'json';
  if (ext === 'html' || ext === 'htm') return 'html';
  return undefined;
}

// ---- shared formatting -------------------------------------------------------------------

/** Terminal and document text never carries control characters (escape sequences) from a router. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, '\uFFFD');
}

export function formatUtc(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function formatNumber(value: number | undefined, digits = 1): string {
  if (value === undefined) return '-';
  const factor = 10 ** digits;
  return String(Math.round(value * factor) / factor);
}

export function routerLabel(summary: RunSummary): string {
  return summary.routerHostname && summary.routerHostname !== summary.routerHost
    ? `${summary.routerHostname} (${summary.routerHost})`
    : summary.routerHost;
}

function verdictLine(report: DoctorReport, summary: RunSummary): string {
  const ready = summary.vrReady ? 'VR-ready' : 'not VR-ready';
  const limit = summary.limitingSegment ? `; limiting segment: ${summary.limitingSegment}` : '';
  return `${ready} for ${formatNumber(report.verdict.targetMbps)} Mbps${limit}`;
}

function range(prepared: PreparedRun[]): string {
  const first = prepared[0]?.summary.startedAt;
  const last = prepared.at(-1)?.summary.startedAt;
  if (first === undefined || last === undefined) return 'no runs';
  const count = `${prepared.length} run${prepared.length === 1 ? '' : 's'}`;
  return first === last
    ? `${count}, ${formatUtc(first)}`
    : `${count}, ${formatUtc(first)} to ${formatUtc(last)}`;
}

// ---- JSON --------------------------------------------------------------------------------

function renderJson(prepared: PreparedRun[], options: ExportOptions): string {
  return `${JSON.stringify(
    {
      schema: historyExportSchema,
      generatedAt: options.generatedAt,
      runs: prepared.map(({ run }) => ({
        id: run.id,
        ...(run.location !== undefined ? { location: run.location } : {}),
        report: run.report,
      })),
    },
    null,
    2,
  )}\n`;
}

// ---- Markdown ----------------------------------------------------------------------------

/** Text safe inside a Markdown paragraph or table cell: no markup, no HTML, one line. */
export function escapeMarkdown(text: string): string {
  return printable(text)
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~]/g, '\\$&');
}

function mdRow(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

const summaryHeader = [
  'ID',
  'Date (UTC)',
  'Router',
  'Location',
  'VR-ready',
  'LAN down Mbps',
  'Tunnel down Mbps',
  'End-to-end down Mbps',
  'Loaded latency ms',
  'Loss %',
];

function summaryCells(s: RunSummary): string[] {
  return [
    String(s.id),
    formatUtc(s.startedAt),
    routerLabel(s),
    s.location ?? '-',
    s.vrReady ? 'yes' : 'no',
    formatNumber(s.downMbps.lan),
    formatNumber(s.downMbps.tunnel),
    formatNumber(s.downMbps.e2e),
    formatNumber(s.loadedLatencyMs),
    formatNumber(s.lossPercent, 2),
  ];
}

function renderMarkdown(prepared: PreparedRun[], options: ExportOptions): string {
  const lines = [
    `# ${escapeMarkdown(options.title ?? 'Homeward run history')}`,
    '',
    `${escapeMarkdown(range(prepared))}. Generated ${escapeMarkdown(formatUtc(options.generatedAt))}; secrets redacted.`,
    '',
    mdRow(summaryHeader),
    mdRow(summaryHeader.map((_, i) => (i === 0 || i >= 5 ? '---:' : '---'))),
    ...prepared.map(({ summary }) => mdRow(summaryCells(summary).map(escapeMarkdown))),
  ];
  for (const { run, summary } of prepared) {
    lines.push(
      '',
      `## Run ${summary.id}: ${escapeMarkdown(formatUtc(summary.startedAt))}, ${escapeMarkdown(routerLabel(summary))}`,
      '',
    );
    if (summary.location !== undefined)
      lines.push(`- Location: ${escapeMarkdown(summary.location)}`);
    const router = run.report.router;
    const device = [router.model, router.release].filter((v) => v !== undefined).join(', ');
    if (device) lines.push(`- Router: ${escapeMarkdown(device)}`);
    lines.push(
      `- Duration: ${formatNumber(summary.durationMs / 1000)} s`,
      `- Verdict: **${escapeMarkdown(verdictLine(run.report, summary))}**`,
      '',
      mdRow(['Check', 'Status', 'Summary']),
      mdRow(['---', '---', '---']),
      ...run.report.checks.map((check) =>
        mdRow([
          escapeMarkdown(check.id),
          escapeMarkdown(check.status),
          escapeMarkdown(check.summary),
        ]),
      ),
    );
    if (run.report.verdict.findings.length > 0) {
      lines.push('', '### Findings', '');
      for (const finding of run.report.verdict.findings) {
        lines.push(
          `- **${escapeMarkdown(finding.id)}** (${escapeMarkdown(finding.severity)}): ${escapeMarkdown(finding.cause)} Fix: ${escapeMarkdown(finding.fix)}`,
        );
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

// ---- HTML --------------------------------------------------------------------------------

const css = `
:root { color-scheme: light dark; --fg: #1d2430; --muted: #5b6575; --bg: #ffffff; --line: #d8dde5;
  --s0: #1f77b4; --s1: #d9730d; --s2: #2a9d4b; --target: #8a8f98; --pass: #2a9d4b; --warn: #c98a00;
  --fail: #c0392b; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e9ef; --muted: #9aa3b2; --bg: #15181e;
  --line: #303642; --s0: #5aa9e6; --s1: #f0a04b; --s2: #5cc77a; --target: #9aa0aa; } }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg);
  background: var(--bg); margin: 2rem auto; max-width: 1100px; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .2rem; } .muted, .tick, .legend { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: .8rem 0; font-size: .9rem; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.chart { width: 100%; height: auto; margin: .8rem 0; }
.chart text { font-size: 11px; fill: var(--muted); } .chart .chart-title { font-size: 13px; fill: var(--fg); }
.grid { stroke: var(--line); stroke-width: 1; } .line { fill: none; stroke-width: 1.8; }
.dashed { stroke-dasharray: 5 4; }
.series-0 { stroke: var(--s0); fill: var(--s0); } .series-1 { stroke: var(--s1); fill: var(--s1); }
.series-2 { stroke: var(--s2); fill: var(--s2); } .target { stroke: var(--target); fill: var(--target); }
path.line { fill: none; }
.status-pass { color: var(--pass); } .status-warn { color: var(--warn); }
.status-fail, .status-error { color: var(--fail); } .status-skip { color: var(--muted); }
details { border-top: 1px solid var(--line); padding: .4rem 0; } summary { cursor: pointer; }
.finding { margin: .4rem 0; } .fix { margin-left: 1rem; }
`;

function h(text: string): string {
  return escapeXml(printable(text));
}

function seriesPoints(
  prepared: PreparedRun[],
  pick: (s: RunSummary) => number | undefined,
): { points: ChartPoint[]; xIsTime: boolean } {
  const times = prepared.map(({ summary }) => Date.parse(summary.startedAt));
  const xIsTime = times.every((t) => !Number.isNaN(t)) && new Set(times).size > 1;
  return {
    xIsTime,
    points: prepared.map(({ summary }, index) => ({
      x: xIsTime ? (times[index] ?? index) : index,
      y: pick(summary),
    })),
  };
}

function charts(prepared: PreparedRun[]): string {
  if (prepared.length === 0) return '';
  const only = prepared.length === 1 ? prepared[0] : undefined;
  if (only) {
    const s = only.summary;
    return barChart({
      id: 'down',
      title: 'Downstream per segment',
      unit: 'Mbps',
      bars: [
        { name: 'LAN (Wi-Fi hop)', className: 'series-0', value: s.downMbps.lan },
        { name: 'Tunnel', className: 'series-1', value: s.downMbps.tunnel },
        { name: 'End to end', className: 'series-2', value: s.downMbps.e2e },
      ],
      ...(s.targetMbps > 0 ? { reference: { name: 'target', value: s.targetMbps } } : {}),
    });
  }
  const lan = seriesPoints(prepared, (s) => s.downMbps.lan);
  const xIsTime = lan.xIsTime;
  const down = lineChart({
    id: 'down',
    title: 'Downstream per segment',
    unit: 'Mbps',
    xIsTime,
    series: [
      { name: 'LAN', className: 'series-0', points: lan.points },
      {
        name: 'Tunnel',
        className: 'series-1',
        points: seriesPoints(prepared, (s) => s.downMbps.tunnel).points,
      },
      {
        name: 'End to end',
        className: 'series-2',
        points: seriesPoints(prepared, (s) => s.downMbps.e2e).points,
      },
      {
        name: 'Target',
        className: 'target',
        dashed: true,
        points: seriesPoints(prepared, (s) => (s.targetMbps > 0 ? s.targetMbps : undefined)).points,
      },
    ],
  });
  const latency = lineChart({
    id: 'latency',
    title: 'Loaded latency',
    unit: 'ms',
    xIsTime,
    series: [
      {
        name: 'Loaded latency',
        className: 'series-1',
        points: seriesPoints(prepared, (s) => s.loadedLatencyMs).points,
      },
    ],
  });
  const loss = lineChart({
    id: 'loss',
    title: 'UDP loss at the target bitrate',
    unit: '%',
    xIsTime,
    series: [
      {
        name: 'Loss',
        className: 'series-2',
        points: seriesPoints(prepared, (s) => s.lossPercent).points,
      },
    ],
  });
  return down + latency + loss;
}

function summaryTable(prepared: PreparedRun[]): string {
  const head = summaryHeader
    .map((name, i) => `<th${i === 0 || i >= 5 ? ' class="num"' : ''} scope="col">${h(name)}</th>`)
    .join('');
  const rows = prepared.map(({ summary }) => {
    const cells = summaryCells(summary)
      .map((cell, i) => `<td${i === 0 || i >= 5 ? ' class="num"' : ''}>${h(cell)}</td>`)
      .join('');
    return `<tr>${cells}</tr>`;
  });
  return `<table><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function checkRow(check: CheckResult): string {
  return `<tr><td>${h(check.id)}</td><td class="status-${h(check.status)}">${h(check.status)}</td><td>${h(check.summary)}</td></tr>`;
}

function runDetails({ run, summary }: PreparedRun, open: boolean): string {
  const router = run.report.router;
  const facts = [
    summary.location !== undefined ? `Location: ${summary.location}` : undefined,
    [router.model, router.release].filter((v) => v !== undefined).join(', ') || undefined,
    `Duration: ${formatNumber(summary.durationMs / 1000)} s`,
  ].filter((v): v is string => v !== undefined);
  const findings = run.report.verdict.findings
    .map(
      (f) =>
        `<div class="finding"><strong>${h(f.id)}</strong> <span class="muted">(${h(f.severity)})</span>: ${h(f.cause)}<div class="fix">Fix: ${h(f.fix)}</div></div>`,
    )
    .join('');
  return [
    `<details${open ? ' open' : ''} id="run-${summary.id}"><summary>Run ${summary.id}: ${h(formatUtc(summary.startedAt))}, ${h(routerLabel(summary))}, <strong>${h(verdictLine(run.report, summary))}</strong></summary>`,
    `<p class="muted">${facts.map(h).join(' &middot; ')}</p>`,
    `<table><thead><tr><th scope="col">Check</th><th scope="col">Status</th><th scope="col">Summary</th></tr></thead><tbody>${run.report.checks.map(checkRow).join('')}</tbody></table>`,
    findings,
    '</details>',
  ].join('');
}

function renderHtml(prepared: PreparedRun[], options: ExportOptions): string {
  const title = options.title ?? 'Homeward run history';
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // The page is a document, not an app: nothing may run or load from anywhere.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${h(title)}</title><style>${css}</style></head><body>`,
    `<header><h1>${h(title)}</h1><p class="muted">${h(range(prepared))}. Generated ${h(formatUtc(options.generatedAt))}; secrets redacted.</p></header>`,
    `<section>${charts(prepared)}</section>`,
    `<section><h2>Runs</h2>${summaryTable(prepared)}</section>`,
    `<section><h2>Reports</h2>${prepared.map((p) => runDetails(p, prepared.length === 1)).join('')}</section>`,
    '</body></html>',
    '',
  ].join('\n');
}

// ---- plain text (the CLI's `history show`) -----------------------------------------------

export function renderRunText(run: StoredRun): string {
  const [{ run: clean, summary }] = prepare([run]) as [PreparedRun];
  const report = clean.report;
  const lines = [`Run ${summary.id}: ${formatUtc(summary.startedAt)}, ${routerLabel(summary)}`];
  if (summary.location !== undefined) lines.push(`Location: ${summary.location}`);
  const device = [report.router.model, report.router.release].filter((v) => v !== undefined);
  if (device.length > 0) lines.push(`Router: ${device.join(', ')}`);
  lines.push(`Duration: ${formatNumber(summary.durationMs / 1000)} s`, '');
  const width = Math.max(0, ...report.checks.map((c) => c.id.length));
  for (const check of report.checks) {
    lines.push(`  ${check.status.padEnd(5)}  ${check.id.padEnd(width)}  ${check.summary}`);
  }
  lines.push('', `Verdict: ${verdictLine(report, summary)}`);
  for (const finding of report.verdict.findings) {
    lines.push(`  ${finding.severity}: ${finding.id}: ${finding.cause}`, `    Fix: ${finding.fix}`);
  }
  return printable(lines.join('\n'));
}
