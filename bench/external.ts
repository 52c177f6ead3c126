// Adapters for benches this runner does not own: other row shapes, or plain scripts.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { HistoryBenchRow } from './history';
import type { BenchRow } from './report';

export interface Bench {
  name: string;
  /** Why it cannot run on this machine, or undefined. */
  unavailable?: () => string | undefined;
  run: () => Promise<{ rows: BenchRow[]; details?: string }>;
}

export function fromHistoryRows(rows: HistoryBenchRow[]): BenchRow[] {
  return rows.map((r) => ({
    name: r.name,
    value: r.ms,
    unit: 'ms',
    ...(r.baselineMs !== undefined ? { baseline: { label: 'baseline', value: r.baselineMs } } : {}),
    ...(r.ratio !== undefined ? { ratio: r.ratio } : {}),
    ...(r.note !== undefined ? { note: r.note } : {}),
    key: r.ratio !== undefined,
  }));
}

/** Rows from a bench whose shape this runner does not know: history-style or BenchRow-style. */
export function fromUnknownRows(value: unknown): BenchRow[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const rows: BenchRow[] = [];
  for (const item of value as Record<string, unknown>[]) {
    if (typeof item?.['name'] !== 'string') return undefined;
    if (typeof item['ms'] === 'number') rows.push(...fromHistoryRows([item as never]));
    else if (typeof item['value'] === 'number' && typeof item['unit'] === 'string')
      rows.push(item as unknown as BenchRow);
    else return undefined;
  }
  return rows;
}

/** A bench file someone else owns: call its exported bench* function, else run it as a script. */
export function externalBench(name: string, file: string, cwd: string): Bench {
  return {
    name,
    run: async () => {
      // Import only a module that exports a bench function: importing a plain script would run it.
      const exported = /export\s+(?:async\s+)?function\s+(bench\w*)/.exec(
        readFileSync(file, 'utf8'),
      )?.[1];
      if (exported !== undefined) {
        const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
        const fn = module[exported];
        if (typeof fn !== 'function') throw new Error(`${file}: ${exported} is not a function`);
        const result = await (fn as () => Promise<unknown>)();
        const rows = fromUnknownRows(
          Array.isArray(result) ? result : (result as { rows?: unknown } | undefined)?.rows,
        );
        if (rows) return { rows };
        return { rows: [], details: JSON.stringify(result, null, 2) };
      }
      const script = spawnSync(process.execPath, ['--import', 'tsx', file], {
        cwd,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      if (script.status !== 0) throw new Error(`${file} exited ${script.status}`);
      return { rows: [], details: script.stdout.trimEnd() };
    },
  };
}
