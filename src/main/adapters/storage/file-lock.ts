// An exclusive lock between processes (the CLI and the app) as a file created with O_EXCL.
// A holder that died leaves its file behind; that lock is broken when its pid is gone (same
// host) or when it is older than any write could take.

import { randomUUID } from 'node:crypto';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

export interface LockOptions {
  signal?: AbortSignal;
  /** Give up waiting after this long. */
  timeoutMs?: number;
  /** A lock file older than this is stale whatever its pid says (pid reuse, another host). */
  staleMs?: number;
  retryMs?: number;
}

export interface LockHandle {
  release(): Promise<void>;
}

interface LockRecord {
  pid: number;
  hostname: string;
  token: string;
  createdAt: string;
}

export class LockTimeoutError extends Error {
  override name = 'LockTimeoutError';
  constructor(
    readonly lockPath: string,
    readonly holder: string,
  ) {
    super(`${lockPath} is held by ${holder}`);
  }
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String(error.code)
    : undefined;
}

export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return errorCode(error) === 'EPERM';
  }
}

function parseRecord(text: string): LockRecord | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockRecord>;
    return typeof value.pid === 'number' && typeof value.token === 'string'
      ? (value as LockRecord)
      : undefined;
  } catch {
    return undefined;
  }
}

async function readLock(lockPath: string): Promise<{ text: string; ageMs: number } | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)]);
    return { text, ageMs: Date.now() - info.mtimeMs };
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

function isStale(lock: { text: string; ageMs: number }, staleMs: number): boolean {
  if (lock.ageMs > staleMs) return true;
  const record = parseRecord(lock.text);
  // An empty or half-written file is a holder between create and write: only age breaks it.
  if (!record) return false;
  return record.hostname === hostname() && !isProcessAlive(record.pid);
}

/**
 * Removes a stale lock without ever removing a live one: the file is first renamed to a private
 * name (atomic), then checked again; if a live lock was caught in the swap it is put back with
 * link(), which fails rather than overwrite a lock someone took meanwhile.
 */
async function breakStaleLock(lockPath: string, staleText: string, staleMs: number): Promise<void> {
  const aside = `${lockPath}.stale-${randomUUID()}`;
  try {
    await rename(lockPath, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw error;
  }
  const taken = await readLock(aside);
  if (taken && taken.text !== staleText && !isStale(taken, staleMs)) {
    await link(aside, lockPath).catch(() => undefined);
  }
  await unlink(aside).catch(() => undefined);
}

function describeHolder(text: string): string {
  const record = parseRecord(text);
  return record
    ? `process ${record.pid} on ${record.hostname} since ${record.createdAt}`
    : 'another process';
}

export async function acquireLock(
  lockPath: string,
  options: LockOptions = {},
): Promise<LockHandle> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const staleMs = options.staleMs ?? 30_000;
  const retryMs = options.retryMs ?? 25;
  const record: LockRecord = {
    pid: process.pid,
    hostname: hostname(),
    token: randomUUID(),
    createdAt: new Date().toISOString(),
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      const handle = await open(lockPath, 'wx', 0o600);
      try {
        await handle.writeFile(JSON.stringify(record));
      } finally {
        await handle.close();
      }
      return { release: () => releaseLock(lockPath, record.token) };
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    }
    const current = await readLock(lockPath);
    if (current === undefined) continue;
    if (isStale(current, staleMs)) {
      await breakStaleLock(lockPath, current.text, staleMs);
      continue;
    }
    if (Date.now() >= deadline) throw new LockTimeoutError(lockPath, describeHolder(current.text));
    // Jitter keeps two waiters from retrying in lockstep.
    await sleep(retryMs / 2 + Math.random() * retryMs, undefined, { signal: options.signal });
  }
}

async function releaseLock(lockPath: string, token: string): Promise<void> {
  const current = await readLock(lockPath);
  // If our lock was judged stale and broken, the file now belongs to someone else.
  if (current && parseRecord(current.text)?.token === token) {
    await unlink(lockPath).catch((error: unknown) => {
      if (errorCode(error) !== 'ENOENT') throw error;
    });
  }
}
