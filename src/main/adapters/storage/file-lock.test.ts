import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, isProcessAlive, LockTimeoutError } from './file-lock';

let dir: string;
let lockPath: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'homeward-lock-'));
  lockPath = join(dir, 'x.lock');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function record(pid: number, host = hostname()): string {
  return JSON.stringify({ pid, hostname: host, token: `t-${pid}`, createdAt: 'then' });
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

describe('acquireLock', () => {
  it('lets one holder in at a time', async () => {
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        const lock = await acquireLock(lockPath, { retryMs: 2 });
        inside += 1;
        most = Math.max(most, inside);
        await sleep(3);
        inside -= 1;
        await lock.release();
      }),
    );
    expect(most).toBe(1);
    expect(existsSync(lockPath)).toBe(false);
  });

  it('breaks a lock whose process is gone', async () => {
    await writeFile(lockPath, record(await deadPid()));
    const lock = await acquireLock(lockPath, { timeoutMs: 500 });
    expect(JSON.parse(await readFile(lockPath, 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it('waits for a live holder and times out naming it', async () => {
    await writeFile(lockPath, record(process.pid));
    const error = await acquireLock(lockPath, { timeoutMs: 150 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockTimeoutError);
    expect((error as Error).message).toContain(`process ${process.pid}`);
    expect(await readFile(lockPath, 'utf8')).toBe(record(process.pid));
  });

  it('treats a lock from another host as live until it is old, then breaks it', async () => {
    await writeFile(lockPath, record(999_999, 'other-host'));
    await expect(acquireLock(lockPath, { timeoutMs: 100, staleMs: 60_000 })).rejects.toBeInstanceOf(
      LockTimeoutError,
    );
    const old = new Date(Date.now() - 120_000);
    await utimes(lockPath, old, old);
    const lock = await acquireLock(lockPath, { timeoutMs: 500, staleMs: 60_000 });
    await lock.release();
  });

  it('does not break an empty lock file (a holder between create and write) until it is old', async () => {
    await writeFile(lockPath, '');
    await expect(acquireLock(lockPath, { timeoutMs: 100 })).rejects.toBeInstanceOf(
      LockTimeoutError,
    );
  });

  it('release leaves a lock alone that is no longer ours', async () => {
    const lock = await acquireLock(lockPath);
    await writeFile(lockPath, record(process.pid));
    await lock.release();
    expect(existsSync(lockPath)).toBe(true);
  });

  it('stops waiting when aborted', async () => {
    await writeFile(lockPath, record(process.pid));
    const controller = new AbortController();
    const waiting = acquireLock(lockPath, { timeoutMs: 10_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('isProcessAlive', () => {
  it('knows this process and a finished one', async () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    expect(isProcessAlive(await deadPid())).toBe(false);
    expect(isProcessAlive(0)).toBe(false);
    expect(isProcessAlive(-1)).toBe(false);
  });
});
