import { setTimeout as sleep } from 'node:timers/promises';
import type { AppError } from '../../../shared/errors';
import { localizedError } from '../../../shared/errors';
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
import { fieldInvalid, rollbackOutOfRange, uncommittedChanges } from './setup-text';

// A finding's remedy through the same path as setup: read the end, plan, preview; apply with the
// router-side rollback runner, reconnect, verify, confirm or roll back.

interface Prepared {
  view: FixPlanView;
  plan: EndPlan;
  connected?: Connected;
}

function needsAccess(end: Remedy['end']): AppError {
  const en = end === 'home' ? 'the home router' : 'the travel router';
  const zh = end === 'home' ? '家里的路由器' : '旅行路由器';
  return localizedError(
    'invalid-request',
    {
      message: `Applying this fix needs SSH access to ${en}.`,
      fix: 'Give its address and key, or paste the change shown in the preview by hand.',
    },
    {
      message: `应用这项修复需要通过 SSH 访问${zh}。`,
      fix: '请填写它的地址和密钥，或手动粘贴预览中显示的改动。',
    },
    { field: end },
  );
}

/**
 * Validates the remedy before any connection, reads the end it changes and plans it. Without SSH
 * access to home, a home remedy is planned as text to paste, unless `connect` is 'required'.
 */
async function prepare(
  request: FixPlanRequest,
  deps: SetupDeps,
  options: SetupRunOptions,
  connect: 'required' | 'when-given',
): Promise<Result<Prepared, AppError>> {
  const errors = validateRemedy(request.remedy);
  if (errors.length > 0) return fail(fieldInvalid(errors, false));
  const remedy: Remedy = request.remedy;
  const target = remedy.end === 'home' ? request.home : request.router;
  // The router's configs are needed to plan its change at all; home's only to apply it.
  if (!target && (connect === 'required' || remedy.end === 'router'))
    return fail(needsAccess(remedy.end));
  let connected: Connected | undefined;
  if (target) {
    const reached = await connectEnd(remedy.end, target, deps, options);
    if (!reached.ok) return reached;
    connected = reached.value;
  }
  const planned = planRemedy(remedy, connected?.facts.facts.configs ?? {}, connected !== undefined);
  if (planned.kind !== 'ok') {
    await connected?.session.close();
    if (planned.kind === 'invalid') return fail(fieldInvalid(planned.errors, false));
    return fail(
      localizedError('invalid-request', { message: planned.message, fix: planned.fix }, planned.zh),
    );
  }
  const view: FixPlanView = {
    schema: fixSchema,
    remedy,
    end: remedy.end,
    view: endView(planned.plan),
    ...(connected ? {} : { paste: homePasteText({ home: planned.plan }) }),
    notes: planned.notes,
    notesLocalized: planned.notesLocalized,
  };
  return ok({ view, plan: planned.plan, ...(connected ? { connected } : {}) });
}

/** Reads the end the remedy changes and plans it; nothing is written. */
export async function planFix(
  request: FixPlanRequest,
  deps: SetupDeps,
  options: SetupRunOptions = {},
): Promise<Result<FixPlanView, AppError>> {
  const prepared = await prepare(request, deps, options, 'when-given');
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
    return fail(rollbackOutOfRange(request.rollbackS));
  const prepared = await prepare(request, deps, options, 'required');
  if (!prepared.ok) return prepared;
  const { view, plan, connected } = prepared.value;
  if (!connected) throw new Error('prepare(required) returned no connection');
  const endName = view.end;
  let closed = false;
  const closeFirst = async () => {
    if (closed) return;
    closed = true;
    await connected.session.close();
  };
  try {
    if (connected.facts.pendingChanges) return fail(uncommittedChanges(endName));
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
