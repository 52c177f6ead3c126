import type { DoctorFinished, HomewardApi, Unsubscribe } from '../../shared/api';
import { checkIds } from '../../shared/doctor';
import type {
  CheckId,
  CheckResult,
  CheckStatus,
  DoctorProgress,
  DoctorReport,
  DoctorRequest,
} from '../../shared/doctor';
import type { AppError } from '../../shared/errors';

export type RunPhase = 'idle' | 'starting' | 'running' | 'cancelling' | 'finished';

export interface CheckRow {
  id: CheckId;
  status: CheckStatus | 'pending' | 'running';
  summary?: string;
  localized?: CheckResult['localized'];
}

export interface ThroughputPoint {
  id: CheckId;
  direction: 'down' | 'up';
  second: number;
  mbps: number;
}

type RunEvent =
  { kind: 'progress'; value: DoctorProgress } | { kind: 'finished'; value: DoctorFinished };

/** One troubleshooter run: the live check list, throughput samples, then the report or error. */
export class DoctorRunState {
  phase = $state<RunPhase>('idle');
  runId = $state<string | undefined>(undefined);
  checks = $state.raw<CheckRow[]>([]);
  throughput = $state.raw<ThroughputPoint[]>([]);
  notes = $state.raw<string[]>([]);
  report = $state.raw<DoctorReport | undefined>(undefined);
  /** What the latest run asked: a finding's fix reaches the same router. */
  request = $state.raw<DoctorRequest | undefined>(undefined);
  error = $state.raw<AppError | undefined>(undefined);
  historyId = $state<number | undefined>(undefined);
  readonly #api: HomewardApi;
  // Events can overtake the reply to doctor:start on the socket; they wait here for the runId.
  #early: RunEvent[] = [];

  constructor(api: HomewardApi) {
    this.#api = api;
  }

  get busy(): boolean {
    return this.phase === 'starting' || this.phase === 'running' || this.phase === 'cancelling';
  }

  /** Subscribes to the doctor's events; returns the unsubscribe for the owning component. */
  listen(): Unsubscribe {
    const offProgress = this.#api.on('doctor:progress', (value) =>
      this.#route({ kind: 'progress', value }),
    );
    const offFinished = this.#api.on('doctor:finished', (value) =>
      this.#route({ kind: 'finished', value }),
    );
    return () => {
      offProgress();
      offFinished();
    };
  }

  async start(request: DoctorRequest): Promise<void> {
    if (this.busy) return;
    this.phase = 'starting';
    this.request = request;
    this.runId = undefined;
    this.checks = checkIds.map((id) => ({ id, status: 'pending' }));
    this.throughput = [];
    this.notes = [];
    this.report = undefined;
    this.error = undefined;
    this.historyId = undefined;
    this.#early = [];
    const started = await this.#api.invoke('doctor:start', request);
    if (!started.ok) {
      this.error = started.error;
      this.phase = 'finished';
      return;
    }
    this.runId = started.value.runId;
    this.phase = 'running';
    const early = this.#early;
    this.#early = [];
    for (const event of early) this.#route(event);
  }

  async cancel(): Promise<void> {
    if (!this.runId || this.phase !== 'running') return;
    this.phase = 'cancelling';
    const result = await this.#api.invoke('doctor:cancel', this.runId);
    if (!result.ok) this.error = result.error;
  }

  #route(event: RunEvent): void {
    if (this.phase === 'starting') {
      this.#early.push(event);
      return;
    }
    if (!this.runId || event.value.runId !== this.runId || this.phase === 'finished') return;
    if (event.kind === 'finished') this.#finish(event.value);
    else this.#progress(event.value);
  }

  #setCheck(row: CheckRow): void {
    const known = this.checks.some((c) => c.id === row.id);
    this.checks = known
      ? this.checks.map((c) => (c.id === row.id ? row : c))
      : [...this.checks, row];
  }

  #progress(progress: DoctorProgress): void {
    switch (progress.kind) {
      case 'check-started':
        this.#setCheck({ id: progress.id, status: 'running' });
        break;
      case 'check-finished':
        this.#setCheck({
          id: progress.result.id,
          status: progress.result.status,
          summary: progress.result.summary,
          localized: progress.result.localized,
        });
        break;
      case 'throughput':
        this.throughput = [
          ...this.throughput,
          {
            id: progress.id,
            direction: progress.direction,
            second: progress.second,
            mbps: progress.mbps,
          },
        ];
        break;
      case 'note':
        this.notes = [...this.notes, progress.message];
        break;
    }
  }

  #finish(finished: DoctorFinished): void {
    this.phase = 'finished';
    this.historyId = finished.historyId;
    if (!finished.result.ok) {
      this.error = finished.result.error;
      this.checks = this.checks.map((c) =>
        c.status === 'running' || c.status === 'pending' ? { ...c, status: 'skip' } : c,
      );
      return;
    }
    const report = finished.result.value;
    this.report = report;
    this.checks = this.checks.map((c) => {
      const done = report.checks.find((r) => r.id === c.id);
      return done
        ? { id: c.id, status: done.status, summary: done.summary, localized: done.localized }
        : { ...c, status: 'skip' };
    });
  }
}
