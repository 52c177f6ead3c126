// Processes, not mocks: writers are killed with SIGKILL at random moments, and two writer
// processes share one file. Only temp directories are touched.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, watch } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import initSqlJs from 'sql.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syntheticReport } from '../../core/history/sample-report.test-support';
import { historyFileName, openHistoryStore } from './history-store';

const SQL = await initSqlJs({
  locateFile: () => createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm'),
});
const writerScript = fileURLToPath(new URL('./history-writer.test-support.ts', import.meta.url));
const projectRoot = fileURLToPath(new URL('../../../../', import.meta.url));

let dir: string;
const children: ChildProcess[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'homeward-crash-'));
});
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

interface Writer {
  child: ChildProcess;
  ready: Promise<void>;
  exited: Promise<void>;
  acked: number[];
}

function startWriter(label: string, firstSeq: number, count: number): Writer {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', writerScript, dir, label, String(firstSeq), String(count)],
    { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  const acked: number[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const [word, , seq] = line.split(' ');
      if (word === 'ready') resolve();
      if (word === 'ack') acked.push(Number(seq));
    });
    child.on('exit', () => reject(new Error(`writer exited before ready: ${stderr}`)));
  });
  const exited = new Promise<void>((resolve, reject) =>
    child.on('exit', (code, signal) =>
      code === 0 || signal === 'SIGKILL'
        ? resolve()
        : reject(new Error(`writer failed (${code}): ${stderr}`)),
    ),
  );
  return { child, ready, exited, acked };
}

function waitForTempFile(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      watcher.close();
      clearTimeout(timer);
      resolve();
    };
    const watcher = watch(dir, (_event, name) => {
      if (name?.includes('.tmp-')) done();
    });
    const timer = setTimeout(done, 15_000);
  });
}

/** Opens the file as any SQLite reader would; throws if it is not a sound database. */
async function readDisk(): Promise<{ label: string; seq: number }[]> {
  const db = new SQL.Database(await readFile(join(dir, historyFileName)));
  try {
    expect(db.exec('PRAGMA integrity_check')[0]?.values).toEqual([['ok']]);
    return (db.exec('SELECT location, router_hostname FROM runs ORDER BY id')[0]?.values ?? []).map(
      ([location, hostname]) => ({
        label: String(location),
        seq: Number(String(hostname).slice(String(location).length + 1)),
      }),
    );
  } finally {
    db.close();
  }
}

describe('history store under crashes and concurrent processes', () => {
  it('a writer killed at random moments never corrupts the file nor loses an acknowledged run', async () => {
    // A few thousand runs make each write a few MB, so kills often land mid-write.
    const seed = await openHistoryStore({ dir, debounceMs: 50 });
    await Promise.all(
      Array.from({ length: 2000 }, (_, i) => {
        const { report } = syntheticReport(i);
        report.router.hostname = `seed-${i}`;
        return seed.add(report, { location: 'seed' });
      }),
    );
    await seed.close();

    // Each round starts a process (~2-3 s here); HOMEWARD_CRASH_ROUNDS raises the count.
    const rounds = Number(process.env.HOMEWARD_CRASH_ROUNDS ?? 10);
    let killedMidWrite = 0;
    let killedHoldingLock = 0;
    let committed = 0;
    for (let round = 0; round < rounds; round += 1) {
      const before = (await readDisk()).filter((r) => r.label === 'crash').length;
      // Odd rounds aim at the write itself: kill just after a temp file appears.
      const aimAtWrite = round % 2 === 1;
      const tempSeen = aimAtWrite ? waitForTempFile() : undefined;
      const writer = startWriter('crash', before, 1_000_000);
      await writer.ready;
      if (tempSeen) await tempSeen;
      await sleep(Math.random() * (aimAtWrite ? 15 : 400));
      writer.child.kill('SIGKILL');
      await writer.exited;

      const names = await readdir(dir);
      if (names.some((n) => n.includes('.tmp-'))) killedMidWrite += 1;
      if (existsSync(join(dir, `${historyFileName}.lock`))) killedHoldingLock += 1;

      const rows = await readDisk();
      expect(rows.filter((r) => r.label === 'seed')).toHaveLength(2000);
      const crash = rows.filter((r) => r.label === 'crash').map((r) => r.seq);
      // A prefix: every run up to some point, in order, nothing after a gap.
      expect(crash).toEqual(crash.map((_, i) => i));
      // Every run the writer was told is stored is there.
      for (const seq of writer.acked) expect(crash).toContain(seq);
      committed = crash.length;
    }
    console.info(
      `crash test: ${rounds} kills; ${killedMidWrite} left a temp file (killed mid-write), ` +
        `${killedHoldingLock} left the lock held; ${committed} runs committed, file sound every time`,
    );
    expect(committed).toBeGreaterThan(0);
    // The interesting case really happened: at least one writer died with its temp file half done.
    expect(killedMidWrite).toBeGreaterThan(0);
    // The next writer cleans up after the dead ones.
    const last = startWriter('crash', committed, 1);
    await last.exited;
    expect((await readdir(dir)).filter((n) => n.includes('.tmp-') || n.endsWith('.lock'))).toEqual(
      [],
    );
  }, 180_000);

  it("two writer processes at once keep all of each other's runs", async () => {
    const a = startWriter('alpha', 0, 25);
    const b = startWriter('beta', 0, 25);
    await Promise.all([a.exited, b.exited]);
    expect(a.acked).toHaveLength(25);
    expect(b.acked).toHaveLength(25);
    const rows = await readDisk();
    expect(rows).toHaveLength(50);
    for (const label of ['alpha', 'beta']) {
      expect(rows.filter((r) => r.label === label).map((r) => r.seq)).toEqual(
        Array.from({ length: 25 }, (_, i) => i),
      );
    }
  }, 120_000);
});
