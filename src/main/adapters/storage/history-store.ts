// The run history: a real SQLite file driven by sql.js (WASM, the same in Node and Electron).
// sql.js keeps the database in memory, so every write replaces the whole file atomically
// (temp + fsync + rename). Writers take a lock file and re-read the file first, so the CLI and
// the app writing at the same time both keep their runs. A file that is not a valid database is
// moved aside, never overwritten.

import { readFileSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import initSqlJs from 'sql.js';
import type { Database, SqlJsStatic, SqlValue } from 'sql.js';
import type { DoctorReport, Segment } from '../../../shared/doctor';
import type { HistorySeries } from '../../../shared/history';
import { redactText, redactValue } from '../../core/history/redact';
import { normalizeTimestamp, summarizeRun } from '../../core/history/summary';
import type { RunSummary, StoredRun } from '../../core/history/summary';
import { moveAsideUnique, removeOrphanTemps, writeFileAtomic } from './atomic-file';
import { defaultDataDir } from './data-dir';
import { acquireLock, LockTimeoutError } from './file-lock';
import type { LockHandle } from './file-lock';

export const historyFileName = 'history.sqlite';

/** Each entry moves the schema one version up; PRAGMA user_version holds the current one. */
const migrations: readonly string[] = [
  `CREATE TABLE runs (
     id INTEGER PRIMARY KEY,
     started_at TEXT NOT NULL,
     duration_ms INTEGER NOT NULL,
     router_host TEXT NOT NULL,
     router_hostname TEXT,
     location TEXT,
     vr_ready INTEGER NOT NULL,
     target_mbps REAL NOT NULL,
     limiting_segment TEXT,
     down_mbps_lan REAL,
     down_mbps_tunnel REAL,
     down_mbps_e2e REAL,
     loaded_latency_ms REAL,
     loss_percent REAL,
     report_json TEXT NOT NULL
   );
   CREATE INDEX runs_by_time ON runs (started_at, id);
   CREATE INDEX runs_by_router ON runs (router_host, started_at);
   CREATE INDEX runs_by_router_hostname ON runs (router_hostname, started_at);
   CREATE INDEX runs_by_location ON runs (location, started_at);`,
  // Covers the chart series and its filters, so drawing 10 000 runs never reads the rows (and
  // their report bodies); it starts with (started_at, id), which makes runs_by_time redundant.
  `CREATE INDEX runs_series ON runs (started_at, id, router_host, router_hostname, location,
     down_mbps_lan, down_mbps_tunnel, down_mbps_e2e, loaded_latency_ms, loss_percent);
   DROP INDEX runs_by_time;`,
];
export const historySchemaVersion = migrations.length;

export type HistoryErrorKind = 'newer-schema' | 'locked' | 'closed' | 'io';

export class HistoryError extends Error {
  override name = 'HistoryError';
  constructor(
    readonly kind: HistoryErrorKind,
    message: string,
    readonly fix?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface HistoryNotice {
  kind: 'moved-corrupt-file';
  path: string;
  movedTo: string;
  message: string;
}

export interface RunQuery {
  limit: number;
  offset?: number;
  /** Matches the router's address or its hostname. */
  router?: string;
  /** The uplink network's name, exactly. */
  location?: string;
  /** Runs started at or after this time (ISO 8601). */
  since?: string;
  /** Runs started before this time (ISO 8601). */
  until?: string;
  /** Run ids from..to, both included. */
  ids?: { from: number; to: number };
}

export type RunFilter = Omit<RunQuery, 'limit' | 'offset'>;

export interface HistoryStore {
  readonly path: string;
  /** Things the user should be told about (e.g. a damaged file moved aside). */
  readonly notices: readonly HistoryNotice[];
  /** Stores a redacted copy of the report; resolves with its id once it is on disk. */
  add(report: DoctorReport, meta?: { location?: string }): Promise<number>;
  /** Resolves when every add so far is on disk. */
  flush(): Promise<void>;
  /** Newest first. */
  list(query: RunQuery): RunSummary[];
  get(id: number): DoctorReport | undefined;
  getRun(id: number): StoredRun | undefined;
  /** Full runs for export, newest first. */
  runs(query: RunQuery): StoredRun[];
  count(filter?: RunFilter): number;
  /** The newest `limit` runs that match, as chart columns, oldest first. */
  series(query: RunFilter & { limit: number }): HistorySeries;
  /** Routers and locations seen, most recently used first, for filter menus. */
  facets(): { routers: string[]; locations: string[] };
  close(): Promise<void>;
}

export interface OpenHistoryOptions {
  dir: string;
  /** Cancels waiting for the lock file, at open and in later writes (their adds reject). */
  signal?: AbortSignal;
  /** Adds within this window share one write. */
  debounceMs?: number;
  lockTimeoutMs?: number;
  staleLockMs?: number;
  /** Replaces the atomic file write (tests use it to make a write fail). */
  writeFile?: (path: string, bytes: Uint8Array) => Promise<void>;
}

let sqlJs: Promise<SqlJsStatic> | undefined;

function loadSqlJs(): Promise<SqlJsStatic> {
  // sql.js stays external in every bundle, so node_modules resolution finds its wasm file.
  const wasm = createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm');
  sqlJs ??= initSqlJs({ locateFile: () => wasm }).catch((error: unknown) => {
    sqlJs = undefined;
    throw error;
  });
  return sqlJs;
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String(error.code)
    : undefined;
}

/** Identifies one version of the file: every write renames a new inode into place. */
function signatureOf(info: Stats | undefined): string {
  return info ? `${info.ino}:${info.size}:${info.mtimeMs}` : 'missing';
}

type Loaded = { kind: 'ok'; db: Database; version: number } | { kind: 'corrupt'; message: string };

function openDatabase(SQL: SqlJsStatic, bytes: Uint8Array | undefined): Loaded {
  const db = new SQL.Database(bytes && bytes.length > 0 ? bytes : undefined);
  try {
    const check = db.exec('PRAGMA quick_check')[0]?.values[0]?.[0];
    if (check !== 'ok') {
      db.close();
      return { kind: 'corrupt', message: `integrity check failed: ${String(check)}` };
    }
    const version = Number(db.exec('PRAGMA user_version')[0]?.values[0]?.[0] ?? 0);
    if (version >= historySchemaVersion) return { kind: 'ok', db, version };
    migrate(db, version);
    return { kind: 'ok', db, version: historySchemaVersion };
  } catch (error) {
    db.close();
    return { kind: 'corrupt', message: (error as Error).message };
  }
}

function migrate(db: Database, from: number): void {
  db.run('BEGIN');
  try {
    for (let version = from; version < historySchemaVersion; version += 1) {
      db.run(migrations[version] ?? '');
    }
    db.run(`PRAGMA user_version = ${historySchemaVersion}`);
    db.run('COMMIT');
  } catch (error) {
    db.run('ROLLBACK');
    throw error;
  }
}

function corruptName(path: string): string {
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${path}.corrupt-${stamp}`;
}

const summaryColumns =
  'id, started_at, duration_ms, router_host, router_hostname, location, vr_ready, target_mbps, ' +
  'limiting_segment, down_mbps_lan, down_mbps_tunnel, down_mbps_e2e, loaded_latency_ms, loss_percent';

function num(value: SqlValue | undefined): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

function str(value: SqlValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function rowToSummary(row: SqlValue[]): RunSummary {
  const summary: RunSummary = {
    id: Number(row[0]),
    startedAt: String(row[1]),
    durationMs: Number(row[2]),
    routerHost: String(row[3]),
    vrReady: row[6] === 1,
    targetMbps: Number(row[7]),
    downMbps: {},
  };
  const hostname = str(row[4]);
  const location = str(row[5]);
  const segment = str(row[8]);
  if (hostname !== undefined) summary.routerHostname = hostname;
  if (location !== undefined) summary.location = location;
  if (segment !== undefined) summary.limitingSegment = segment as Segment;
  const lan = num(row[9]);
  const tunnel = num(row[10]);
  const e2e = num(row[11]);
  const loaded = num(row[12]);
  const loss = num(row[13]);
  if (lan !== undefined) summary.downMbps.lan = lan;
  if (tunnel !== undefined) summary.downMbps.tunnel = tunnel;
  if (e2e !== undefined) summary.downMbps.e2e = e2e;
  if (loaded !== undefined) summary.loadedLatencyMs = loaded;
  if (loss !== undefined) summary.lossPercent = loss;
  return summary;
}

// Epoch ms straight from SQLite: julianday's double is exact to far below a millisecond here.
const seriesColumns =
  'id, CAST(round((julianday(started_at) - 2440587.5) * 86400000) AS INTEGER), ' +
  'down_mbps_lan, down_mbps_tunnel, down_mbps_e2e, loaded_latency_ms, loss_percent';

/** Two decimals are finer than any chart pixel and keep the series small on the wire. */
function chartValue(value: SqlValue | undefined): number | null {
  return typeof value === 'number' ? Math.round(value * 100) / 100 : null;
}

function whereClause(filter: RunFilter): { sql: string; params: SqlValue[] } {
  const terms: string[] = [];
  const params: SqlValue[] = [];
  if (filter.router !== undefined) {
    terms.push('(router_host = ? OR router_hostname = ?)');
    params.push(filter.router, filter.router);
  }
  if (filter.location !== undefined) {
    terms.push('location = ?');
    params.push(filter.location);
  }
  if (filter.since !== undefined) {
    terms.push('started_at >= ?');
    params.push(normalizeTimestamp(filter.since));
  }
  if (filter.until !== undefined) {
    terms.push('started_at < ?');
    params.push(normalizeTimestamp(filter.until));
  }
  if (filter.ids !== undefined) {
    terms.push('id BETWEEN ? AND ?');
    params.push(filter.ids.from, filter.ids.to);
  }
  return { sql: terms.length ? `WHERE ${terms.join(' AND ')}` : '', params };
}

function pageClause(query: RunQuery): { sql: string; params: SqlValue[] } {
  if (!Number.isInteger(query.limit) || query.limit < 0) {
    throw new RangeError(`limit must be a whole number >= 0, got ${query.limit}`);
  }
  const offset = query.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0) {
    throw new RangeError(`offset must be a whole number >= 0, got ${offset}`);
  }
  return { sql: 'LIMIT ? OFFSET ?', params: [query.limit, offset] };
}

interface Pending {
  report: DoctorReport;
  location: string | undefined;
  resolve(id: number): void;
  reject(error: unknown): void;
}

class SqlHistoryStore implements HistoryStore {
  readonly notices: HistoryNotice[] = [];
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private closed = false;
  private tempsCleaned = false;
  /** Facets of the database as loaded; dropped whenever its rows change. */
  private facetCache: { routers: string[]; locations: string[] } | undefined;
  /** Set when the file on disk was unreadable at a moment we could not move it (no lock held). */
  private diskUnreadable = false;

  constructor(
    private readonly SQL: SqlJsStatic,
    readonly path: string,
    private db: Database,
    private version: number,
    private loadedSignature: string,
    private readonly options: OpenHistoryOptions,
  ) {}

  add(report: DoctorReport, meta: { location?: string } = {}): Promise<number> {
    if (this.closed) return Promise.reject(new HistoryError('closed', 'the history is closed'));
    const refusal = this.writeRefusal();
    if (refusal) return Promise.reject(refusal);
    const clean = redactValue(report);
    const location = meta.location === undefined ? undefined : redactText(meta.location);
    return new Promise<number>((resolve, reject) => {
      this.pending.push({ report: clean, location, resolve, reject });
      this.schedule();
    });
  }

  async flush(): Promise<void> {
    for (;;) {
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = undefined;
      }
      if (this.writing) {
        await this.writing;
        continue;
      }
      if (this.pending.length === 0) return;
      this.startWrite();
    }
  }

  list(query: RunQuery): RunSummary[] {
    this.refresh();
    const where = whereClause(query);
    const page = pageClause(query);
    return this.rows(
      `SELECT ${summaryColumns} FROM runs ${where.sql} ORDER BY started_at DESC, id DESC ${page.sql}`,
      [...where.params, ...page.params],
    ).map(rowToSummary);
  }

  get(id: number): DoctorReport | undefined {
    return this.getRun(id)?.report;
  }

  getRun(id: number): StoredRun | undefined {
    this.refresh();
    const [row] = this.rows('SELECT id, location, report_json FROM runs WHERE id = ?', [id]);
    return row ? this.toStoredRun(row) : undefined;
  }

  runs(query: RunQuery): StoredRun[] {
    this.refresh();
    const where = whereClause(query);
    const page = pageClause(query);
    return this.rows(
      `SELECT id, location, report_json FROM runs ${where.sql} ORDER BY started_at DESC, id DESC ${page.sql}`,
      [...where.params, ...page.params],
    ).flatMap((row) => {
      const run = this.toStoredRun(row);
      return run ? [run] : [];
    });
  }

  count(filter: RunFilter = {}): number {
    this.refresh();
    const where = whereClause(filter);
    return Number(this.rows(`SELECT count(*) FROM runs ${where.sql}`, where.params)[0]?.[0] ?? 0);
  }

  series(query: RunFilter & { limit: number }): HistorySeries {
    this.refresh();
    const where = whereClause(query);
    const page = pageClause({ limit: query.limit });
    const newestFirst = this.rows(
      `SELECT ${seriesColumns} FROM runs ${where.sql} ORDER BY started_at DESC, id DESC ${page.sql}`,
      [...where.params, ...page.params],
    );
    const series: HistorySeries = {
      id: [],
      startedAt: [],
      lanMbps: [],
      tunnelMbps: [],
      e2eMbps: [],
      loadedLatencyMs: [],
      lossPercent: [],
    };
    for (let i = newestFirst.length - 1; i >= 0; i -= 1) {
      const row = newestFirst[i] ?? [];
      series.id.push(Number(row[0]));
      series.startedAt.push(typeof row[1] === 'number' ? row[1] : null);
      series.lanMbps.push(chartValue(row[2]));
      series.tunnelMbps.push(chartValue(row[3]));
      series.e2eMbps.push(chartValue(row[4]));
      series.loadedLatencyMs.push(chartValue(row[5]));
      series.lossPercent.push(chartValue(row[6]));
    }
    return series;
  }

  facets(): { routers: string[]; locations: string[] } {
    this.refresh();
    // Every list asks for them (filter menus) and they change only with the rows.
    this.facetCache ??= this.readFacets();
    return { routers: [...this.facetCache.routers], locations: [...this.facetCache.locations] };
  }

  private readFacets(): { routers: string[]; locations: string[] } {
    const column = (sql: string) => this.rows(sql, []).map((row) => String(row[0]));
    return {
      routers: column(
        `SELECT coalesce(router_hostname, router_host) AS name FROM runs
         GROUP BY name ORDER BY max(started_at) DESC`,
      ),
      locations: column(
        `SELECT location FROM runs WHERE location IS NOT NULL
         GROUP BY location ORDER BY max(started_at) DESC`,
      ),
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.flush();
    } finally {
      this.closed = true;
      this.db.close();
    }
  }

  // ---- reading -------------------------------------------------------------------------

  private rows(sql: string, params: SqlValue[]): SqlValue[][] {
    if (this.closed) throw new HistoryError('closed', 'the history is closed');
    const statement = this.db.prepare(sql);
    try {
      statement.bind(params);
      const out: SqlValue[][] = [];
      while (statement.step()) out.push(statement.get());
      return out;
    } finally {
      statement.free();
    }
  }

  private toStoredRun(row: SqlValue[]): StoredRun | undefined {
    try {
      const run: StoredRun = {
        id: Number(row[0]),
        report: JSON.parse(String(row[2])) as DoctorReport,
      };
      const location = str(row[1]);
      if (location !== undefined) run.location = location;
      return run;
    } catch {
      return undefined;
    }
  }

  /**
   * Picks up runs another process wrote since we last looked. Cheap when nothing changed (one
   * stat); the rename-based writes mean a read never sees a half-written file.
   */
  private refresh(): void {
    if (this.closed) return;
    let info: Stats | undefined;
    let bytes: Uint8Array;
    try {
      info = statSync(this.path);
      if (signatureOf(info) === this.loadedSignature) return;
      bytes = readFileSync(this.path);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return;
      throw error;
    }
    this.adopt(openDatabase(this.SQL, bytes), signatureOf(info));
  }

  private adopt(loaded: Loaded, signature: string): boolean {
    if (loaded.kind === 'corrupt') {
      // Keep what we have; the next write moves the damaged file aside under the lock.
      this.diskUnreadable = true;
      return false;
    }
    this.db.close();
    this.db = loaded.db;
    this.facetCache = undefined;
    this.version = loaded.version;
    this.loadedSignature = signature;
    this.diskUnreadable = false;
    return true;
  }

  private writeRefusal(): HistoryError | undefined {
    if (this.version > historySchemaVersion) {
      return new HistoryError(
        'newer-schema',
        `${this.path} was written by a newer Homeward (history schema ${this.version}, this version knows ${historySchemaVersion}); runs are not recorded`,
        'update Homeward, or point HOMEWARD_DATA_DIR at another directory',
      );
    }
    return undefined;
  }

  // ---- writing -------------------------------------------------------------------------

  private schedule(): void {
    if (this.timer || this.writing) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.startWrite();
    }, this.options.debounceMs ?? 20);
  }

  private startWrite(): void {
    const batch = this.pending.splice(0);
    if (batch.length === 0) return;
    this.writing = this.writeBatch(batch)
      .then(
        (ids) => batch.forEach((item, index) => item.resolve(ids[index] ?? -1)),
        (error: unknown) => batch.forEach((item) => item.reject(error)),
      )
      .finally(() => {
        this.writing = undefined;
        if (this.pending.length > 0 && !this.closed) this.schedule();
      });
  }

  private async writeBatch(batch: Pending[]): Promise<number[]> {
    await mkdir(this.options.dir, { recursive: true, mode: 0o700 });
    const lock = await lockHistory(this.path, this.options);
    try {
      if (!this.tempsCleaned) {
        this.tempsCleaned = true;
        await removeOrphanTemps(this.path);
      }
      await this.syncUnderLock();
      const refusal = this.writeRefusal();
      if (refusal) throw refusal;
      const ids = this.insert(batch);
      try {
        await (this.options.writeFile ?? writeFileAtomic)(this.path, this.db.export());
        this.loadedSignature = signatureOf(await stat(this.path));
      } catch (error) {
        // Reads must match the disk: take the rows out again, then re-read the file in case the
        // rename happened and only the directory fsync failed.
        this.db.run(`DELETE FROM runs WHERE id IN (${ids.map(() => '?').join(',')})`, ids);
        this.facetCache = undefined;
        this.loadedSignature = 'unknown';
        this.refresh();
        throw new HistoryError(
          'io',
          `could not save the history to ${this.path}: ${(error as Error).message}`,
          'check that the data directory is writable and the disk is not full',
          { cause: error },
        );
      }
      return ids;
    } finally {
      await lock.release();
    }
  }

  /** With the lock held: load the newest file, or move it aside if it is not a database. */
  private async syncUnderLock(): Promise<void> {
    let info: Stats;
    try {
      info = await stat(this.path);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return;
      throw error;
    }
    if (signatureOf(info) === this.loadedSignature && !this.diskUnreadable) return;
    const loaded = openDatabase(this.SQL, await readFile(this.path));
    if (this.adopt(loaded, signatureOf(info))) return;
    const movedTo = await moveAsideUnique(this.path, corruptName(this.path));
    this.diskUnreadable = false;
    this.loadedSignature = 'missing';
    this.notices.push(
      corruptNotice(this.path, movedTo, loaded.kind === 'corrupt' ? loaded.message : ''),
    );
  }

  private insert(batch: Pending[]): number[] {
    const statement = this.db.prepare(
      `INSERT INTO runs (started_at, duration_ms, router_host, router_hostname, location, vr_ready,
         target_mbps, limiting_segment, down_mbps_lan, down_mbps_tunnel, down_mbps_e2e,
         loaded_latency_ms, loss_percent, report_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    );
    const ids: number[] = [];
    this.facetCache = undefined;
    this.db.run('BEGIN');
    try {
      for (const item of batch) {
        const s = summarizeRun({
          id: 0,
          report: item.report,
          ...(item.location !== undefined ? { location: item.location } : {}),
        });
        statement.bind([
          s.startedAt,
          Math.round(s.durationMs),
          s.routerHost,
          s.routerHostname ?? null,
          s.location ?? null,
          s.vrReady ? 1 : 0,
          s.targetMbps,
          s.limitingSegment ?? null,
          s.downMbps.lan ?? null,
          s.downMbps.tunnel ?? null,
          s.downMbps.e2e ?? null,
          s.loadedLatencyMs ?? null,
          s.lossPercent ?? null,
          JSON.stringify(item.report),
        ]);
        statement.step();
        ids.push(Number(statement.get()[0]));
        statement.reset();
      }
      this.db.run('COMMIT');
      return ids;
    } catch (error) {
      this.db.run('ROLLBACK');
      throw error;
    } finally {
      statement.free();
    }
  }
}

async function lockHistory(path: string, options: OpenHistoryOptions): Promise<LockHandle> {
  const lockPath = `${path}.lock`;
  try {
    return await acquireLock(lockPath, {
      signal: options.signal,
      timeoutMs: options.lockTimeoutMs ?? 10_000,
      staleMs: options.staleLockMs ?? 30_000,
    });
  } catch (error) {
    if (!(error instanceof LockTimeoutError)) throw error;
    throw new HistoryError(
      'locked',
      `the history is locked: ${error.message}`,
      `if no other Homeward is running, delete ${lockPath}`,
      { cause: error },
    );
  }
}

function corruptNotice(path: string, movedTo: string, reason: string): HistoryNotice {
  return {
    kind: 'moved-corrupt-file',
    path,
    movedTo,
    message: `${path} was not a readable history database (${reason}); it was moved to ${movedTo} and a new history was started`,
  };
}

/**
 * Opens (or prepares to create) the history in `dir`. Nothing is written until the first add;
 * a damaged file found now is moved aside at once, under the lock.
 */
export async function openHistoryStore(options: OpenHistoryOptions): Promise<HistoryStore> {
  options.signal?.throwIfAborted();
  const SQL = await loadSqlJs();
  const path = join(options.dir, historyFileName);
  const notices: HistoryNotice[] = [];
  const read = async (): Promise<{ bytes: Uint8Array; info: Stats } | undefined> => {
    try {
      const info = await stat(path);
      return { bytes: await readFile(path), info };
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw error;
    }
  };
  let file = await read();
  let loaded: Loaded = openDatabase(SQL, file?.bytes);
  if (loaded.kind === 'corrupt') {
    const lock = await lockHistory(path, options);
    try {
      // Another process may have replaced it meanwhile; only a file that is still bad moves.
      file = await read();
      loaded = openDatabase(SQL, file?.bytes);
      if (loaded.kind === 'corrupt') {
        const movedTo = await moveAsideUnique(path, corruptName(path));
        notices.push(corruptNotice(path, movedTo, loaded.message));
        file = undefined;
        loaded = openDatabase(SQL, undefined);
      }
    } finally {
      await lock.release();
    }
  }
  if (loaded.kind === 'corrupt')
    throw new Error(`an empty history database failed to open: ${loaded.message}`);
  const store = new SqlHistoryStore(
    SQL,
    path,
    loaded.db,
    loaded.version,
    signatureOf(file?.info),
    options,
  );
  store.notices.push(...notices);
  return store;
}

/** The history in the app's data directory (HOMEWARD_DATA_DIR or the platform default). */
export function openDefaultHistoryStore(
  options: Omit<OpenHistoryOptions, 'dir'> = {},
): Promise<HistoryStore> {
  return openHistoryStore({ ...options, dir: defaultDataDir() });
}
