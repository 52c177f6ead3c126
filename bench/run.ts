// `npm run bench`: every benchmark, one after another, then a summary of the key rows. Benchmarks
// report; they do not fail CI: exit 0 unless one crashed (1), or the CLI is not built (2).
//   npm run bench [-- --only doctor,history]
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchDoctor, doctorBenchUnavailableReason } from './doctor';
import { benchHistory } from './history';
import { externalBench, fromHistoryRows } from './external';
import type { Bench } from './external';
import { formatColumns, formatRows, formatValue } from './report';
import type { BenchOutcome } from './report';

const benchDir = dirname(fileURLToPath(import.meta.url));
const projectRoot = join(benchDir, '..');

const benches: Bench[] = [
  { name: 'history', run: async () => ({ rows: fromHistoryRows(await benchHistory()) }) },
  ...(existsSync(join(benchDir, 'history-render.ts'))
    ? [
        {
          ...externalBench('history-render', join(benchDir, 'history-render.ts'), projectRoot),
          unavailable: () => {
            const chromium = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
            return existsSync(chromium)
              ? undefined
              : `no Chromium at ${chromium} (Debian: apt-get install chromium, or set CHROMIUM_PATH)`;
          },
        },
      ]
    : []),
  {
    name: 'doctor',
    unavailable: doctorBenchUnavailableReason,
    run: () => benchDoctor({ log: (m) => process.stderr.write(`  doctor: ${m}\n`) }),
  },
];

async function runBench(bench: Bench): Promise<BenchOutcome> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const skipped = bench.unavailable?.();
  if (skipped !== undefined) return { bench: bench.name, rows: [], skipped, seconds: 0 };
  try {
    const { rows, details } = await bench.run();
    return { bench: bench.name, rows, ...(details ? { details } : {}), seconds: seconds() };
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return { bench: bench.name, rows: [], error: message, seconds: seconds() };
  }
}

function summary(outcomes: BenchOutcome[]): string {
  const lines: string[][] = [];
  for (const o of outcomes) {
    if (o.skipped !== undefined) {
      lines.push([o.bench, `skipped: ${o.skipped}`, '', '', '', '']);
      continue;
    }
    if (o.error !== undefined) {
      lines.push([o.bench, `CRASHED: ${o.error.split('\n')[0] ?? ''}`, '', '', '', '']);
      continue;
    }
    for (const r of o.rows.filter((row) => row.key)) {
      lines.push([
        o.bench,
        r.name,
        formatValue(r.value, r.unit),
        r.baseline ? `${r.baseline.label} ${formatValue(r.baseline.value, r.unit)}` : '',
        r.ratio !== undefined ? r.ratio.toFixed(3) : '',
        r.target ? `${r.target}${r.met === undefined ? '' : r.met ? ' ok' : ' MISSED'}` : '',
      ]);
    }
  }
  return formatColumns(['bench', '', 'value', 'baseline', 'ratio', 'target'], lines);
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { only: { type: 'string' } } });
  const cli = join(projectRoot, 'out', 'cli', 'index.js');
  if (!existsSync(cli)) {
    console.error(`bench: ${cli} is missing; run "npm run build" first.`);
    return 2;
  }
  const only = values.only?.split(',').map((s) => s.trim());
  const selected = only ? benches.filter((b) => only.includes(b.name)) : benches;
  if (only && selected.length !== only.length) {
    console.error(`bench: unknown name in --only (have: ${benches.map((b) => b.name).join(', ')})`);
    return 2;
  }
  const outcomes: BenchOutcome[] = [];
  for (const bench of selected) {
    console.log(`\n== ${bench.name} ==`);
    const outcome = await runBench(bench);
    outcomes.push(outcome);
    if (outcome.skipped !== undefined) console.log(`skipped: ${outcome.skipped}`);
    else if (outcome.error !== undefined)
      console.log(`CRASHED after ${outcome.seconds.toFixed(1)} s:\n${outcome.error}`);
    else {
      if (outcome.rows.length > 0) console.log(formatRows(outcome.rows));
      if (outcome.details) console.log(`\n${outcome.details}`);
      console.log(`(${outcome.seconds.toFixed(1)} s)`);
    }
  }
  console.log(`\n== summary ==\n${summary(outcomes)}`);
  return outcomes.some((o) => o.error !== undefined) ? 1 : 0;
}

process.exitCode = await main();
