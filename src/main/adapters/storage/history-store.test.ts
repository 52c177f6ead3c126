import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import initSqlJs from 'sql.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  plantedSecrets,
  sampleReport,
  syntheticReport,
} from '../../core/history/sample-report.test-support';
import {
  HistoryError,
  historyFileName,
  historySchemaVersion,
  openDefaultHistoryStore,
  openHistoryStore,
} from './history-store';
import type { HistoryStore } from './history-store';

const SQL = await initSqlJs({
  locateFile: () => createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm'),
});

let dir: string;
const open: HistoryStore[] = [];

async function store(options: { debounceMs?: number; lockTimeoutMs?: number } = {}) {
  const s = await openHistoryStore({ dir, ...options });
  open.push(s);
  return s;
}

/** Reads the file on disk with a separate sql.js instance, as another program would. */
async function onDisk(sql: string): Promise<unknown[][]> {
  const db = new SQL.Database(await readFile(join(dir, historyFileName)));
  try {
    return db.exec(sql)[0]?.values ?? [];
  } finally {
    db.close();
  }
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'homeward-history-'));
});

afterEach(async () => {
  for (const s of open.splice(0)) await s.close().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

describe('history store', () => {
  it('writes a real SQLite file with the schema version, and reads runs back', async () => {
    const s = await store();
    expect(existsSync(join(dir, historyFileName))).toBe(false);
    const id = await s.add(
      sampleReport({ lanMbps: 420, tunnelMbps: 95, e2eMbps: 90, loadedMs: 31, lossPercent: 0.2 }),
      {
        location: 'Hotel Lobby',
      },
    );
    const bytes = await readFile(join(dir, historyFileName));
    expect(bytes.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    expect(await onDisk('PRAGMA user_version')).toEqual([[historySchemaVersion]]);
    expect(
      await onDisk(
        'SELECT id, router_host, location, vr_ready, down_mbps_lan, down_mbps_tunnel, down_mbps_e2e, loaded_latency_ms, loss_percent FROM runs',
      ),
    ).toEqual([[id, '192.168.8.1', 'Hotel Lobby', 1, 420, 95, 90, 31, 0.2]]);
    expect(s.count()).toBe(1);
    expect(s.list({ limit: 10 })).toEqual([
      {
        id,
        startedAt: '2026-11-25T14:03:00.000Z',
        durationMs: 21_400,
        routerHost: '192.168.8.1',
        routerHostname: 'gl-mt3000',
        location: 'Hotel Lobby',
        vrReady: true,
        targetMbps: 100,
        downMbps: { lan: 420, tunnel: 95, e2e: 90 },
        loadedLatencyMs: 31,
        lossPercent: 0.2,
      },
    ]);
    expect(s.get(id)?.checks.find((c) => c.id === 'throughput.lan')?.data.downMbps).toBe(420);
    expect(s.get(id + 1)).toBeUndefined();
  });

  it('never stores secrets', async () => {
    const s = await store();
    const id = await s.add(sampleReport({ withSecrets: true }), { location: 'token=abc123' });
    const raw = (await readFile(join(dir, historyFileName))).toString('latin1');
    for (const secret of [...Object.values(plantedSecrets), 'abc123']) {
      expect(raw).not.toContain(secret);
    }
    const stored = s.get(id)!;
    expect(stored.checks.at(-1)?.data.password).toBe('[redacted]');
  });

  it('lists newest first and filters by router, location and time', async () => {
    const s = await store();
    for (let i = 0; i < 12; i += 1) {
      const { report, location } = syntheticReport(i);
      await s.add(report, { location });
    }
    const all = s.list({ limit: 100 });
    expect(all).toHaveLength(12);
    expect(all.map((r) => r.startedAt)).toEqual([...all.map((r) => r.startedAt)].sort().reverse());
    expect(s.list({ limit: 5, offset: 10 })).toHaveLength(2);
    expect(
      s.list({ limit: 100, router: 'gl-axt1800' }).every((r) => r.routerHost === '192.168.9.1'),
    ).toBe(true);
    expect(s.list({ limit: 100, router: '192.168.9.1' })).toHaveLength(6);
    expect(s.count({ location: 'Hotel Lobby' })).toBe(4);
    expect(s.list({ limit: 100, location: 'Cafe "Zur Post"' })).toHaveLength(8);
    const since = s.list({
      limit: 100,
      since: '2026-01-01T05:00:00Z',
      until: '2026-01-01T08:00:00Z',
    });
    expect(since.map((r) => r.startedAt)).toEqual([
      '2026-01-01T07:00:00.000Z',
      '2026-01-01T06:00:00.000Z',
      '2026-01-01T05:00:00.000Z',
    ]);
    expect(s.facets()).toEqual({
      routers: ['gl-axt1800', 'gl-mt3000'],
      locations: ['Cafe "Zur Post"', 'Hotel Lobby'],
    });
    expect(s.runs({ limit: 2 }).map((r) => r.id)).toEqual([12, 11]);
    expect(() => s.list({ limit: -1 })).toThrow(RangeError);
  });

  it('gives the chart series as columns, oldest first, filtered and limited to the newest', async () => {
    const s = await store();
    await s.add(
      sampleReport({
        startedAt: '2026-11-25T14:03:00.123+01:00',
        lanMbps: 420.456,
        tunnelMbps: 95.001,
        loadedMs: 31,
        lossPercent: 0.125,
      }),
      { location: 'Hotel Lobby' },
    );
    await s.add(sampleReport({ startedAt: '2026-11-24T09:00:00Z', e2eMbps: 88 }));
    await s.add(sampleReport({ startedAt: 'not a date', lanMbps: 1 }));
    // The oldest by time first; a run whose time is not a date sorts as its text, newest here.
    expect(s.series({ limit: 10 })).toEqual({
      id: [2, 1, 3],
      startedAt: [Date.parse('2026-11-24T09:00:00Z'), Date.parse('2026-11-25T13:03:00.123Z'), null],
      lanMbps: [null, 420.46, 1],
      tunnelMbps: [null, 95, null],
      e2eMbps: [88, null, null],
      loadedLatencyMs: [null, 31, null],
      lossPercent: [null, 0.13, null],
    });
    expect(s.series({ limit: 2 }).id).toEqual([1, 3]);
    expect(s.series({ limit: 10, location: 'Hotel Lobby' }).id).toEqual([1]);
    expect(s.series({ limit: 10, since: '2026-11-25T00:00:00Z', until: '2026-11-26' }).id).toEqual([
      1,
    ]);
    expect(s.series({ limit: 10, router: 'nowhere' }).id).toEqual([]);
    expect(() => s.series({ limit: -1 })).toThrow(RangeError);
  });

  it('matches list() run for run on a larger history, through the covering index', async () => {
    const s = await store();
    for (let i = 0; i < 40; i += 1) {
      const { report, location } = syntheticReport(i);
      await s.add(report, { location });
    }
    for (const filter of [{}, { router: 'gl-axt1800' }, { location: 'Hotel Lobby' }]) {
      const listed = s.list({ ...filter, limit: 25 }).reverse();
      const series = s.series({ ...filter, limit: 25 });
      expect(series.id).toEqual(listed.map((r) => r.id));
      expect(series.startedAt).toEqual(listed.map((r) => Date.parse(r.startedAt)));
      expect(series.tunnelMbps).toEqual(listed.map((r) => r.downMbps.tunnel ?? null));
      expect(series.lossPercent).toEqual(listed.map((r) => r.lossPercent ?? null));
    }
    const plan = await onDisk(
      'EXPLAIN QUERY PLAN SELECT id, started_at, down_mbps_e2e, loss_percent FROM runs ORDER BY started_at DESC, id DESC',
    );
    expect(plan.map((row) => String(row[3])).join(' ')).toContain('COVERING INDEX runs_series');
  });

  it('facets follow new runs, its own and those another process writes', async () => {
    const a = await store();
    const b = await store();
    await a.add(sampleReport({ hostname: 'first' }), { location: 'Home' });
    expect(a.facets()).toEqual({ routers: ['first'], locations: ['Home'] });
    a.facets().routers.push('changed by a caller');
    expect(a.facets().routers).toEqual(['first']);
    await a.add(sampleReport({ hostname: 'second', startedAt: '2026-12-01T00:00:00Z' }));
    expect(a.facets().routers).toEqual(['second', 'first']);
    expect(b.facets().routers).toEqual(['second', 'first']);
    await b.add(sampleReport({ hostname: 'third', startedAt: '2026-12-02T00:00:00Z' }), {
      location: 'Cafe',
    });
    expect(a.facets()).toEqual({
      routers: ['third', 'second', 'first'],
      locations: ['Cafe', 'Home'],
    });
  });

  it('a burst of adds shares writes, and every add resolves only once its run is on disk', async () => {
    const s = await store({ debounceMs: 30 });
    const ids = await Promise.all(
      Array.from({ length: 40 }, (_, i) => s.add(syntheticReport(i).report)),
    );
    expect(new Set(ids).size).toBe(40);
    expect(await onDisk('SELECT count(*) FROM runs')).toEqual([[40]]);
    const one = s.add(syntheticReport(99).report);
    const id = await one;
    expect(await onDisk(`SELECT id FROM runs WHERE id = ${id}`)).toEqual([[id]]);
  });

  it('close() writes what is pending', async () => {
    const s = await store({ debounceMs: 10_000 });
    const added = s.add(sampleReport());
    await s.close();
    await expect(added).resolves.toBe(1);
    expect(await onDisk('SELECT count(*) FROM runs')).toEqual([[1]]);
    await expect(s.add(sampleReport())).rejects.toMatchObject({ kind: 'closed' });
  });

  it("two writers on one file keep each other's runs", async () => {
    const a = await store();
    const b = await store();
    const adds: Promise<number>[] = [];
    for (let i = 0; i < 10; i += 1) {
      adds.push(a.add(sampleReport({ hostname: `a-${i}` })));
      adds.push(b.add(sampleReport({ hostname: `b-${i}` })));
    }
    const ids = await Promise.all(adds);
    expect(new Set(ids).size).toBe(20);
    expect(await onDisk('SELECT count(*) FROM runs')).toEqual([[20]]);
    // each sees the other's runs without reopening
    expect(a.count()).toBe(20);
    expect(b.list({ limit: 100 }).filter((r) => r.routerHostname?.startsWith('a-'))).toHaveLength(
      10,
    );
  });

  it('moves a file that is not SQLite aside, keeps its bytes, and says so', async () => {
    const garbage = Buffer.from("this is not a database, but someone's notes\n".repeat(200));
    await writeFile(join(dir, historyFileName), garbage);
    const s = await store();
    expect(s.notices).toHaveLength(1);
    const notice = s.notices[0]!;
    expect(notice.kind).toBe('moved-corrupt-file');
    expect(notice.movedTo).toMatch(/history\.sqlite\.corrupt-\d{8}T\d{6}Z$/);
    expect(notice.message).toContain('moved to');
    expect(await readFile(notice.movedTo)).toEqual(garbage);
    expect(s.count()).toBe(0);
    await s.add(sampleReport());
    expect(await onDisk('SELECT count(*) FROM runs')).toEqual([[1]]);
    expect(await readFile(notice.movedTo)).toEqual(garbage);
  });

  it('moves a truncated database aside too, and never reuses a corrupt-file name', async () => {
    const first = await store();
    for (let i = 0; i < 30; i += 1) await first.add(syntheticReport(i).report);
    await first.close();
    const full = await readFile(join(dir, historyFileName));
    await writeFile(join(dir, historyFileName), full.subarray(0, Math.floor(full.length / 2)));
    const second = await store();
    await writeFile(join(dir, historyFileName), 'garbage again');
    const third = await store();
    const moved = [second.notices[0]?.movedTo, third.notices[0]?.movedTo];
    expect(moved.every((path) => path !== undefined)).toBe(true);
    expect(new Set(moved).size).toBe(2);
    expect((await readdir(dir)).filter((name) => name.includes('.corrupt-'))).toHaveLength(2);
  });

  it('a file damaged after opening is moved aside at the next write, keeping the runs it knew', async () => {
    const s = await store();
    await s.add(sampleReport({ hostname: 'one' }));
    await s.add(sampleReport({ hostname: 'two' }));
    await writeFile(join(dir, historyFileName), 'clobbered by something else');
    expect(s.count()).toBe(2);
    await s.add(sampleReport({ hostname: 'three' }));
    expect(s.notices).toHaveLength(1);
    expect(await onDisk('SELECT router_hostname FROM runs ORDER BY id')).toEqual([
      ['one'],
      ['two'],
      ['three'],
    ]);
    expect(await readFile(s.notices[0]!.movedTo, 'utf8')).toBe('clobbered by something else');
  });

  it('a failed write rejects the add and leaves memory and disk as they were', async () => {
    let fail = false;
    const s = await openHistoryStore({
      dir,
      writeFile: async (path, bytes) => {
        if (fail)
          throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        await writeFile(path, bytes);
      },
    });
    open.push(s);
    await s.add(sampleReport({ hostname: 'kept' }));
    fail = true;
    const error = await s.add(sampleReport({ hostname: 'lost' })).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'io' });
    expect((error as Error).message).toContain('ENOSPC');
    expect(s.list({ limit: 10 }).map((r) => r.routerHostname)).toEqual(['kept']);
    expect(await onDisk('SELECT router_hostname FROM runs')).toEqual([['kept']]);
    fail = false;
    await s.add(sampleReport({ hostname: 'next' }));
    expect(await onDisk('SELECT router_hostname FROM runs ORDER BY id')).toEqual([
      ['kept'],
      ['next'],
    ]);
  });

  it('refuses to write a history from a newer schema and leaves it untouched', async () => {
    const db = new SQL.Database();
    db.run(
      'CREATE TABLE runs (id INTEGER PRIMARY KEY, started_at TEXT, duration_ms INTEGER, router_host TEXT, router_hostname TEXT, location TEXT, vr_ready INTEGER, target_mbps REAL, limiting_segment TEXT, down_mbps_lan REAL, down_mbps_tunnel REAL, down_mbps_e2e REAL, loaded_latency_ms REAL, loss_percent REAL, report_json TEXT, extra TEXT)',
    );
    db.run(`PRAGMA user_version = ${historySchemaVersion + 1}`);
    const bytes = db.export();
    db.close();
    await writeFile(join(dir, historyFileName), bytes);
    const s = await store();
    expect(s.count()).toBe(0);
    const error = await s.add(sampleReport()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HistoryError);
    expect(error).toMatchObject({ kind: 'newer-schema' });
    expect(Buffer.compare(await readFile(join(dir, historyFileName)), Buffer.from(bytes))).toBe(0);
  });

  it('upgrades a version 1 history: the series index replaces the time index, runs kept', async () => {
    const db = new SQL.Database();
    db.run(`CREATE TABLE runs (
      id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, duration_ms INTEGER NOT NULL,
      router_host TEXT NOT NULL, router_hostname TEXT, location TEXT, vr_ready INTEGER NOT NULL,
      target_mbps REAL NOT NULL, limiting_segment TEXT, down_mbps_lan REAL, down_mbps_tunnel REAL,
      down_mbps_e2e REAL, loaded_latency_ms REAL, loss_percent REAL, report_json TEXT NOT NULL);
      CREATE INDEX runs_by_time ON runs (started_at, id);
      CREATE INDEX runs_by_router ON runs (router_host, started_at);
      CREATE INDEX runs_by_router_hostname ON runs (router_hostname, started_at);
      CREATE INDEX runs_by_location ON runs (location, started_at);
      PRAGMA user_version = 1;`);
    db.run(
      `INSERT INTO runs (started_at, duration_ms, router_host, vr_ready, target_mbps, down_mbps_lan, report_json)
       VALUES ('2026-01-01T00:00:00.000Z', 1000, '192.168.8.1', 1, 100, 300, ?)`,
      [JSON.stringify(sampleReport({ startedAt: '2026-01-01T00:00:00Z', lanMbps: 300 }))],
    );
    await writeFile(join(dir, historyFileName), db.export());
    db.close();
    const s = await store();
    expect(s.series({ limit: 10 })).toMatchObject({ id: [1], lanMbps: [300] });
    await s.add(sampleReport());
    expect(await onDisk('PRAGMA user_version')).toEqual([[historySchemaVersion]]);
    expect(historySchemaVersion).toBe(2);
    const indexes = (await onDisk("SELECT name FROM sqlite_master WHERE type = 'index'")).flat();
    expect(indexes).toContain('runs_series');
    expect(indexes).not.toContain('runs_by_time');
    expect(s.list({ limit: 10 }).map((r) => r.id)).toEqual([2, 1]);
  });

  it('upgrades an old (version 0) database in place', async () => {
    const db = new SQL.Database();
    db.run('CREATE TABLE notes (text TEXT)');
    db.run("INSERT INTO notes VALUES ('kept')");
    await writeFile(join(dir, historyFileName), db.export());
    db.close();
    const s = await store();
    await s.add(sampleReport());
    expect(await onDisk('PRAGMA user_version')).toEqual([[historySchemaVersion]]);
    expect(await onDisk('SELECT text FROM notes')).toEqual([['kept']]);
    expect(s.notices).toEqual([]);
  });

  it('breaks a lock left by a dead process, waits for a live one, and cleans orphan temp files', async () => {
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => dead.on('exit', resolve));
    const lockPath = join(dir, `${historyFileName}.lock`);
    const { hostname } = await import('node:os');
    const lockOf = (pid: number) =>
      JSON.stringify({
        pid,
        hostname: hostname(),
        token: `t${pid}`,
        createdAt: new Date().toISOString(),
      });
    await writeFile(lockPath, lockOf(dead.pid!));
    await writeFile(join(dir, `${historyFileName}.tmp-${dead.pid}-abc`), 'half a database');
    const s = await store({ lockTimeoutMs: 2000 });
    await s.add(sampleReport());
    expect(existsSync(lockPath)).toBe(false);
    expect((await readdir(dir)).filter((n) => n.includes('.tmp-'))).toEqual([]);

    const live = spawn('sleep', ['30']);
    try {
      await writeFile(lockPath, lockOf(live.pid!));
      const blocked = await store({ lockTimeoutMs: 300 });
      const started = Date.now();
      const error = await blocked.add(sampleReport()).catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'locked' });
      expect((error as HistoryError).message).toContain(`process ${live.pid}`);
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      expect(existsSync(lockPath)).toBe(true);
      expect(blocked.count()).toBe(1);
    } finally {
      live.kill();
    }
  });

  it('openDefaultHistoryStore uses HOMEWARD_DATA_DIR', async () => {
    const previous = process.env.HOMEWARD_DATA_DIR;
    process.env.HOMEWARD_DATA_DIR = dir;
    try {
      const s = await openDefaultHistoryStore();
      open.push(s);
      expect(s.path).toBe(join(dir, historyFileName));
    } finally {
      if (previous === undefined) delete process.env.HOMEWARD_DATA_DIR;
      else process.env.HOMEWARD_DATA_DIR = previous;
    }
  });

  it('assigns ids in order and leaves no lock file behind', async () => {
    const s = await store({ debounceMs: 0 });
    const ids = await Promise.all([1, 2, 3].map((n) => s.add(sampleReport({ hostname: `r${n}` }))));
    expect(ids).toEqual([1, 2, 3]);
    expect(existsSync(join(dir, `${historyFileName}.lock`))).toBe(false);
  });
});
