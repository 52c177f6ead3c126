import { appError } from '../../../shared/errors';
import type {
  FixApplyReport,
  FixApplyRequest,
  FixPlanRequest,
  FixPlanView,
} from '../../../shared/remedy';
import type { Result } from '../../../shared/result';
import { fail } from '../../../shared/result';
import type {
  SetupApplyReport,
  SetupApplyRequest,
  SetupPlanRequest,
  SetupPlanView,
  SetupSignInReport,
  SetupSignInRequest,
  UnderlayMeasureRequest,
  UnderlayMeasurement,
} from '../../../shared/setup-run';
import type { EventBus } from '../event-bus';
import type { SetupDeps } from './connect';
import { measureUnderlay } from './measure-underlay';
import { applyFix, planFix } from './run-fix';
import { applySetup, planSetupRemote } from './run-setup';
import { signIn } from './sign-in';

function busy() {
  return fail(
    appError('invalid-request', 'A change is being applied to a router already.', {
      fix: 'Wait until it is confirmed or rolled back.',
    }),
  );
}

/** Owns the setup runs: one apply at a time (two would snapshot each other's changes). */
export function createSetupService(deps: () => SetupDeps, events: EventBus) {
  const controller = new AbortController();
  let applying: Promise<unknown> | undefined;
  const guard = <T>(work: Promise<T>): Promise<T> => {
    const done = work.finally(() => {
      if (applying === done) applying = undefined;
    });
    applying = done;
    return done;
  };
  return {
    plan(request: SetupPlanRequest): Promise<Result<SetupPlanView>> {
      return planSetupRemote(request, deps(), {
        signal: controller.signal,
        onProgress: (p) => events.emit('setup:progress', p),
      });
    },
    apply(request: SetupApplyRequest): Promise<Result<SetupApplyReport>> {
      if (applying) return Promise.resolve(busy());
      return guard(
        applySetup(request, deps(), {
          signal: controller.signal,
          onProgress: (p) => events.emit('setup:progress', p),
        }),
      );
    },
    planFix(request: FixPlanRequest): Promise<Result<FixPlanView>> {
      return planFix(request, deps(), {
        signal: controller.signal,
        onProgress: (p) => events.emit('setup:progress', p),
      });
    },
    /** A fix is an apply like setup's: the same one-at-a-time rule. */
    applyFix(request: FixApplyRequest): Promise<Result<FixApplyReport>> {
      if (applying) return Promise.resolve(busy());
      return guard(
        applyFix(request, deps(), {
          signal: controller.signal,
          onProgress: (p) => events.emit('setup:progress', p),
        }),
      );
    },
    measureUnderlay(request: UnderlayMeasureRequest): Promise<Result<UnderlayMeasurement>> {
      return measureUnderlay(request, deps(), controller.signal);
    },
    signIn(request: SetupSignInRequest): Promise<Result<SetupSignInReport>> {
      return signIn(request, deps(), controller.signal);
    },
    async dispose(): Promise<void> {
      // Cancelling an apply is safe: the router rolls back on its own unless confirmed.
      controller.abort();
      await applying;
    },
  };
}
