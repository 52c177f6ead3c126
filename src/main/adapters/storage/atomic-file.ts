// Replace a file so that a crash at any moment leaves either the old or the new content:
// write a private temp file, fsync it, rename it over the target, fsync the directory.

import { randomBytes } from 'node:crypto';
import { link, lstat, open, readdir, rename, rm, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessAlive } from './file-lock';

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String(error.code)
    : undefined;
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

export function tempNameFor(target: string): string {
  return `${target}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
}

export async function fsyncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    // Windows cannot open or fsync a directory; its rename is durable on its own (NTFS journal).
    if (!['EISDIR', 'EPERM', 'EACCES', 'EINVAL', 'EBADF'].includes(errorCode(error) ?? '')) {
      throw error;
    }
  } finally {
    await handle?.close();
  }
}

async function renameWithRetry(from: string, to: string): Promise<void> {
  // On Windows a reader holding the target open makes rename fail for a moment.
  for (let attempt = 0; ; attempt += 1) {
    try {
      await rename(from, to);
      return;
    } catch (error) {
      const code = errorCode(error);
      if (attempt >= 20 || !(code === 'EPERM' || code === 'EACCES' || code === 'EBUSY'))
        throw error;
      await sleep(25 * (attempt + 1));
    }
  }
}

export async function writeFileAtomic(target: string, data: Uint8Array): Promise<void> {
  const temp = tempNameFor(target);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await renameWithRetry(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await fsyncDirectory(dirname(target));
}

/**
 * Moves a file to `base-<n>` names without overwriting anything already there (link fails on an
 * existing name; rename would not). Returns the new path.
 */
export async function moveAsideUnique(file: string, base: string): Promise<string> {
  for (let n = 0; n < 1000; n += 1) {
    const candidate = n === 0 ? base : `${base}-${n}`;
    try {
      await link(file, candidate);
      await unlink(file);
      await fsyncDirectory(dirname(file));
      return candidate;
    } catch (error) {
      const code = errorCode(error);
      if (code === 'EEXIST') continue;
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV') {
        // File systems without hard links (FAT, some network shares).
        if (await exists(candidate)) continue;
        await renameWithRetry(file, candidate);
        return candidate;
      }
      throw error;
    }
  }
  throw new Error(`no free name next to ${base}`);
}

/** Removes temp files left by writers that died (their pid is gone); never another live writer's. */
export async function removeOrphanTemps(target: string): Promise<number> {
  const dir = dirname(target);
  const prefix = `${basename(target)}.tmp-`;
  let removed = 0;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (pid === process.pid || isProcessAlive(pid)) continue;
    await rm(join(dir, name), { force: true });
    removed += 1;
  }
  return removed;
}
