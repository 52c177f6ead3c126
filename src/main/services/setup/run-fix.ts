import { setTimeout as sleep } from 'node:timers/promises';
import type { AppError } from '../../../shared/errors';
import { appError } from '../../../shared/errors';
import { fixSchema } from '../../../shared/remedy';
import type {
  FixApplyReport,
  FixApplyRequest,
  FixPlanRequest,
  FixPlanView,
  Remedy,
} from '../../../shared/remedy';
import type { Result } from '../../../shared/result';
import { fail, ok } from '../../../shared/result';
import { planRemedy, validateRemedy } from '../../core/remedy/plan-remedy';
import type { EndPlan } from '../../core/setup/plan-setup';
import { homePasteText } from '../../core/setup/home-paste';
import type { EndIo } from './apply-end';
import type { SetupDeps } from './connect';
import { applyEnds, connectEnd, endView } from './run-setup';
import type { Connected, SetupRunOptions } from './run-setup';

// A finding's remedy through the same path as setup: read the end, plan, preview; apply with the
// router-side rollback runner, reconnect, verify, confirm or roll back.

interface Prepared {
  view: FixPlanView;
  plan: EndPlan;
  connected?: Connected;
}

function invalid(remedy: unknown): AppError | undefined {
  const [first] = validateRemedy(remedy);
  if (!first) return undefined;
  return appError('invalid-request', `${first.field}: ${first.message}`, {
    field: first.field,
    fix: first.fix,
  });
}

async function prepare(
  request: FixPlanRequest,
  deps: SetupDeps,
  options: SetupRunOptions,
): Promise<Result<Prepared, AppError>> {
  const problem = invalid(request.remedy);
  if (problem) return fail(problem);
  const remedy: Remedy = request.remedy;
  const target = remedy.end === 'home' ? request.home : request.router;
  if (!target && remedy.end === 'router')
    return fail(
      appError('invalid-request', 'This fix changes the travel router: its address is missing.', {
        field: 'router',
        fix: 'Give the router address (the one the checks used).',
      }),
    );
  let connected: Connected | undefined;
  if (target) {
    const reached = await connectEnd(remedy.end, target, deps, options);
    if (!reached.ok) return reached;
    connected = reached.value;
  }
  const planned = planRemedy(remedy, connected?.facts.facts.configs ?? {}, connected !== undefined);
  if (planned.kind !== 'ok') {
    await connected?.session.close();
    if (planned.kind === 'invalid') {
      const [first] = planned.errors;
      return fail(
        appError('invalid-request', `${first?.field}: ${first?.message}`, {
          ...(first ? { field: first.field, fix: first.fix } : {}),
        }),
      );
    }
    return fail(appError('invalid-request', planned.message, { fix: planned.fix }));
  }
  const view: FixPlanView = {
    schema: fixSchema,
    remedy,
    end: remedy.end,
    view: endView(planned.plan),
    ...(connected ? {} : { paste: homePasteText({ home: planned.plan }) }),
    notes: planned.notes,
  };
  return ok({ view, plan: planned.plan, ...(connected ? { connected } : {}) });
}

/** Reads the end the remedy changes and plans it; nothing is written. */
export async function planFix(
  request: FixPlanRequest,
  deps: SetupDeps,
  options: SetupRunOptions = {},
): Promise<Result<FixPlanView, AppError>> {
  const prepared = await prepare(request, deps, options);
  if (!prepared.ok) return prepared;
  await prepared.value.connected?.session.close();
  return ok(prepared.value.view);
}

/** Applies the remedy with automatic rollback on the end it changes. */
export async function applyFix(
  request: FixApplyRequest,
  deps: SetupDeps,
  options: SetupRunOptions = {},
): Promise<Result<FixApplyReport, AppError>> {
  const started = Date.now();
  if (!Number.isInteger(request.rollbackS) || request.rollbackS < 10 || request.rollbackS > 3600)
    return fail(
      appError('invalid-request', `The rollback time ${request.rollbackS} s is out of range.`, {
        field: 'rollbackS',
        fix: 'Use 10 to 3600 seconds (default 120).',
      }),
    );
  const endName = request.remedy?.end === 'router' ? 'router' : 'home';
  if (!(endName === 'home' ? request.home : request.router) && !invalid(request.remedy))
    return fail(
      appError(
        'invalid-request',
        `Applying this fix needs SSH access to ${endName === 'home' ? 'the home router' : 'the travel router'}.`,
        {
          field: endName,
          fix: 'Give its address and key, or paste the change shown in the preview by hand.',
        },
      ),
    );
  const prepared = await prepare(request, deps, options);
  if (!prepared.ok) return prepared;
  const { view, plan } = prepared.value;
  const connected = prepared.value.connected as Connected;
  let closed = false;
  const closeFirst = async () => {
    if (closed) return;
    closed = true;
    await connected.session.close();
  };
  try {
    if (connected.facts.pendingChanges)
      return fail(
        appError(
          'remote-command-failed',
          `${endName === 'router' ? 'The router' : 'Home'} has uncommitted uci changes; Homeward's commit would save them too.`,
          {
            fix: 'Apply or revert them in LuCI (the "Unsaved Changes" menu) or with "uci revert", then run again.',
          },
        ),
      );
    const io: EndIo = {
      deps,
      onProgress: options.onProgress ?? (() => undefined),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.rollbackRequested ? { rollbackRequested: options.rollbackRequested } : {}),
      now: () => Date.now(),
      sleep: (ms) =>
        sleep(ms, undefined, options.signal ? { signal: options.signal } : {}).catch(
          () => undefined,
        ),
    };
    const applied = await applyEnds(
      [{ which: endName, connected, plan }],
      request.rollbackS,
      io,
      closeFirst,
    );
    if (!applied.ok) return applied;
    return ok({
      schema: fixSchema,
      outcome: applied.value.outcome,
      ends: applied.value.ends,
      plan: view,
      durationMs: Date.now() - started,
    });
  } finally {
    await closeFirst();
  }
}
