import { writeFile as fsWriteFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  exportFormats,
  exportRuns,
  formatFromFileName,
  formatNumber,
  formatUtc,
  printable,
  renderRunText,
  routerLabel,
} from '../../main/core/history/export';
import type { ExportFormat } from '../../main/core/history/export';
import { redactValue } from '../../main/core/history/redact';
import type { RunSummary } from '../../main/core/history/summary';
import { HistoryError } from '../../main/adapters/storage/history-store';
import type { HistoryStore, RunFilter } from '../../main/adapters/storage/history-store';
import type { Output } from '../output';

export const historySchema = 'homeward.history/1';

export const historyUsage = `Usage:
  homeward history [--json] [--limit N] [--router HOST] [--location NAME]
      List recorded doctor runs, newest first (default --limit 20)
  homeward history show ID [--json]
      Print one run's report
  homeward history export ID|FROM..TO|--all [--format md|json|html] [--out FILE]
                   [--router HOST] [--location NAME] [--since DATE] [--until DATE]
      Export runs as Markdown, JSON or a self-contained HTML report (secrets redacted);
      the format defaults to the --out file's extension, else md`;

export interface HistoryDeps {
  openStore: () => Promise<HistoryStore>;
  output: Output;
  writeFile?: (path: string, text: string) => Promise<void>;
  now?: () => Date;
}

class UsageProblem extends Error {}

const options = {
  json: { type: 'boolean' },
  limit: { type: 'string' },
  router: { type: 'string' },
  location: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  all: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<
  typeof parseArgs<{ options: typeof options; allowPositionals: true }>
>['values'];

const allowed: Record<'list' | 'show' | 'export', (keyof Values)[]> = {
  list: ['json', 'limit', 'router', 'location', 'help'],
  show: ['json', 'help'],
  export: ['format', 'out', 'all', 'router', 'location', 'since', 'until', 'help'],
};

function positiveInteger(text: string, what: string, example: string): number {
  const value = /^\d{1,15}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new UsageProblem(
      `${what} must be a positive whole number, e.g. ${example} (got "${text}")`,
    );
  }
  return value;
}

function date(text: string | undefined, flag: string): string | undefined {
  if (text === undefined) return undefined;
  if (Number.isNaN(Date.parse(text))) {
    throw new UsageProblem(
      `${flag} must be a date such as 2026-11-25 or 2026-11-25T14:00Z (got "${text}")`,
    );
  }
  return text;
}

function filterOf(values: Values): RunFilter {
  const filter: RunFilter = {};
  if (values.router !== undefined) filter.router = values.router;
  if (values.location !== undefined) filter.location = values.location;
  const since = date(values.since, '--since');
  const until = date(values.until, '--until');
  if (since !== undefined) filter.since = since;
  if (until !== undefined) filter.until = until;
  return filter;
}

function clip(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

export function formatRunTable(runs: RunSummary[]): string {
  const header = ['ID', 'Date (UTC)', 'Router', 'Location', 'VR', 'LAN', 'Tunnel', 'E2E', 'Loaded'];
  const rows = runs.map((run) => [
    String(run.id),
    formatUtc(run.startedAt).replace(/ UTC$/, ''),
    clip(printable(routerLabel(run)), 32),
    clip(printable(run.location ?? '-'), 24),
    run.vrReady ? 'yes' : 'no',
    formatNumber(run.downMbps.lan),
    formatNumber(run.downMbps.tunnel),
    formatNumber(run.downMbps.e2e),
    run.loadedLatencyMs === undefined ? '-' : `${formatNumber(run.loadedLatencyMs)} ms`,
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)),
  );
  const numeric = new Set([0, 5, 6, 7, 8]);
  const line = (cells: string[]) =>
    cells
      .map((cell, i) =>
        numeric.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd();
  const downStart = widths.slice(0, 5).reduce((sum, w) => sum + w + 2, 0);
  return [`${' '.repeat(downStart)}Downstream Mbps`, line(header), ...rows.map(line)].join('\n');
}

function parseIds(text: string): { from: number; to: number } {
  const range = /^(\d+)\.\.(\d+)$/.exec(text);
  if (range) {
    const from = positiveInteger(range[1] ?? '', 'a run id', '12..40');
    const to = positiveInteger(range[2] ?? '', 'a run id', '12..40');
    if (to < from)
      throw new UsageProblem(`the range ${text} runs backwards; write it as ${to}..${from}`);
    return { from, to };
  }
  const id = positiveInteger(text, 'the run id', '"homeward history export 12"');
  return { from: id, to: id };
}

function printFailure(
  output: Output,
  json: boolean,
  kind: string,
  message: string,
  fix?: string,
): void {
  if (json)
    output.out(
      JSON.stringify(
        { schema: historySchema, error: { kind, message, ...(fix ? { fix } : {}) } },
        null,
        2,
      ),
    );
  else output.err(`homeward: ${message}${fix ? ` (${fix})` : ''}`);
}

export async function runHistory(args: string[], deps: HistoryDeps): Promise<number> {
  const { output } = deps;
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true }));
  } catch (error) {
    output.err(
      `homeward: ${(error as Error).message.split('\n')[0]}; see "homeward history --help"`,
    );
    return 2;
  }
  const [first, ...rest] = positionals;
  const command = first === 'show' || first === 'export' || first === 'list' ? first : 'list';
  const operands = first === command ? rest : positionals;
  if (values.help) {
    output.out(historyUsage);
    return 0;
  }
  let store: HistoryStore | undefined;
  const json = values.json ?? false;
  try {
    const misplaced = (Object.keys(values) as (keyof Values)[]).find(
      (flag) => values[flag] !== undefined && !allowed[command].includes(flag),
    );
    if (misplaced) {
      throw new UsageProblem(
        `--${misplaced} does not apply to "history ${command}"; see "homeward history --help"`,
      );
    }
    if (command === 'list' && operands.length > 0) {
      throw new UsageProblem(
        `unknown history command "${operands[0]}"; use list, show ID or export`,
      );
    }
    if (command === 'show' && operands.length !== 1) {
      throw new UsageProblem('history show needs one run id, e.g. "homeward history show 12"');
    }
    if (command === 'export' && operands.length + (values.all ? 1 : 0) !== 1) {
      throw new UsageProblem('history export needs one run id, a range FROM..TO, or --all');
    }
    const limit =
      values.limit === undefined ? 20 : positiveInteger(values.limit, '--limit', '--limit 50');
    const filter = filterOf(values);
    if (command === 'export' && !values.all && Object.keys(filter).length > 0) {
      throw new UsageProblem(
        '--router, --location, --since and --until select runs for --all only',
      );
    }
    const format =
      values.format ??
      (values.out !== undefined ? formatFromFileName(values.out) : undefined) ??
      'md';
    if (!(exportFormats as readonly string[]).includes(format)) {
      throw new UsageProblem(`--format must be md, json or html (got "${format}")`);
    }
    const showId =
      command === 'show'
        ? positiveInteger(operands[0] ?? '', 'the run id', '"homeward history show 12"')
        : 0;
    const ids = command === 'export' && !values.all ? parseIds(operands[0] ?? '') : undefined;

    store = await deps.openStore();
    for (const notice of store.notices) output.err(`homeward: note: ${notice.message}`);

    if (command === 'list') {
      const runs = store.list({ limit, ...filter });
      const total = store.count(filter);
      if (json) {
        output.out(JSON.stringify({ schema: historySchema, total, runs }, null, 2));
      } else if (runs.length === 0) {
        output.out(
          total === 0 && Object.keys(filter).length === 0
            ? `No runs recorded yet; "homeward doctor" records one. (History file: ${store.path})`
            : 'No runs match.',
        );
      } else {
        const more = total > runs.length ? ` Use --limit ${total} to see all.` : '';
        output.out(
          `${formatRunTable(runs)}\n\n${runs.length} of ${total} run${total === 1 ? '' : 's'}.${more}`,
        );
      }
      return 0;
    }

    if (command === 'show') {
      const run = store.getRun(showId);
      if (!run) {
        printFailure(
          output,
          json,
          'not-found',
          `no run with id ${showId}`,
          'run "homeward history" to list the ids',
        );
        return 1;
      }
      output.out(
        json
          ? JSON.stringify(
              {
                schema: historySchema,
                id: run.id,
                ...(run.location !== undefined ? { location: run.location } : {}),
                report: redactValue(run.report),
              },
              null,
              2,
            )
          : renderRunText(run),
      );
      return 0;
    }

    const selection = ids ? { ...filter, ids } : filter;
    const runs = store.runs({ limit: store.count(selection), ...selection });
    if (runs.length === 0) {
      const what = ids
        ? ids.from === ids.to
          ? `no run with id ${ids.from}`
          : `no runs with ids ${ids.from}..${ids.to}`
        : 'no runs match';
      output.err(`homeward: ${what} (run "homeward history" to list the ids)`);
      return 1;
    }
    const text = exportRuns(runs, format as ExportFormat, {
      generatedAt: (deps.now?.() ?? new Date()).toISOString(),
    });
    if (values.out === undefined) {
      output.out(text);
    } else {
      await (deps.writeFile ?? ((path, body) => fsWriteFile(path, body, 'utf8')))(values.out, text);
      output.out(
        `Exported ${runs.length} run${runs.length === 1 ? '' : 's'} as ${format} to ${values.out}`,
      );
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageProblem) {
      output.err(`homeward: ${error.message}`);
      return 2;
    }
    if (error instanceof HistoryError) {
      printFailure(output, json, `history-${error.kind}`, error.message, error.fix);
      return 1;
    }
    const code =
      typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
    if (code.startsWith('E') && error instanceof Error) {
      // File system trouble (EACCES, ENOSPC, EISDIR, ...): a message, not a stack trace.
      printFailure(output, json, 'history-io', error.message);
      return 1;
    }
    throw error;
  } finally {
    await store?.close();
  }
}
