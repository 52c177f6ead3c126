import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { RememberedRouter } from '../../../shared/router';
import {
  parseRouterStore,
  rememberSighting,
  sameRouter,
  serializeRouterStore,
} from '../../core/router/remembered';
import type { RouterSighting } from '../../core/router/remembered';
import { moveAsideUnique, removeOrphanTemps, writeFileAtomic } from './atomic-file';
import { defaultDataDir } from './data-dir';
import { acquireLock } from './file-lock';

// The routers Homeward has reached, as JSON in the data dir (`routers.json`). The CLI and the
// app may both write it: each change is read-merge-write under a lock file and lands through a
// rename, so a crash leaves the old file or the new one. A file that cannot be read is moved
// aside (`routers.json.corrupt-<time>`) and reported, never overwritten.

export interface RouterStoreContents {
  routers: RememberedRouter[];
  notices: string[];
}

export interface RouterStore {
  readonly path: string;
  list(): Promise<RouterStoreContents>;
  remember(sighting: RouterSighting): Promise<RememberedRouter>;
}

export function routerStorePath(dataDir: string = defaultDataDir()): string {
  return path.join(dataDir, 'routers.json');
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String(error.code)
    : undefined;
}

function corruptName(file: string, now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${file}.corrupt-${stamp}`;
}

export function createRouterStore(
  file: string = routerStorePath(),
  options: { now?: () => Date; lockTimeoutMs?: number } = {},
): RouterStore {
  const now = options.now ?? (() => new Date());

  async function readText(): Promise<string | undefined> {
    try {
      return await readFile(file, 'utf8');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** The routers in the file; a corrupt file is moved aside first. Call under the lock. */
  async function load(): Promise<RouterStoreContents> {
    const text = await readText();
    if (text === undefined) return { routers: [], notices: [] };
    const parsed = parseRouterStore(text);
    if (parsed.kind === 'ok') return { routers: parsed.routers, notices: [] };
    const movedTo = await moveAsideUnique(file, corruptName(file, now()));
    return {
      routers: [],
      notices: [
        `The remembered routers file could not be read (${parsed.message}); it was kept as ${movedTo} and Homeward starts a new list.`,
      ],
    };
  }

  async function locked<T>(work: () => Promise<T>): Promise<T> {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const lock = await acquireLock(`${file}.lock`, { timeoutMs: options.lockTimeoutMs ?? 5000 });
    try {
      return await work();
    } finally {
      await lock.release();
    }
  }

  return {
    path: file,
    async list() {
      const text = await readText();
      if (text === undefined) return { routers: [], notices: [] };
      const parsed = parseRouterStore(text);
      if (parsed.kind === 'ok') return { routers: parsed.routers, notices: [] };
      // Only under the lock: another process may be replacing the file right now.
      return locked(load);
    },
    remember(sighting) {
      return locked(async () => {
        await removeOrphanTemps(file);
        const { routers } = await load();
        const updated = rememberSighting(routers, sighting, now().toISOString());
        await writeFileAtomic(file, Buffer.from(serializeRouterStore(updated), 'utf8'));
        const saved = updated.find((r) => sameRouter(r, sighting.host, sighting.port));
        if (!saved) throw new Error('the sighting was not kept');
        return saved;
      });
    },
  };
}

/**
 * Records a sighting for a use case whose own result must not depend on it (a doctor run, a
 * sign-in, an apply): any failure of the store is swallowed and reported to `onError` only.
 */
export async function rememberQuietly(
  store: RouterStore | undefined,
  sighting: RouterSighting,
  onError: (error: unknown) => void = () => undefined,
): Promise<void> {
  if (!store) return;
  try {
    await store.remember(sighting);
  } catch (error) {
    try {
      onError(error);
    } catch {
      // a reporter that throws must not break the caller either
    }
  }
}
