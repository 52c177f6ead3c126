import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openHistoryStore } from '../adapters/storage/history-store';
import type { HistoryStore } from '../adapters/storage/history-store';
import { syntheticReport } from '../core/history/sample-report.test-support';
import { createHistoryService } from './history-service';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'homeward-history-service-'));
  const store = await openHistoryStore({ dir });
  for (let i = 0; i < 12; i += 1) {
    const { report, location } = syntheticReport(i);
    await store.add(report, { location });
  }
  await store.close();
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('history service', () => {
  it('pages the table, and gives the charts every filtered run as columns', async () => {
    const history = createHistoryService(() => openHistoryStore({ dir }));
    try {
      const first = await history.list({ limit: 5 });
      const third = await history.list({ limit: 5, offset: 10 });
      expect(first.ok && third.ok).toBe(true);
      if (!first.ok || !third.ok) return;
      expect(first.value.total).toBe(12);
      expect(first.value.runs.map((r) => r.id)).toEqual([12, 11, 10, 9, 8]);
      expect(third.value.runs.map((r) => r.id)).toEqual([2, 1]);
      expect(first.value.routers).toEqual(['gl-axt1800', 'gl-mt3000']);
      // A broken offset from a client is read as the first page, not as a store failure.
      const odd = await history.list({ limit: 5, offset: -3.5 });
      expect(odd.ok && odd.value.runs[0]?.id).toBe(12);

      const series = await history.series({ limit: 10_000, location: 'Hotel Lobby' });
      expect(series.ok).toBe(true);
      if (!series.ok) return;
      const lobby = await history.list({ limit: 100, location: 'Hotel Lobby' });
      expect(series.value.id).toEqual(lobby.ok ? lobby.value.runs.map((r) => r.id).reverse() : []);
      expect(series.value.id).toHaveLength(4);
      const newest = await history.series({ limit: 3 });
      expect(newest.ok && newest.value.id).toEqual([10, 11, 12]);
    } finally {
      await history.dispose();
    }
  });

  it('warmUp opens the store once in the background; later calls reuse it', async () => {
    let opens = 0;
    const history = createHistoryService((): Promise<HistoryStore> => {
      opens += 1;
      return openHistoryStore({ dir });
    });
    try {
      history.warmUp(0);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(opens).toBe(1);
      expect((await history.series({ limit: 5 })).ok).toBe(true);
      expect(opens).toBe(1);
    } finally {
      await history.dispose();
    }
  });

  it('a failed warm-up is reported by the first real use, which tries again', async () => {
    let opens = 0;
    const history = createHistoryService(() => {
      opens += 1;
      return opens === 1 ? Promise.reject(new Error('disk asleep')) : openHistoryStore({ dir });
    });
    try {
      history.warmUp(0);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const page = await history.list({ limit: 1 });
      expect(opens).toBe(2);
      expect(page.ok).toBe(true);
    } finally {
      await history.dispose();
    }
  });

  it('a malformed query is refused without dropping the open store', async () => {
    let opens = 0;
    const history = createHistoryService(() => {
      opens += 1;
      return openHistoryStore({ dir });
    });
    try {
      expect((await history.list({ limit: 1 })).ok).toBe(true);
      const refused = await history.series(null as never);
      expect(refused.ok || refused.error.kind).toBe('invalid-request');
      expect((await history.list(undefined as never)).ok).toBe(false);
      expect((await history.series({ limit: 1 })).ok).toBe(true);
      expect(opens).toBe(1);
    } finally {
      await history.dispose();
    }
  });

  it('dispose cancels a warm-up that has not started', async () => {
    let opens = 0;
    const history = createHistoryService(() => {
      opens += 1;
      return openHistoryStore({ dir });
    });
    history.warmUp(20);
    await history.dispose();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(opens).toBe(0);
  });
});
