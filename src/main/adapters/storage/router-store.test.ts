import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RouterSighting } from '../../core/router/remembered';
import { createRouterStore, rememberQuietly, routerStorePath } from './router-store';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'homeward-routers-'));
});
afterEach(async () => {
  await chmod(dir, 0o700).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

const travel: RouterSighting = {
  host: '192.168.8.1',
  port: 22,
  user: 'root',
  hostKeyFingerprint: 'SHA256:rKsl3x7vmL1Q6rBXb2EqZ3n1XWzv3uUqQm5vUvSn2n8',
  hostname: 'JCG_Q30P',
  model: 'JCG Q30 PRO',
  release: 'OpenWrt 23.05.5 r24106-10cc5fcd00',
  seenBy: 'doctor',
};

function clock(start: string) {
  let t = Date.parse(start);
  return () => new Date((t += 1000));
}

describe('router store', () => {
  it('is empty before anything was remembered and creates no file for a read', async () => {
    const store = createRouterStore(routerStorePath(join(dir, 'data')));
    expect(await store.list()).toEqual({ routers: [], notices: [] });
    await expect(readdir(dir)).resolves.toEqual([]);
  });

  it('remembers in a JSON file a second store (another process) reads back', async () => {
    const file = routerStorePath(join(dir, 'data'));
    const now = clock('2026-11-25T12:00:00Z');
    const store = createRouterStore(file, { now });
    await store.remember(travel);
    await store.remember({ host: '10.0.31.1', port: 2222, user: 'admin', seenBy: 'sign-in' });
    const saved = await store.remember({ ...travel, release: 'OpenWrt 24.10.0', seenBy: 'status' });
    expect(saved).toMatchObject({
      host: '192.168.8.1',
      release: 'OpenWrt 24.10.0',
      seenBy: 'status',
    });
    const again = await createRouterStore(file).list();
    expect(again.routers.map((r) => `${r.host}:${r.port}`)).toEqual([
      '192.168.8.1:22',
      '10.0.31.1:2222',
    ]);
    expect(again.routers[0]).toMatchObject({
      model: 'JCG Q30 PRO',
      firstSeen: '2026-11-25T12:00:01.000Z',
      lastSeen: '2026-11-25T12:00:03.000Z',
    });
    const text = await readFile(file, 'utf8');
    expect(JSON.parse(text)).toMatchObject({ schema: 'homeward.routers/1' });
    // The lock and temp files are gone; only the store remains.
    expect(await readdir(join(dir, 'data'))).toEqual(['routers.json']);
  });

  it('keeps two concurrent writers from losing each other’s router', async () => {
    const file = routerStorePath(dir);
    const a = createRouterStore(file);
    const b = createRouterStore(file);
    await Promise.all([
      a.remember(travel),
      b.remember({ ...travel, host: '192.168.9.1' }),
      a.remember({ ...travel, host: '192.168.10.1' }),
    ]);
    const hosts = (await a.list()).routers.map((r) => r.host).sort();
    expect(hosts).toEqual(['192.168.10.1', '192.168.8.1', '192.168.9.1']);
  });

  it('moves a corrupt file aside, says so, and starts a new list without overwriting it', async () => {
    const file = routerStorePath(dir);
    const broken = '{"schema":"homeward.routers/1","routers":[{"host":"192.168.8.1",';
    await writeFile(file, broken);
    const store = createRouterStore(file, { now: () => new Date('2026-11-25T12:00:00Z') });
    const listed = await store.list();
    expect(listed.routers).toEqual([]);
    expect(listed.notices).toHaveLength(1);
    expect(listed.notices[0]).toContain('routers.json.corrupt-20261125T120000Z');
    expect(await readFile(`${file}.corrupt-20261125T120000Z`, 'utf8')).toBe(broken);

    // A second corrupt file in the same second gets its own name; the first is untouched.
    await writeFile(file, 'not json');
    await store.remember(travel);
    expect((await readdir(dir)).sort()).toEqual([
      'routers.json',
      'routers.json.corrupt-20261125T120000Z',
      'routers.json.corrupt-20261125T120000Z-1',
    ]);
    expect(await readFile(`${file}.corrupt-20261125T120000Z`, 'utf8')).toBe(broken);
    expect((await store.list()).routers.map((r) => r.host)).toEqual(['192.168.8.1']);
  });

  it('rememberQuietly reports a store that cannot write and never throws', async () => {
    if (process.getuid?.() === 0) {
      // root ignores directory permissions: make the data dir path a file instead.
      await writeFile(join(dir, 'data'), 'a file where the data dir should be');
    } else {
      await chmod(dir, 0o500);
    }
    const store = createRouterStore(routerStorePath(join(dir, 'data')), { lockTimeoutMs: 200 });
    const errors: unknown[] = [];
    await expect(rememberQuietly(store, travel, (e) => errors.push(e))).resolves.toBeUndefined();
    expect(errors).toHaveLength(1);
    await expect(
      rememberQuietly(store, travel, () => {
        throw new Error('reporter broke');
      }),
    ).resolves.toBeUndefined();
    await expect(rememberQuietly(undefined, travel)).resolves.toBeUndefined();
  });
});
