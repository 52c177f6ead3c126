import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  buildLossRuleArgs,
  buildRedirectFilterArgs,
  buildTbfArgs,
  needsDelayLine,
  needsLoss,
  validateKnobs,
  type ImpairKnobs,
  type ImpairTarget,
} from './plan';

export type { ImpairKnobs, ImpairTarget } from './plan';

/**
 * One impaired egress. Everything it set up lives inside the target namespace; `clear()`
 * removes it all and may be called more than once.
 *
 * A delay line is owned by this Node process: it exits when this process does (stdin EOF,
 * PR_SET_PDEATHSIG), and then the device black-holes until `clear()` or the namespace goes.
 */
export interface Impairment {
  readonly target: ImpairTarget;
  readonly knobs: Readonly<ImpairKnobs>;
  /** Set when delay or jitter is on: the user-space delay line and its TAP sink. */
  readonly delayLine: { readonly pid: number; readonly tap: string } | undefined;
  clear(): Promise<void>;
}

export interface ImpairmentGroup {
  readonly impairments: readonly Impairment[];
  clear(): Promise<void>;
}

const PYTHON = '/usr/bin/python3';
const DELAY_LINE_SCRIPT = fileURLToPath(new URL('./delay-line.py', import.meta.url));
const FILTER_PREF = 4857;
const COMMAND_TIMEOUT_MS = 10_000;
const READY_TIMEOUT_MS = 5_000;
const EXIT_TIMEOUT_MS = 2_000;

const execFileAsync = promisify(execFile);
const active = new Set<string>();
let sequence = 0;

async function run(cmd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync(cmd, args, { timeout: COMMAND_TIMEOUT_MS });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    const detail = e.stderr?.trim() || e.message;
    throw new Error(`impair: ${cmd} ${args.join(' ')}: ${detail}`, { cause: err });
  }
}

const GONE =
  /Cannot find device|Cannot open network namespace|No such file or directory|does a matching rule exist|Invalid handle|No such device/i;

/** Undo step for a kernel object: already gone (device or namespace deleted) counts as done. */
async function removeGone(cmd: string, args: string[]): Promise<void> {
  try {
    await run(cmd, args);
  } catch (err) {
    if (!GONE.test(String(err))) throw err;
  }
}

const inNetns = (netns: string, cmd: string, args: string[]): Promise<string> =>
  run('ip', ['netns', 'exec', netns, cmd, ...args]);

async function readMtu(target: ImpairTarget): Promise<number> {
  const out = await run('ip', ['-n', target.netns, '-j', 'link', 'show', 'dev', target.dev]);
  const links = JSON.parse(out) as Array<{ mtu?: number }>;
  const mtu = links[0]?.mtu;
  if (mtu === undefined) throw new Error(`impair: no MTU for ${target.netns}/${target.dev}`);
  return mtu;
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  child.stdin?.end();
  child.kill('SIGTERM');
  if (await waitForExit(child, EXIT_TIMEOUT_MS)) return;
  child.kill('SIGKILL');
  await waitForExit(child, EXIT_TIMEOUT_MS);
}

interface DelayLine {
  child: ChildProcess;
  pid: number;
  tap: string;
}

function startDelayLine(
  target: ImpairTarget,
  mark: number,
  delayMs: number,
  jitterMs: number,
): Promise<DelayLine> {
  const args = ['netns', 'exec', target.netns, PYTHON, DELAY_LINE_SCRIPT, target.dev];
  args.push(`0x${mark.toString(16)}`, String(delayMs), String(jitterMs));
  // `ip netns exec` execs in place, so the child's pid is the delay line's own.
  const child = spawn('ip', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  return new Promise((resolve, reject) => {
    const fail = (why: string): void => {
      clearTimeout(timer);
      void stopChild(child);
      reject(new Error(`impair: delay line on ${target.netns}/${target.dev} ${why}: ${stderr}`));
    };
    const timer = setTimeout(() => fail('did not become ready'), READY_TIMEOUT_MS);
    child.once('error', (err) => fail(`failed to start (${err.message})`));
    child.once('exit', (code, signal) => fail(`exited early (${code ?? signal})`));
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const ready = /^ready (\S+)\n/.exec(stdout);
      if (!ready?.[1] || child.pid === undefined) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.removeAllListeners('error');
      child.on('error', () => undefined);
      child.once('exit', (code, signal) => {
        if (signal === 'SIGTERM' || signal === 'SIGKILL' || child.stdin?.writableEnded) return;
        // The egress filter now redirects into a vanished TAP: the link black-holes.
        process.emitWarning(
          `impair: delay line on ${target.netns}/${target.dev} died (${code ?? signal}): ${stderr}`,
        );
      });
      resolve({ child, pid: child.pid, tap: ready[1] });
    });
  });
}

type Undo = () => Promise<void>;

async function undoAll(steps: Undo[]): Promise<void> {
  const errors: unknown[] = [];
  for (const step of steps.splice(0).reverse()) {
    try {
      await step();
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length > 0) throw new AggregateError(errors, 'impair: clear left things behind');
}

async function addClsact(target: ImpairTarget): Promise<boolean> {
  try {
    await run('tc', ['-n', target.netns, 'qdisc', 'add', 'dev', target.dev, 'clsact']);
    return true;
  } catch (err) {
    // Someone else's clsact: share it and remove only our filter.
    if (/exists|Exclusivity/i.test(String(err))) return false;
    throw err;
  }
}

/**
 * Impairs the egress of `target.dev` inside `target.netns`: a tbf root qdisc for the rate,
 * iptables `statistic` DROP rules for loss, and for delay/jitter a clsact egress filter that
 * steals every frame into a user-space delay line, which sends it back out the same device
 * after the delay, marked so it passes the filter and goes through the tbf. Order is kept.
 * Covers routed and locally sent traffic; loss applies to IPv4 and IPv6 only.
 */
export async function applyImpairment(
  target: ImpairTarget,
  knobs: ImpairKnobs,
): Promise<Impairment> {
  validateKnobs(knobs);
  const key = `${target.netns}/${target.dev}`;
  if (active.has(key)) throw new Error(`impair: ${key} is already impaired; clear it first`);
  active.add(key);

  const { netns, dev } = target;
  const seq = sequence++;
  const mark = (0x48570000 | ((process.pid & 0xff) << 8) | (seq & 0xff)) >>> 0;
  const tag = `hwimp:${process.pid}:${seq}`;
  const undo: Undo[] = [];
  let delayLine: DelayLine | undefined;

  try {
    const mtu = await readMtu(target);

    if (needsDelayLine(knobs)) {
      const line = await startDelayLine(target, mark, knobs.delayMs ?? 0, knobs.jitterMs ?? 0);
      delayLine = line;
      undo.push(() => stopChild(line.child));
    }

    if (knobs.rateMbit !== undefined) {
      await run('tc', ['-n', netns, ...buildTbfArgs(dev, knobs.rateMbit, mtu, knobs.queueMs)]);
      undo.push(() => removeGone('tc', ['-n', netns, 'qdisc', 'del', 'dev', dev, 'root']));
    }

    if (delayLine) {
      const ownClsact = await addClsact(target);
      if (ownClsact) {
        undo.push(() => removeGone('tc', ['-n', netns, 'qdisc', 'del', 'dev', dev, 'clsact']));
      }
      await run('tc', [
        '-n',
        netns,
        ...buildRedirectFilterArgs('add', dev, FILTER_PREF, mark, delayLine.tap),
      ]);
      if (!ownClsact) {
        const del = buildRedirectFilterArgs('del', dev, FILTER_PREF, mark, delayLine.tap);
        undo.push(() => removeGone('tc', ['-n', netns, ...del]));
      }
    }

    if (needsLoss(knobs)) {
      const loss = knobs.lossPercent ?? 0;
      for (const bin of ['iptables', 'ip6tables']) {
        for (const chain of ['FORWARD', 'OUTPUT'] as const) {
          await inNetns(netns, bin, buildLossRuleArgs('-I', chain, dev, loss, tag));
          const del = buildLossRuleArgs('-D', chain, dev, loss, tag);
          undo.push(() => removeGone('ip', ['netns', 'exec', netns, bin, ...del]));
        }
      }
    }
  } catch (err) {
    await undoAll(undo).catch(() => undefined);
    active.delete(key);
    throw err;
  }

  let cleared: Promise<void> | undefined;
  return {
    target: { ...target },
    knobs: { ...knobs },
    delayLine: delayLine && { pid: delayLine.pid, tap: delayLine.tap },
    clear() {
      cleared ??= undoAll(undo).finally(() => active.delete(key));
      return cleared;
    },
  };
}

/** Applies the same knobs to several egresses (e.g. both ends of a link); all or nothing. */
export async function applyImpairments(
  targets: readonly ImpairTarget[],
  knobs: ImpairKnobs,
): Promise<ImpairmentGroup> {
  const impairments: Impairment[] = [];
  const clearAll = async (): Promise<void> => {
    const results = await Promise.allSettled(impairments.map((i) => i.clear()));
    const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    if (errors.length > 0) throw new AggregateError(errors, 'impair: clear left things behind');
  };
  try {
    for (const target of targets) impairments.push(await applyImpairment(target, knobs));
  } catch (err) {
    await clearAll().catch(() => undefined);
    throw err;
  }
  return { impairments, clear: clearAll };
}
