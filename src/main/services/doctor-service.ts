import { randomUUID } from 'node:crypto';
import type { DoctorRequest } from '../../shared/doctor';
import { appError } from '../../shared/errors';
import type { Result } from '../../shared/result';
import { fail, ok } from '../../shared/result';
import type { EventBus } from './event-bus';
import type { DoctorDeps } from './doctor/run-doctor';
import { runDoctor } from './doctor/run-doctor';
import type { HistoryService } from './history-service';
import { validateDoctorRequest } from './doctor/validate-request';

/** Owns every doctor run: each has an AbortController, and dispose() stops them all. */
export function createDoctorService(
  deps: () => DoctorDeps,
  events: EventBus,
  history: HistoryService,
) {
  const runs = new Map<string, { controller: AbortController; done: Promise<void> }>();
  return {
    start(request: DoctorRequest): Promise<Result<{ runId: string }>> {
      const invalid = validateDoctorRequest(request);
      if (invalid) return Promise.resolve(fail(invalid));
      const runId = randomUUID();
      const controller = new AbortController();
      const done = (async () => {
        const result = await Promise.resolve()
          .then(() =>
            runDoctor(request, deps(), {
              runId,
              signal: controller.signal,
              onProgress: (p) => events.emit('doctor:progress', p),
            }),
          )
          .catch((error: unknown) =>
            fail(appError('internal', `The doctor stopped on a bug: ${(error as Error).message}`)),
          );
        let historyId: number | undefined;
        if (result.ok && request.saveHistory) {
          const saved = await history.add(result.value, result.value.router.location);
          if (saved.ok) historyId = saved.value;
        }
        runs.delete(runId);
        events.emit('doctor:finished', {
          runId,
          result,
          ...(historyId !== undefined ? { historyId } : {}),
        });
      })();
      runs.set(runId, { controller, done });
      return Promise.resolve(ok({ runId }));
    },
    async cancel(runId: string): Promise<Result<{ cancelled: boolean }>> {
      const run = runs.get(runId);
      if (!run) return ok({ cancelled: false });
      run.controller.abort();
      await run.done;
      return ok({ cancelled: true });
    },
    async dispose(): Promise<void> {
      for (const run of runs.values()) run.controller.abort();
      await Promise.all([...runs.values()].map((r) => r.done));
    },
  };
}

export type DoctorService = ReturnType<typeof createDoctorService>;
