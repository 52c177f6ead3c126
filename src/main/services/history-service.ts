import type { DoctorReport } from '../../shared/doctor';
import { appError } from '../../shared/errors';
import type {
  HistoryExport,
  HistoryExportFormat,
  HistoryPage,
  HistoryFilter,
  HistoryQuery,
  HistorySeries,
  HistorySeriesQuery,
  StoredRun,
} from '../../shared/history';
import type { Result } from '../../shared/result';
import { fail, ok } from '../../shared/result';
import type { HistoryStore, RunFilter } from '../adapters/storage/history-store';
import { exportRuns } from '../core/history/export';

const mimeTypes: Record<HistoryExportFormat, string> = {
  md: 'text/markdown',
  json: 'application/json',
  html: 'text/html',
};

function filterOf(query: HistoryFilter): RunFilter {
  return {
    ...(query.router ? { router: query.router } : {}),
    ...(query.location ? { location: query.location } : {}),
    ...(query.since ? { since: query.since } : {}),
    ...(query.until ? { until: query.until } : {}),
  };
}

function invalidQuery(): Result<never> {
  return fail(
    appError('invalid-request', 'A history query must be an object with a limit.', {
      field: 'query',
      fix: 'Send { limit, router?, location?, since?, until? }.',
    }),
  );
}

function clampLimit(limit: number): number {
  return Math.max(1, Math.min(Math.floor(limit) || 50, 100_000));
}

/** The history for the app: the store is opened on first use and closed by dispose(). */
export function createHistoryService(
  open: () => Promise<HistoryStore>,
  now: () => Date = () => new Date(),
) {
  let store: Promise<HistoryStore> | undefined;
  let warmUpTimer: NodeJS.Timeout | undefined;
  const withStore = async <T>(use: (s: HistoryStore) => T | Promise<T>): Promise<Result<T>> => {
    try {
      store ??= open();
      return ok(await use(await store));
    } catch (error) {
      store = undefined;
      return fail(
        appError(
          'history-failed',
          `The run history could not be read or written: ${(error as Error).message}`,
          {
            fix: 'Check that the data folder is writable (HOMEWARD_DATA_DIR) and that no other program holds it.',
          },
        ),
      );
    }
  };
  return {
    /**
     * Opens the store in the background after `delayMs`, so the first look at the history does
     * not wait for reading and checking the file (about 150 ms at 10 000 runs). A failure is
     * reported by the first real use, which opens it again.
     */
    warmUp(delayMs: number): void {
      clearTimeout(warmUpTimer);
      // The filter menus come with every list: read them now too.
      warmUpTimer = setTimeout(() => void withStore((s) => void s.facets()), delayMs);
      warmUpTimer.unref();
    },
    add: (report: DoctorReport, location?: string): Promise<Result<number>> =>
      withStore((s) => s.add(report, location !== undefined ? { location } : {})),
    // The query is read before the store is touched: a malformed one from a client must not
    // count as a store failure, which would drop and reopen the store.
    list: (query: HistoryQuery): Promise<Result<HistoryPage>> => {
      if (typeof query !== 'object' || query === null) return Promise.resolve(invalidQuery());
      const filter = filterOf(query);
      const limit = clampLimit(query.limit);
      const offset = Math.max(0, Math.floor(query.offset ?? 0) || 0);
      return withStore((s) => ({
        total: s.count(filter),
        runs: s.list({ ...filter, limit, ...(offset ? { offset } : {}) }),
        ...s.facets(),
      }));
    },
    series: (query: HistorySeriesQuery): Promise<Result<HistorySeries>> => {
      if (typeof query !== 'object' || query === null) return Promise.resolve(invalidQuery());
      const filter = filterOf(query);
      const limit = clampLimit(query.limit);
      return withStore((s) => s.series({ ...filter, limit }));
    },
    get: async (id: number): Promise<Result<StoredRun>> => {
      const result = await withStore((s) => s.getRun(id));
      if (!result.ok) return result;
      if (!result.value) {
        return fail(
          appError('not-found', `No run with id ${id} in the history.`, {
            field: 'id',
            fix: 'Pick a run from the list.',
          }),
        );
      }
      return ok(result.value);
    },
    export: async (request: {
      ids: number[];
      format: HistoryExportFormat;
    }): Promise<Result<HistoryExport>> => {
      if (!(request.format in mimeTypes)) {
        return fail(
          appError('invalid-request', `Unknown export format ${String(request.format)}.`, {
            field: 'format',
            fix: 'Use md, json or html.',
          }),
        );
      }
      const result = await withStore((s) =>
        request.ids.map((id) => s.getRun(id)).filter((r) => r !== undefined),
      );
      if (!result.ok) return result;
      if (result.value.length === 0) {
        return fail(
          appError('not-found', 'None of the chosen runs are in the history.', {
            field: 'ids',
            fix: 'Pick runs from the list.',
          }),
        );
      }
      const generatedAt = now().toISOString();
      return ok({
        fileName: `homeward-${generatedAt.slice(0, 10)}.${request.format}`,
        mimeType: mimeTypes[request.format],
        content: exportRuns(result.value, request.format, { generatedAt }),
      });
    },
    async dispose(): Promise<void> {
      clearTimeout(warmUpTimer);
      const opened = store;
      store = undefined;
      if (opened) await (await opened).close();
    },
  };
}

export type HistoryService = ReturnType<typeof createHistoryService>;
