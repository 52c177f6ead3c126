import { localizedError } from '../../../shared/errors';
import type {
  FixApplyReport,
  FixApplyRequest,
  FixPlanRequest,
  FixPlanView,
} from '../../../shared/remedy';
import type { Result } from '../../../shared/result';
import { fail, ok } from '../../../shared/result';
import type {
  SetupApplyReport,
  SetupApplyRequest,
  SetupPlanRequest,
  SetupPlanView,
  SetupSignInReport,
  SetupProgress,
  SetupSignInRequest,
  UnderlayMeasureRequest,
  UnderlayMeasurement,
} from '../../../shared/setup-run';
import type { EventBus } from '../event-bus';
import type { SetupDeps } from './connect';
import { measureUnderlay } from './measure-underlay';
import { applyFix, planFix } from './run-fix';
import { applySetup, planSetupRemote } from './run-setup';
import type { SetupRunOptions } from './run-setup';
import { signIn } from './sign-in';

function busy() {
  return fail(
    localizedError(
      'invalid-request',
      {
        message: 'A change is being applied to a router already.',
        fix: 'Wait until it is confirmed or rolled back.',
      },
      { message: '已有一项改动正在应用到路由器。', fix: '请等它被确认或回滚。' },
    ),
  );
}

/**
 * Owns the setup runs: one apply at a time (two would snapshot each other's changes). `cancel`
 * stops the reads in flight and asks the running apply to roll back now rather than confirm.
 */
export function createSetupService(deps: () => SetupDeps, events: EventBus) {
  const controller = new AbortController();
  const reads = new Set<AbortController>();
  let undo: AbortController | undefined;
  let applying: Promise<unknown> | undefined;
  const onProgress = (p: SetupProgress) => events.emit('setup:progress', p);

  /** A read (plan, sign-in, measure) that `cancel` or dispose can stop. */
  const read = async <T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    const own = new AbortController();
    reads.add(own);
    try {
      return await work(AbortSignal.any([controller.signal, own.signal]));
    } finally {
      reads.delete(own);
    }
  };
  const apply = <T>(work: (options: SetupRunOptions) => Promise<Result<T>>) => {
    if (applying) return Promise.resolve(busy());
    const own = new AbortController();
    undo = own;
    const done = work({
      signal: controller.signal,
      rollbackRequested: own.signal,
      onProgress,
    }).finally(() => {
      if (applying === done) applying = undefined;
      if (undo === own) undo = undefined;
    });
    applying = done;
    return done;
  };
  return {
    plan(request: SetupPlanRequest): Promise<Result<SetupPlanView>> {
      return read((signal) => planSetupRemote(request, deps(), { signal, onProgress }));
    },
    apply(request: SetupApplyRequest): Promise<Result<SetupApplyReport>> {
      return apply((options) => applySetup(request, deps(), options));
    },
    planFix(request: FixPlanRequest): Promise<Result<FixPlanView>> {
      return read((signal) => planFix(request, deps(), { signal, onProgress }));
    },
    /** A fix is an apply like setup's: the same one-at-a-time rule. */
    applyFix(request: FixApplyRequest): Promise<Result<FixApplyReport>> {
      return apply((options) => applyFix(request, deps(), options));
    },
    measureUnderlay(request: UnderlayMeasureRequest): Promise<Result<UnderlayMeasurement>> {
      return read((signal) => measureUnderlay(request, deps(), signal));
    },
    signIn(request: SetupSignInRequest): Promise<Result<SetupSignInReport>> {
      return read((signal) => signIn(request, deps(), signal));
    },
    /** True when something was running: reads stop, an apply rolls back (and says so). */
    cancel(): Result<{ cancelled: boolean }> {
      const running = reads.size > 0 || undo !== undefined;
      for (const r of reads) r.abort();
      undo?.abort();
      return ok({ cancelled: running });
    },
    async dispose(): Promise<void> {
      // Stopping an apply is safe: the router rolls back on its own unless confirmed.
      controller.abort();
      await applying;
    },
  };
}
