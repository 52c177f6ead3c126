import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppError } from '../../../shared/errors';
import { localizedError } from '../../../shared/errors';
import type { Result } from '../../../shared/result';
import { fail, ok } from '../../../shared/result';
import { setupSchema } from '../../../shared/setup-run';
import type {
  SetupApplyReport,
  SetupApplyRequest,
  SetupEndReport,
  SetupEndName,
  SetupOutcome,
  SetupEndView,
  SetupPlanRequest,
  SetupPlanView,
  SetupProgress,
  SetupSshTarget,
} from '../../../shared/setup-run';
import type { SshSession } from '../../adapters/ssh/index';
import { homePasteText } from '../../core/setup/home-paste';
import { planSetup } from '../../core/setup/plan-setup';
import type { EndPlan, SetupPlan } from '../../core/setup/plan-setup';
import {
  armAndStart,
  confirm,
  followApply,
  newEndRun,
  reconnect,
  rollBackAndVerify,
  verifyApplied,
} from './apply-end';
import type { EndIo, EndRun } from './apply-end';
import { connectTargetFor } from './connect';
import type { ConnectTarget, SetupDeps } from './connect';
import { readEndFacts } from './facts';
import type { EndFacts } from './facts';
import {
  endReport,
  endWords,
  fieldInvalid,
  noteProgress,
  rollbackOutOfRange,
  stepProgress,
  uncommittedChanges,
} from './setup-text';
import type { Text } from './setup-text';

export interface SetupRunOptions {
  onProgress?: (p: SetupProgress) => void;
  signal?: AbortSignal;
  /** For an apply: the person asked to undo it; armed ends roll back now. */
  rollbackRequested?: AbortSignal;
}

export function endView(end: EndPlan): SetupEndView {
  return {
    batch: end.batch,
    reloads: end.reloads,
    packagesToInstall: end.packagesToInstall,
    ...(end.installCommand ? { installCommand: end.installCommand } : {}),
    previews: end.previews.map((p) => ({ config: p.config, unified: p.unified })),
  };
}

export function planView(plan: SetupPlan, homeOverSsh: boolean): SetupPlanView {
  return {
    schema: setupSchema,
    mtu: plan.mtu,
    router: endView(plan.router),
    home: endView(plan.home),
    ...(plan.routerLanAddressAfter ? { routerAddressAfter: plan.routerLanAddressAfter } : {}),
    ...(homeOverSsh ? {} : { homePaste: homePasteText(plan) }),
    notes: plan.notes,
    notesLocalized: plan.notesLocalized,
  };
}

export interface Connected {
  target: ConnectTarget;
  session: SshSession;
  facts: EndFacts;
}

export async function connectEnd(
  which: 'router' | 'home',
  target: SetupSshTarget,
  deps: SetupDeps,
  options: SetupRunOptions,
): Promise<Result<Connected, AppError>> {
  const prepared = await connectTargetFor(target, deps, which);
  if (!prepared.ok) return prepared;
  const connectTarget = prepared.value;
  options.onProgress?.(
    stepProgress(which, 'connect', {
      en: `Connecting to ${target.host}`,
      zh: `正在连接 ${target.host}`,
    }),
  );
  const session = await deps.connect(connectTarget, options.signal);
  if (!session.ok) return session;
  options.onProgress?.(
    stepProgress(which, 'read', {
      en: 'Reading its configuration and packages',
      zh: '正在读取它的配置和软件包',
    }),
  );
  const facts = await readEndFacts(
    session.value,
    which === 'router' ? 'router' : 'home router',
    options.signal,
  );
  if (!facts.ok) {
    await session.value.close();
    return facts;
  }
  return ok({ target: connectTarget, session: session.value, facts: facts.value });
}

interface Gathered {
  router: Connected;
  home?: Connected;
  plan: SetupPlan;
  close(): Promise<void>;
}

async function gather(
  request: SetupPlanRequest,
  deps: SetupDeps,
  options: SetupRunOptions,
): Promise<Result<Gathered, AppError>> {
  const router = await connectEnd('router', request.router, deps, options);
  if (!router.ok) return router;
  let home: Connected | undefined;
  if (request.home) {
    const connected = await connectEnd('home', request.home, deps, options);
    if (!connected.ok) {
      await router.value.session.close();
      return connected;
    }
    home = connected.value;
  }
  const close = async () => {
    await router.value.session.close();
    await home?.session.close();
  };
  const planned = planSetup(
    request.intent,
    router.value.facts.facts,
    home ? { configs: home.facts.facts.configs } : undefined,
  );
  if (planned.kind !== 'ok') {
    await close();
    if (planned.kind === 'invalid') return fail(fieldInvalid(planned.errors, true));
    return fail(
      localizedError('invalid-request', { message: planned.message, fix: planned.fix }, planned.zh),
    );
  }
  return ok({ router: router.value, ...(home ? { home } : {}), plan: planned.plan, close });
}

/** Reads both ends and plans; nothing is written. */
export async function planSetupRemote(
  request: SetupPlanRequest,
  deps: SetupDeps,
  options: SetupRunOptions = {},
): Promise<Result<SetupPlanView, AppError>> {
  const gathered = await gather(request, deps, options);
  if (!gathered.ok) return gathered;
  await gathered.value.close();
  return ok(planView(gathered.value.plan, gathered.value.home !== undefined));
}

async function installPackages(
  connected: Connected,
  plan: SetupPlan,
  options: SetupRunOptions,
): Promise<Result<{ installed: string[]; output: string }, AppError>> {
  const command = plan.router.installCommand;
  const wanted = plan.router.packagesToInstall;
  if (!command || wanted.length === 0) return ok({ installed: [], output: '' });
  options.onProgress?.(
    stepProgress('router', 'packages', {
      en: `Installing ${wanted.join(', ')}`,
      zh: `正在安装 ${wanted.join('、')}`,
    }),
  );
  const result = await connected.session.exec(command, {
    timeoutMs: 600_000,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const output = `${result.stdout}${result.stderr}`.trim().split('\n').slice(-20).join('\n');
  const after = await readEndFacts(connected.session, 'router', options.signal);
  const nowInstalled = new Set(after.ok ? after.value.facts.installedPackages : []);
  const installed = wanted.filter((p) => nowInstalled.has(p));
  if (result.code !== 0 || installed.length !== wanted.length) {
    const missing = wanted.filter((p) => !nowInstalled.has(p));
    return fail(
      localizedError(
        'remote-command-failed',
        {
          message: `Installing packages failed (${result.error?.message ?? `exit ${result.code}`}); still missing: ${missing.join(', ')}. Nothing was changed.`,
          fix: 'Check that the router reaches the internet and has free flash space, then run again (or install them in LuCI > System > Software).',
        },
        {
          message: `安装软件包失败（${result.error?.message ?? `退出码 ${result.code}`}）；仍缺少：${missing.join('、')}。未做任何改动。`,
          fix: '请确认路由器能访问互联网并有剩余闪存空间，然后重新运行（或在 LuCI > 系统 > 软件包 中安装）。',
        },
        { detail: { output } },
      ),
    );
  }
  return ok({ installed, output });
}

export function newId(): string {
  return randomBytes(6).toString('hex');
}

/**
 * Applies the plan with automatic rollback on each end reached over SSH (home too, when its
 * access is given). Both ends are confirmed only when both came back as planned; otherwise
 * both roll back. The old config is read back afterwards to prove the rollback.
 */
export async function applySetup(
  request: SetupApplyRequest,
  deps: SetupDeps,
  options: SetupRunOptions = {},
): Promise<Result<SetupApplyReport, AppError>> {
  const started = Date.now();
  const onProgress = options.onProgress ?? (() => undefined);
  if (!Number.isInteger(request.rollbackS) || request.rollbackS < 10 || request.rollbackS > 3600)
    return fail(rollbackOutOfRange(request.rollbackS));
  const gathered = await gather(request, deps, options);
  if (!gathered.ok) return gathered;
  const { router, home, plan } = gathered.value;
  const io: EndIo = {
    deps,
    onProgress,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.rollbackRequested ? { rollbackRequested: options.rollbackRequested } : {}),
    now: () => Date.now(),
    sleep: (ms) =>
      sleep(ms, undefined, options.signal ? { signal: options.signal } : {}).catch(() => undefined),
  };
  const view = planView(plan, home !== undefined);
  const report = (
    outcome: SetupApplyReport['outcome'],
    ends: SetupEndReport[],
    packages: SetupApplyReport['packages'],
  ): SetupApplyReport => ({
    schema: setupSchema,
    outcome,
    ends,
    packages,
    ...(view.homePaste ? { homePaste: view.homePaste } : {}),
    plan: view,
    durationMs: Date.now() - started,
  });
  let sessionsClosed = false;
  const closeFirst = async () => {
    if (sessionsClosed) return;
    sessionsClosed = true;
    await gathered.value.close();
  };
  try {
    for (const end of [router, ...(home ? [home] : [])]) {
      if (end.facts.pendingChanges)
        return fail(
          uncommittedChanges(end === router ? 'router' : 'home', end.facts.pendingChanges),
        );
    }
    let packages: SetupApplyReport['packages'] = {
      installed: [],
      missing: plan.router.packagesToInstall,
    };
    if (request.installPackages) {
      const installed = await installPackages(router, plan, options);
      if (!installed.ok) return installed;
      packages = {
        installed: installed.value.installed,
        missing: [],
        output: installed.value.output,
      };
    } else if (packages.missing.length > 0) {
      onProgress(
        noteProgress('router', {
          en: `Not installed: ${packages.missing.join(', ')} (pass --install-packages to install them first).`,
          zh: `未安装：${packages.missing.join('、')}（加 --install-packages 可先安装它们）。`,
        }),
      );
    }

    const applied = await applyEnds(
      [
        // Home first: its peer must exist before the router starts handshaking.
        ...(home ? [{ which: 'home' as const, connected: home, plan: plan.home }] : []),
        {
          which: 'router' as const,
          connected: router,
          plan: plan.router,
          ...(plan.routerLanAddressAfter ? { newHost: plan.routerLanAddressAfter } : {}),
        },
      ],
      request.rollbackS,
      io,
      closeFirst,
    );
    if (!applied.ok) return applied;
    return ok(report(applied.value.outcome, applied.value.ends, packages));
  } finally {
    await closeFirst();
  }
}

export interface EndToApply {
  which: SetupEndName;
  connected: Connected;
  plan: EndPlan;
  /** Where the end answers after the apply, when the plan moves it. */
  newHost?: string;
}

/**
 * Arms each end in order (an end without changes is skipped), lets the routers apply, then
 * reconnects, verifies and confirms all of them, or rolls every one back and proves it.
 * `closeFirst` closes the first sessions once the changes are in. Shared by setup and fixes.
 */
export async function applyEnds(
  ends: EndToApply[],
  rollbackS: number,
  io: EndIo,
  closeFirst: () => Promise<void>,
): Promise<Result<{ outcome: SetupOutcome; ends: SetupEndReport[] }, AppError>> {
  const runs: { run: EndRun; session: SshSession }[] = [];
  const requested = () => io.rollbackRequested?.aborted === true;
  const undoNow = async () => {
    const reports = await Promise.all(
      runs.map(({ run, session }) => rollBackAndVerify(run, io, session, cancelledWhy)),
    );
    await closeFirst();
    return ok({ outcome: 'rolled-back' as const, ends: reports });
  };
  for (const end of ends) {
    if (end.plan.changes.length === 0) continue;
    if (requested()) {
      if (runs.length > 0) return undoNow();
      return fail(
        localizedError(
          'cancelled',
          { message: 'Cancelled before anything was changed.' },
          { message: '已取消，未做任何改动。' },
        ),
      );
    }
    const run = newEndRun(
      end.which,
      end.connected.target,
      end.plan,
      end.connected.facts.exports,
      end.connected.session.hostKey,
      rollbackS,
      newId(),
      end.newHost,
    );
    const armed = await armAndStart(end.connected.session, run, io);
    if (!armed.ok) {
      const reports = await Promise.all(
        runs.map(({ run: r, session }) =>
          rollBackAndVerify(r, io, session, {
            en: `${endWords[end.which].en} could not start its part.`,
            zh: `${endWords[end.which].zh}未能开始它那部分的改动。`,
          }),
        ),
      );
      if (reports.length === 0) return armed;
      return ok({ outcome: 'rolled-back', ends: reports });
    }
    runs.push({ run, session: end.connected.session });
  }
  if (runs.length === 0) {
    const first = ends[ends.length - 1]?.which ?? 'router';
    return ok({
      outcome: 'unchanged',
      ends: [
        endReport(first, 'unchanged', {
          en: 'Already set up as asked.',
          zh: '已按要求设置，无需改动。',
        }),
      ],
    });
  }
  await Promise.all(runs.map(({ run, session }) => followApply(session, run, io)));
  if (requested()) return undoNow();
  await closeFirst();

  // All ends at once: each has its own deadline, none may eat another's time.
  const checked: { run: EndRun; session?: SshSession; problem?: Text }[] = await Promise.all(
    runs.map(async ({ run }) => {
      const session = await reconnect(run, io);
      if (!session)
        return {
          run,
          problem: requested()
            ? cancelledWhy
            : {
                en: `Homeward could not reach ${run.newHost ?? run.target.host} after the change.`,
                zh: `改动之后 Homeward 无法连到 ${run.newHost ?? run.target.host}。`,
              },
        };
      const verified = await verifyApplied(session, run, io);
      return verified.ok
        ? { run, session }
        : { run, session, problem: { en: verified.message, zh: verified.zh } };
    }),
  );
  const reports: SetupEndReport[] = [];
  try {
    if (requested()) for (const c of checked) c.problem ??= cancelledWhy;
    if (checked.every((c) => !c.problem)) {
      for (const c of checked) {
        const confirmed = await confirm(c.session as SshSession, c.run, io);
        if (!confirmed.ok) c.problem = { en: confirmed.message, zh: confirmed.zh };
        else
          reports.push(
            endReport(c.run.end, 'applied', { en: confirmed.message, zh: confirmed.zh }),
          );
      }
      if (checked.every((c) => !c.problem)) return ok({ outcome: 'applied', ends: reports });
    }
    const firstProblem = checked.find((c) => c.problem)?.problem ?? { en: '', zh: '' };
    const rolledBack = await Promise.all(
      checked
        .filter((c) => !reports.some((e) => e.end === c.run.end))
        .map((c) =>
          rollBackAndVerify(
            c.run,
            io,
            c.session,
            c.problem ?? {
              en: `Rolled back because the other end failed: ${firstProblem.en}`,
              zh: `因另一端失败而回滚：${firstProblem.zh}`,
            },
          ),
        ),
    );
    reports.push(...rolledBack);
    return ok({ outcome: 'rolled-back', ends: reports });
  } finally {
    for (const c of checked) await c.session?.close();
  }
}

const cancelledWhy: Text = { en: 'Cancelled: rolled back on request.', zh: '已取消：按要求回滚。' };
