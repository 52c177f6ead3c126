// Writes synthetic doctor runs into a history with the app's own store, for e2e tests and the
// render benchmark. Run: node --import tsx test/e2e/seed-history.ts DIR COUNT
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { openHistoryStore } from '../../src/main/adapters/storage/history-store';
import { syntheticReport } from '../../src/main/core/history/sample-report.test-support';

export async function seedHistory(dir: string, count: number): Promise<void> {
  const store = await openHistoryStore({ dir, debounceMs: 200 });
  try {
    await Promise.all(
      Array.from({ length: count }, (_, i) => {
        const { report, location } = syntheticReport(i);
        return store.add(report, { location });
      }),
    );
    await store.flush();
  } finally {
    await store.close();
  }
}

const root = path.resolve(import.meta.dirname, '../..');

/** Seeds in a child process (tsx), so Playwright's own TypeScript loader never sees sql.js. */
export function seedHistoryInChild(dir: string, count: number): void {
  execFileSync(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'test/e2e/seed-history.ts'), dir, String(count)],
    { cwd: root, stdio: 'inherit' },
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const [dir, count] = process.argv.slice(2);
  if (!dir) throw new Error('usage: seed-history.ts DIR COUNT');
  await seedHistory(dir, Number(count ?? 20));
}
