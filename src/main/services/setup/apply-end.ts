import type { AppError } from '../../../shared/errors';
import { localizedError } from '../../../shared/errors';
import type { Result } from '../../../shared/result';
import { fail, ok } from '../../../shared/result';
import type { SetupEndName, SetupEndReport, SetupProgress } from '../../../shared/setup-run';
import type { HostKeyInfo, SshSession } from '../../adapters/ssh/index';
import {
  applyDir,
  cleanupCommand,
  confirmCommand,
  launchCommand,
  parseRunnerStatus,
  prepareCommand,
  reloadsScript,
  rollbackNowCommand,
  runnerScript,
  statusCommand,
} from '../../core/setup/apply-script';
import type { RunnerStatus } from '../../core/setup/apply-script';
import type { EndPlan } from '../../core/setup/plan-setup';
import { parseUci } from '../../core/uci/parse';
import { serializeUci } from '../../core/uci/serialize';
import type { ConnectTarget, SetupDeps } from './connect';
import { readExports } from './facts';
import { endObject, endReport, errorText, noteProgress, stepProgress } from './setup-text';
import type { Text } from './setup-text';

// One end (the travel router or home) through snapshot -> armed runner -> batch + reloads ->
// reconnect -> verify -> confirm, or -> rollback and proof that every byte came back.

export interface EndRun {
  end: SetupEndName;
  /** How the first connection was made (the old address). */
  target: ConnectTarget;
  /** Where the end answers after the apply, when the plan moves it. */
  newHost?: string;
  plan: EndPlan;
  /** `uci export` of every config before the apply. */
  before: Record<string, string>;
  dir: string;
  hostKey: HostKeyInfo;
  rollbackS: number;
  launchedAtMs?: number;
  /** The router's deadline on this computer's clock, once the runner said `applied`. */
  deadlineMs?: number;
  lastStatus?: RunnerStatus;
}

export interface EndIo {
  deps: SetupDeps;
  onProgress: (p: SetupProgress) => void;
  /** Hard stop (the app quits): loops end, the router rolls back by its own timer. */
  signal?: AbortSignal;
  /** The person asked to undo: roll back now instead of confirming, and prove it. */
  rollbackRequested?: AbortSignal;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/** Reloads can take a while on a small router (wifi restarts); past this, the end is lost. */
const reloadAllowanceMs = 90_000;
const pollMs = 500;

async function status(session: SshSession, run: EndRun, io: EndIo) {
  const result = await session.exec(statusCommand(run.dir), {
    timeoutMs: 10_000,
    ...(io.signal ? { signal: io.signal } : {}),
  });
  if (result.error || result.code !== 0) return undefined;
  return noteStatus(run, parseRunnerStatus(result.stdout), io);
}

function noteStatus(run: EndRun, parsed: RunnerStatus, io: EndIo): RunnerStatus {
  run.lastStatus = parsed;
  const deadline =
    parsed.state.kind === 'applied' || parsed.state.kind === 'applying'
      ? parsed.state.deadline
      : undefined;
  if (deadline !== undefined && parsed.now !== undefined)
    run.deadlineMs = io.now() + (deadline - parsed.now) * 1000;
  return parsed;
}

/** Snapshot, the files, and the detached runner: from here the router owns the outcome. */
export async function armAndStart(
  session: SshSession,
  run: EndRun,
  io: EndIo,
): Promise<Result<void, AppError>> {
  const where = endObject[run.end].en;
  const whereZh = endObject[run.end].zh;
  io.onProgress(
    stepProgress(run.end, 'snapshot', {
      en: `Saving /etc/config on ${where}`,
      zh: `正在${whereZh}上保存 /etc/config`,
    }),
  );
  const prepared = await session.exec(prepareCommand(run.dir), { timeoutMs: 20_000 });
  if (prepared.stdout.startsWith('busy ')) {
    const earlier = prepared.stdout.trim().slice(5);
    return fail(
      localizedError(
        'remote-command-failed',
        {
          message: `An earlier Homeward apply on ${where} is still waiting for its confirmation (${earlier}).`,
          fix: 'Wait for it to roll back (at most the rollback time), then run apply again.',
        },
        {
          message: `${whereZh}上先前的一次 Homeward 应用仍在等待确认（${earlier}）。`,
          fix: '请等它回滚（最多为回滚时间），然后重新应用。',
        },
      ),
    );
  }
  if (prepared.error || prepared.code !== 0 || !prepared.stdout.includes('prepared')) {
    const said = prepared.stderr.trim();
    return fail(
      localizedError(
        'remote-command-failed',
        {
          message: `Could not save /etc/config on ${where}: ${prepared.error?.message ?? (said || `exit ${prepared.code}`)}`,
          fix: 'Check free space in /tmp on the router.',
        },
        {
          message: `无法在${whereZh}上保存 /etc/config：${prepared.error?.message ?? (said || `退出码 ${prepared.code}`)}`,
          fix: '请检查路由器 /tmp 的剩余空间。',
        },
      ),
    );
  }
  for (const [name, content, mode] of [
    ['batch', run.plan.batch, 0o600],
    ['reloads', reloadsScript(run.plan.reloads), 0o600],
    ['runner.sh', runnerScript, 0o700],
  ] as const) {
    const written = await session.writeFile(`${run.dir}/${name}`, content, mode, {
      timeoutMs: 20_000,
    });
    if (!written.ok) return fail(written.error as AppError);
  }
  io.onProgress(
    stepProgress(run.end, 'arm', {
      en: `Armed: ${where} restores its config in ${run.rollbackS} s unless Homeward confirms`,
      zh: `已就绪：除非 Homeward 确认，${whereZh}会在 ${run.rollbackS} 秒后恢复原配置`,
    }),
  );
  const launched = await session.exec(launchCommand(run.dir, run.rollbackS), {
    timeoutMs: 20_000,
  });
  if (launched.error || launched.code !== 0 || !/^pid \d+/m.test(launched.stdout)) {
    const said = launched.stdout.trim();
    return fail(
      localizedError(
        'remote-command-failed',
        {
          message: `Could not start the apply on ${where}: ${launched.error?.message ?? (said || `exit ${launched.code}`)}`,
        },
        {
          message: `无法在${whereZh}上开始应用：${launched.error?.message ?? (said || `退出码 ${launched.code}`)}`,
        },
      ),
    );
  }
  run.launchedAtMs = io.now();
  noteStatus(run, parseRunnerStatus(launched.stdout.replace(/^pid \d+\n/m, '')), io);
  io.onProgress(
    stepProgress(run.end, 'apply', {
      en: `Writing the changes with uci batch on ${where}, then ${run.plan.reloads.join(', ')}`,
      zh: `正在${whereZh}上用 uci batch 写入改动，然后执行 ${run.plan.reloads.join('、')}`,
    }),
  );
  return ok(undefined);
}

/**
 * Follows the runner over the first session until the changes are in. The session may die on
 * the way (the address moved, wifi restarted): that is expected and not a failure.
 */
export async function followApply(session: SshSession, run: EndRun, io: EndIo): Promise<void> {
  const until = (run.launchedAtMs ?? io.now()) + reloadAllowanceMs;
  while (
    !session.closed &&
    io.now() < until &&
    !io.signal?.aborted &&
    !io.rollbackRequested?.aborted
  ) {
    const s = await status(session, run, io);
    if (!s) return;
    if (s.state.kind === 'applied' || s.state.kind === 'rolled-back') return;
    await io.sleep(pollMs);
  }
}

function secondsLeft(run: EndRun, io: EndIo): number | undefined {
  if (run.deadlineMs === undefined) return undefined;
  return Math.max(0, Math.round((run.deadlineMs - io.now()) / 1000));
}

/** The latest the router can still be confirmed, on this computer's clock (with a margin). */
function confirmBy(run: EndRun): number {
  const launched = run.launchedAtMs ?? 0;
  return (run.deadlineMs ?? launched + run.rollbackS * 1000) - 3000;
}

/** A new SSH connection, at the new address if the plan moved it, retried until confirmBy. */
export async function reconnect(run: EndRun, io: EndIo): Promise<SshSession | undefined> {
  const host = run.newHost ?? run.target.host;
  io.onProgress(
    stepProgress(run.end, 'reconnect', {
      en: `Connecting again to ${host}`,
      zh: `正在重新连接 ${host}`,
    }),
  );
  while (io.now() < confirmBy(run) && !io.signal?.aborted && !io.rollbackRequested?.aborted) {
    const left = secondsLeft(run, io);
    if (left !== undefined) io.onProgress({ kind: 'countdown', end: run.end, secondsLeft: left });
    const attempt = await io.deps.connect(
      {
        ...run.target,
        host,
        alsoTrust: run.hostKey,
        acceptNewHostKey: false,
        readyTimeoutMs: Math.max(2000, Math.min(8000, confirmBy(run) - io.now())),
      },
      io.signal,
    );
    if (attempt.ok) return attempt.value;
    if (attempt.error.kind === 'host-key-changed' || attempt.error.kind === 'auth-failed') {
      io.onProgress(noteProgress(run.end, errorText(attempt.error)));
      return undefined;
    }
    await io.sleep(1000);
  }
  return undefined;
}

function sameConfig(exported: string, expected: string): boolean {
  const parsed = parseUci(exported);
  return parsed.kind === 'ok' && serializeUci(parsed.config) === expected;
}

/** The runner says `applied` and every touched config reads back as planned. */
export async function verifyApplied(
  session: SshSession,
  run: EndRun,
  io: EndIo,
): Promise<{ ok: true } | { ok: false; message: string; zh: string; rolledBack?: boolean }> {
  io.onProgress(
    stepProgress(run.end, 'verify', {
      en: 'Checking the new configuration',
      zh: '正在检查新配置',
    }),
  );
  let s = await status(session, run, io);
  while (s?.state.kind === 'applying' && io.now() < confirmBy(run)) {
    await io.sleep(pollMs);
    s = await status(session, run, io);
  }
  if (!s)
    return {
      ok: false,
      message: 'The router did not answer the status check.',
      zh: '路由器没有回应状态检查。',
    };
  if (s.state.kind === 'rolled-back' || s.state.kind === 'rolling-back') {
    const batchFailed = s.state.reason === 'batch-failed';
    const why = batchFailed
      ? `uci refused the changes (${s.batchErrors.join('; ') || 'see the router log'})`
      : `it rolled back (${s.state.reason})`;
    const whyZh = batchFailed
      ? `uci 拒绝了这些改动（${s.batchErrors.join('; ') || '请查看路由器日志'}）`
      : `它已回滚（${s.state.reason}）`;
    return {
      ok: false,
      message: `The change did not take: ${why}.`,
      zh: `改动没有生效：${whyZh}。`,
      rolledBack: true,
    };
  }
  if (s.state.kind !== 'applied')
    return {
      ok: false,
      message: `Unexpected apply state on the router: ${JSON.stringify(s.state)}.`,
      zh: `路由器上的应用状态异常：${JSON.stringify(s.state)}。`,
    };
  const touched = run.plan.previews.map((p) => p.config);
  const exports = await readExports(session, touched, io.signal);
  if (!exports)
    return { ok: false, message: 'Could not read the configuration back.', zh: '无法读回配置。' };
  const differ = touched.filter((c) => {
    const expected = run.plan.after[c];
    return expected !== undefined && !sameConfig(exports[c] ?? '', serializeUci(expected));
  });
  if (differ.length > 0)
    return {
      ok: false,
      message: `The router's ${differ.join(', ')} config does not read back as planned.`,
      zh: `路由器的 ${differ.join('、')} 配置读回后与计划不符。`,
    };
  return { ok: true };
}

/** The travel router is remembered where it now answers; a store failure is not the apply's. */
async function rememberConfirmed(run: EndRun, io: EndIo): Promise<void> {
  const { target } = run;
  await Promise.resolve()
    .then(() =>
      io.deps.routerSeen?.({
        host: run.newHost ?? target.host,
        port: target.port,
        user: target.user,
        ...(target.knownHostsFile !== io.deps.defaultKnownHosts
          ? { knownHostsFile: target.knownHostsFile }
          : {}),
        hostKeyFingerprint: run.hostKey.fingerprint,
        seenBy: 'setup',
      }),
    )
    .catch(() => undefined);
}

export async function confirm(
  session: SshSession,
  run: EndRun,
  io: EndIo,
): Promise<{ ok: boolean; message: string; zh: string }> {
  io.onProgress(
    stepProgress(run.end, 'confirm', {
      en: 'Confirming: the rollback is disarmed and the snapshot removed',
      zh: '正在确认：解除回滚并删除快照',
    }),
  );
  const result = await session.exec(confirmCommand(run.dir), { timeoutMs: 10_000 });
  if (result.stdout.trim() === 'confirmed') {
    if (run.end === 'router') await rememberConfirmed(run, io);
    return { ok: true, message: 'Applied and confirmed.', zh: '已应用并确认。' };
  }
  const answer = result.stdout.trim() || result.error?.message;
  return {
    ok: false,
    message: `Confirmation came too late: ${answer || `exit ${result.code}`}.`,
    zh: `确认来得太晚：${answer || `退出码 ${result.code}`}。`,
  };
}

/**
 * Lets the end roll back (now, when `session` is given; else at its deadline), reconnects at the
 * old address and compares every config with the export taken before the apply.
 */
export async function rollBackAndVerify(
  run: EndRun,
  io: EndIo,
  session: SshSession | undefined,
  why: Text,
): Promise<SetupEndReport> {
  io.onProgress(stepProgress(run.end, 'rollback', why));
  let current = session && !session.closed ? session : undefined;
  if (current) {
    await current.exec(rollbackNowCommand(run.dir), { timeoutMs: 10_000 });
  } else {
    const rollbackAt =
      run.deadlineMs ?? (run.launchedAtMs ?? io.now()) + reloadAllowanceMs + run.rollbackS * 1000;
    // Without a connection there is nothing to do but wait for the router's own timer.
    while (io.now() < rollbackAt && !io.signal?.aborted) {
      io.onProgress({
        kind: 'countdown',
        end: run.end,
        secondsLeft: Math.max(0, Math.round((rollbackAt - io.now()) / 1000)),
      });
      await io.sleep(Math.min(1000, Math.max(0, rollbackAt - io.now())));
    }
  }
  // After the rollback the end is back at its old address; the reloads take a moment.
  const giveUpAt = io.now() + reloadAllowanceMs;
  let s: RunnerStatus | undefined;
  while (io.now() < giveUpAt && !io.signal?.aborted) {
    if (!current || current.closed) {
      const attempt = await io.deps.connect(
        { ...run.target, acceptNewHostKey: false, alsoTrust: run.hostKey, readyTimeoutMs: 5000 },
        io.signal,
      );
      current = attempt.ok ? attempt.value : undefined;
    }
    if (current) {
      s = await status(current, run, io);
      if (s?.state.kind === 'rolled-back') break;
    }
    await io.sleep(1000);
  }
  try {
    if (!current || s?.state.kind !== 'rolled-back') {
      return endReport(
        run.end,
        'rolled-back',
        {
          en: `${why.en} The router should have restored its old configuration, but Homeward could not reach it at ${run.target.host} to check.`,
          zh: `${why.zh}路由器应已恢复原配置，但 Homeward 无法在 ${run.target.host} 连到它进行核对。`,
        },
        false,
      );
    }
    const after = await readExports(current, Object.keys(run.before), io.signal);
    const same = after && Object.keys(run.before).every((c) => after[c] === run.before[c]);
    await current.exec(cleanupCommand(run.dir), { timeoutMs: 10_000 });
    return endReport(
      run.end,
      'rolled-back',
      same
        ? {
            en: `${why.en} The old configuration is back, byte for byte.`,
            zh: `${why.zh}原配置已恢复，逐字节一致。`,
          }
        : {
            en: `${why.en} The router rolled back, but its configuration differs from before the apply.`,
            zh: `${why.zh}路由器已回滚，但配置与应用前不同。`,
          },
      Boolean(same),
    );
  } finally {
    if (current && current !== session) await current.close();
  }
}

export function newEndRun(
  end: SetupEndName,
  target: ConnectTarget,
  plan: EndPlan,
  before: Record<string, string>,
  hostKey: HostKeyInfo,
  rollbackS: number,
  id: string,
  newHost?: string,
): EndRun {
  return {
    end,
    target,
    plan,
    before,
    hostKey,
    rollbackS,
    dir: applyDir(id),
    ...(newHost ? { newHost } : {}),
  };
}
