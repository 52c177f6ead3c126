import { SvelteSet } from 'svelte/reactivity';
import type { HomewardApi } from '../../shared/api';
import type { AppError } from '../../shared/errors';
import type {
  HistoryExport,
  HistoryExportFormat,
  HistoryFilter,
  HistoryPage,
  HistorySeries,
  RunSummary,
  StoredRun,
} from '../../shared/history';

/** The charts cover this many of the newest runs; the table pages through every run. */
export const historyLimit = 10_000;
export const pageSize = 50;

export class HistoryState {
  router = $state('');
  location = $state('');
  /** One page of the table, with the filtered total and the filter menus. */
  page = $state.raw<HistoryPage | undefined>(undefined);
  /** What the charts draw: columns, replaced whole, never made deeply reactive. */
  series = $state.raw<HistorySeries | undefined>(undefined);
  error = $state.raw<AppError | undefined>(undefined);
  exporting = $state(false);
  tablePage = $state(0);
  readonly selected = new SvelteSet<number>();
  readonly #api: HomewardApi;
  #listRequest = 0;
  #seriesRequest = 0;

  constructor(api: HomewardApi) {
    this.#api = api;
  }

  readonly runs: RunSummary[] = $derived(this.page?.runs ?? []);
  readonly total = $derived(this.page?.total ?? 0);
  readonly pageCount = $derived(Math.max(1, Math.ceil(this.total / pageSize)));
  /** Runs the charts show and "export all" takes: the newest `historyLimit` that match. */
  readonly shown = $derived(Math.min(this.total, historyLimit));
  /** Runs the charts hold so far (0 until the series arrives). */
  readonly charted = $derived(this.series?.id.length ?? 0);

  get filter(): HistoryFilter {
    return {
      ...(this.router ? { router: this.router } : {}),
      ...(this.location ? { location: this.location } : {}),
    };
  }

  /** (Re)loads the first table page and the charts for the current filters. */
  async load(): Promise<void> {
    const filter = this.filter;
    await Promise.all([this.#loadPage(0, filter), this.#loadSeries(filter)]);
  }

  async showPage(index: number): Promise<void> {
    const clamped = Math.max(0, Math.min(index, this.pageCount - 1));
    if (clamped !== this.tablePage) await this.#loadPage(clamped, this.filter);
  }

  async #loadPage(index: number, filter: HistoryFilter): Promise<void> {
    const request = ++this.#listRequest;
    const result = await this.#api.invoke('history:list', {
      ...filter,
      limit: pageSize,
      offset: index * pageSize,
    });
    if (request !== this.#listRequest) return;
    if (!result.ok) {
      this.error = result.error;
      return;
    }
    this.error = undefined;
    this.page = result.value;
    this.tablePage = index;
  }

  async #loadSeries(filter: HistoryFilter): Promise<void> {
    const request = ++this.#seriesRequest;
    const result = await this.#api.invoke('history:series', { ...filter, limit: historyLimit });
    if (request !== this.#seriesRequest) return;
    if (!result.ok) {
      this.error = result.error;
      return;
    }
    this.series = result.value;
    // A selection the filters now hide would be exported unseen.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a lookup for this call only
    const shown = new Set(result.value.id);
    for (const id of this.selected) if (!shown.has(id)) this.selected.delete(id);
  }

  toggle(id: number): void {
    if (this.selected.has(id)) this.selected.delete(id);
    else this.selected.add(id);
  }

  /** Exports the selected runs, or every run the charts show for the filters. */
  async export(
    format: HistoryExportFormat,
    scope: 'selected' | 'all',
  ): Promise<HistoryExport | undefined> {
    const ids = scope === 'selected' ? [...this.selected] : [...(this.series?.id ?? [])].reverse();
    if (ids.length === 0) return undefined;
    this.exporting = true;
    const result = await this.#api.invoke('history:export', { ids, format });
    this.exporting = false;
    if (!result.ok) {
      this.error = result.error;
      return undefined;
    }
    return result.value;
  }
}

export class StoredRunState {
  run = $state.raw<StoredRun | undefined>(undefined);
  error = $state.raw<AppError | undefined>(undefined);
  readonly #api: HomewardApi;

  constructor(api: HomewardApi) {
    this.#api = api;
  }

  async load(id: number): Promise<void> {
    this.run = undefined;
    this.error = undefined;
    const result = await this.#api.invoke('history:get', id);
    if (result.ok) this.run = result.value;
    else this.error = result.error;
  }
}
