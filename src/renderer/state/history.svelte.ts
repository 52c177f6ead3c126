import { SvelteSet } from 'svelte/reactivity';
import type { HomewardApi } from '../../shared/api';
import type { AppError } from '../../shared/errors';
import type {
  HistoryExport,
  HistoryExportFormat,
  HistoryPage,
  RunSummary,
  StoredRun,
} from '../../shared/history';

/** The charts cover this many of the newest runs; the table pages through them. */
export const historyLimit = 10_000;
export const pageSize = 50;

export class HistoryState {
  router = $state('');
  location = $state('');
  page = $state.raw<HistoryPage | undefined>(undefined);
  error = $state.raw<AppError | undefined>(undefined);
  loading = $state(false);
  exporting = $state(false);
  tablePage = $state(0);
  readonly selected = new SvelteSet<number>();
  readonly #api: HomewardApi;
  #request = 0;

  constructor(api: HomewardApi) {
    this.#api = api;
  }

  readonly runs: RunSummary[] = $derived(this.page?.runs ?? []);
  readonly pageCount = $derived(Math.max(1, Math.ceil(this.runs.length / pageSize)));
  readonly rows = $derived(
    this.runs.slice(this.tablePage * pageSize, (this.tablePage + 1) * pageSize),
  );

  async load(): Promise<void> {
    const request = ++this.#request;
    this.loading = true;
    const result = await this.#api.invoke('history:list', {
      limit: historyLimit,
      ...(this.router ? { router: this.router } : {}),
      ...(this.location ? { location: this.location } : {}),
    });
    if (request !== this.#request) return;
    this.loading = false;
    if (!result.ok) {
      this.error = result.error;
      return;
    }
    this.error = undefined;
    this.page = result.value;
    this.tablePage = 0;
    const visible = result.value.runs.map((r) => r.id);
    for (const id of this.selected) if (!visible.includes(id)) this.selected.delete(id);
  }

  toggle(id: number): void {
    if (this.selected.has(id)) this.selected.delete(id);
    else this.selected.add(id);
  }

  /** Exports the selected runs, or every run the filters show. */
  async export(
    format: HistoryExportFormat,
    scope: 'selected' | 'all',
  ): Promise<HistoryExport | undefined> {
    const ids = scope === 'selected' ? [...this.selected] : this.runs.map((r) => r.id);
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
