// History at scale: 10 000 stored runs. Times the store's list and the export renderers against
// a baseline measured in the same run on the same file (raw sql.js SELECTs of the same rows), and
// prints ratios. Not a test: numbers depend on the machine. Run:
//   node --import tsx bench/history.ts [--runs 10000] [--repeat 5]
import { readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import initSqlJs from 'sql.js';
import { historyFileName, openHistoryStore } from '../src/main/adapters/storage/history-store';
import { exportRuns } from '../src/main/core/history/export';
import { syntheticReport } from '../src/main/core/history/sample-report.test-support';

export interface HistoryBenchRow {
  name: string;
  ms: number;
  baselineMs?: number;
  ratio?: number;
  note?: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function time(repeat: number, fn: () => unknown): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < repeat; i += 1) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

/** Baseline and subject alternate, so a noisy neighbour on a shared machine hits both alike. */
async function compare(
  repeat: number,
  baseline: () => unknown,
  subject: () => unknown,
): Promise<{ baselineMs: number; ms: number }> {
  const base: number[] = [];
  const ours: number[] = [];
  for (let i = 0; i < repeat; i += 1) {
    base.push(await time(1, baseline));
    ours.push(await time(1, subject));
  }
  return { baselineMs: median(base), ms: median(ours) };
}

export async function benchHistory(
  options: { runs?: number; repeat?: number } = {},
): Promise<HistoryBenchRow[]> {
  const count = options.runs ?? 10_000;
  const repeat = options.repeat ?? 5;
  const dir = await mkdtemp(join(tmpdir(), 'homeward-bench-history-'));
  const rows: HistoryBenchRow[] = [];
  try {
    const SQL = await initSqlJs({
      locateFile: () => createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm'),
    });

    // Fill: one burst, so the debounce turns it into a few writes.
    const store = await openHistoryStore({ dir, debounceMs: 100 });
    const started = performance.now();
    await Promise.all(
      Array.from({ length: count }, (_, i) => {
        const { report, location } = syntheticReport(i);
        return store.add(report, { location });
      }),
    );
    rows.push({ name: `insert ${count} runs (one burst)`, ms: performance.now() - started });
    const fileBytes = statSync(join(dir, historyFileName)).size;

    // One more run on top: what `homeward doctor` pays to record a run in a full history.
    const addMs = await time(repeat, () => store.add(syntheticReport(count).report));
    rows.push({
      name: `add 1 run to ${count} (durable)`,
      ms: addMs,
      note: `file ${(fileBytes / 1e6).toFixed(1)} MB`,
    });
    await store.close();

    // Baseline database: the same file, opened raw.
    const raw = new SQL.Database(readFileSync(join(dir, historyFileName)));
    const columns =
      'id, started_at, duration_ms, router_host, router_hostname, location, vr_ready, target_mbps, ' +
      'limiting_segment, down_mbps_lan, down_mbps_tunnel, down_mbps_e2e, loaded_latency_ms, loss_percent';
    const rawSelect = (sql: string) => {
      const statement = raw.prepare(sql);
      const out: unknown[][] = [];
      while (statement.step()) out.push(statement.get());
      statement.free();
      return out;
    };

    const openBaseline = await time(repeat, () =>
      new SQL.Database(readFileSync(join(dir, historyFileName))).close(),
    );
    const openMs = await time(repeat, async () => (await openHistoryStore({ dir })).close());
    rows.push({
      name: 'open the history',
      ms: openMs,
      baselineMs: openBaseline,
      note: 'store adds an integrity check',
    });

    const reader = await openHistoryStore({ dir });
    const listBaseline = await time(repeat, () =>
      rawSelect(`SELECT ${columns} FROM runs ORDER BY started_at DESC, id DESC LIMIT ${count}`),
    );
    const listMs = await time(repeat, () => reader.list({ limit: count }));
    rows.push({
      name: `list ${count} summaries`,
      ms: listMs,
      baselineMs: listBaseline,
      note: 'history view budget 300 ms',
    });

    const filteredBaseline = await time(repeat, () =>
      rawSelect(
        `SELECT ${columns} FROM runs WHERE (router_host = 'gl-axt1800' OR router_hostname = 'gl-axt1800') AND location = 'Hotel Lobby' ORDER BY started_at DESC, id DESC LIMIT ${count}`,
      ),
    );
    const filteredMs = await time(repeat, () =>
      reader.list({ limit: count, router: 'gl-axt1800', location: 'Hotel Lobby' }),
    );
    rows.push({
      name: 'list filtered by router + location',
      ms: filteredMs,
      baselineMs: filteredBaseline,
    });

    const runsBaseline = await time(repeat, () =>
      rawSelect(
        `SELECT id, location, report_json FROM runs ORDER BY started_at DESC, id DESC LIMIT ${count}`,
      ).map((row) => JSON.parse(String(row[2])) as unknown),
    );
    const runsMs = await time(repeat, () => reader.runs({ limit: count }));
    rows.push({
      name: `load ${count} full reports`,
      ms: runsMs,
      baselineMs: runsBaseline,
      note: 'baseline: raw SELECT + JSON.parse',
    });

    const runs = reader.runs({ limit: count });
    const generatedAt = new Date().toISOString();
    for (const format of ['json', 'md', 'html'] as const) {
      let size = 0;
      const renderMs = await time(Math.max(1, Math.floor(repeat / 2)), () => {
        size = exportRuns(runs, format, { generatedAt }).length;
      });
      rows.push({
        name: `list + export ${count} as ${format}`,
        ms: listMs + runsMs + renderMs,
        baselineMs: runsBaseline,
        note: `render ${renderMs.toFixed(0)} ms, ${(size / 1e6).toFixed(1)} MB`,
      });
    }
    // The renderer's own overhead (redaction, summaries, escaping) against bare serialization.
    const jsonOnly = await compare(
      Math.max(1, Math.floor(repeat / 2)),
      () => JSON.stringify({ runs }, null, 2),
      () => exportRuns(runs, 'json', { generatedAt }),
    );
    rows.push({ name: `render json vs bare JSON.stringify`, ...jsonOnly });
    await reader.close();
    raw.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  for (const row of rows) if (row.baselineMs !== undefined) row.ratio = row.ms / row.baselineMs;
  return rows;
}

function print(rows: HistoryBenchRow[]): void {
  const width = Math.max(...rows.map((r) => r.name.length));
  console.log(
    `${'history'.padEnd(width)}  ${'ms'.padStart(8)}  ${'baseline'.padStart(8)}  ${'ratio'.padStart(6)}`,
  );
  for (const row of rows) {
    console.log(
      [
        row.name.padEnd(width),
        row.ms.toFixed(1).padStart(8),
        (row.baselineMs?.toFixed(1) ?? '-').padStart(8),
        (row.ratio?.toFixed(2) ?? '-').padStart(6),
        row.note ?? '',
      ].join('  '),
    );
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  const { values } = parseArgs({
    options: { runs: { type: 'string' }, repeat: { type: 'string' } },
  });
  print(
    await benchHistory({
      runs: values.runs ? Number(values.runs) : undefined,
      repeat: values.repeat ? Number(values.repeat) : undefined,
    }),
  );
}
