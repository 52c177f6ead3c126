import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  confirmCommand,
  launchCommand,
  parseRunnerStatus,
  prepareCommand,
  reloadsScript,
  rollbackNowCommand,
  runnerScript,
  statusCommand,
} from './apply-script';

// The runner under the shells it meets: busybox ash (OpenWrt) and the system sh (dash on
// Debian, the lab's /bin/sh), with a fake `uci` that writes a known "new" config.

const fakeUci = `#!/bin/sh
[ "$1" = batch ] || exit 1
input=$(cat)
printf 'new-network\\n' > "$HOMEWARD_CONF/network"
case "$input" in *FAIL*) echo "uci: Parse error (invalid command) at line 2, byte 0" >&2; exit 0 ;; esac
printf 'new-extra\\n' > "$HOMEWARD_CONF/extra"
echo delta > "$HOMEWARD_DELTA/network"
`;

// `full`: the machine's PATH (setsid from util-linux). `busybox`: only busybox applets, as on
// OpenWrt, so the runner starts through start-stop-daemon. `bare`: neither setsid nor
// start-stop-daemon, so it starts as a background subshell.
const applets = ['sh', 'cat', 'mv', 'rm', 'mkdir', 'cp', 'sleep', 'date', 'sed', 'head', 'tail'];
const busyboxPath = spawnSync('sh', ['-c', 'command -v busybox'], {
  encoding: 'utf8',
}).stdout.trim();
const shells = [
  ['busybox ash', ['busybox', 'ash'], 'full'],
  ['sh', ['sh'], 'full'],
  ['busybox ash, busybox applets only', ['busybox', 'ash'], 'busybox'],
  ['busybox ash, no setsid or start-stop-daemon', ['busybox', 'ash'], 'bare'],
] as const;
let tools: 'full' | 'busybox' | 'bare' = 'full';

let root: string;
let conf: string;
let dir: string;
let env: NodeJS.ProcessEnv;

function run(shell: readonly string[], script: string) {
  const [cmd = 'sh', ...args] = shell;
  const r = spawnSync(cmd === 'busybox' ? busyboxPath : cmd, [...args, '-c', script], {
    env,
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function snapshotOf(folder: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(folder)
      .sort()
      .map((n) => [n, readFileSync(path.join(folder, n), 'utf8')]),
  );
}

async function waitFor(shell: readonly string[], kind: string, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const status = parseRunnerStatus(run(shell, statusCommand(dir)).stdout);
    if (status.state.kind === kind) return status;
    if (Date.now() > until)
      throw new Error(`runner never reached ${kind}: ${JSON.stringify(status)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function pidAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) [ZX] /.test(stat);
  } catch {
    return false;
  }
}

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'homeward-runner-'));
  conf = path.join(root, 'config');
  mkdirSync(conf);
  mkdirSync(path.join(root, 'delta'));
  mkdirSync(path.join(root, 'bin'));
  writeFileSync(path.join(conf, 'network'), "\nconfig interface 'lan'\n\toption ipaddr 'old'\n");
  writeFileSync(path.join(conf, 'wireless'), "\nconfig wifi-iface 'x'\n\toption ssid 'it''s'\n");
  writeFileSync(path.join(root, 'bin', 'uci'), fakeUci, { mode: 0o755 });
  dir = path.join(root, 'apply');
  const bin = path.join(root, 'bin');
  if (tools !== 'full') {
    for (const applet of [...applets, ...(tools === 'busybox' ? ['start-stop-daemon'] : [])])
      symlinkSync(busyboxPath, path.join(bin, applet));
  }
  env = {
    PATH: tools === 'full' ? `${bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}` : bin,
    HOMEWARD_CONF: conf,
    HOMEWARD_DELTA: path.join(root, 'delta'),
  };
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function stage(shell: readonly string[], batch: string, rollbackS: number): number {
  expect(run(shell, prepareCommand(dir, conf, path.join(root, 'apply'))).stdout).toContain(
    'prepared',
  );
  writeFileSync(path.join(dir, 'runner.sh'), runnerScript);
  writeFileSync(path.join(dir, 'batch'), batch);
  writeFileSync(
    path.join(dir, 'reloads'),
    reloadsScript([`echo reloaded >> ${path.join(root, 'reloads.log')}`, 'false']),
  );
  const launched = run(shell, launchCommand(dir, rollbackS));
  expect(launched.code, launched.stderr).toBe(0);
  // Proof of the path taken: only start-stop-daemon -m writes ssd.pid.
  expect(existsSync(path.join(dir, 'ssd.pid'))).toBe(tools === 'busybox');
  return Number(/^pid (\d+)$/m.exec(launched.stdout)?.[1]);
}

describe.each(shells)('apply runner under %s', (_name, shell, mode) => {
  beforeAll(() => {
    tools = mode;
  });
  it('applies, then a confirmation disarms it and removes the snapshot', async () => {
    const pid = stage(shell, "set network.lan.ipaddr='new'\ncommit network\n", 30);
    const applied = await waitFor(shell, 'applied');
    expect(applied.state.kind === 'applied' && applied.now !== undefined).toBe(true);
    if (applied.state.kind === 'applied' && applied.now !== undefined)
      expect(applied.state.deadline - applied.now).toBeGreaterThan(25);
    expect(readFileSync(path.join(conf, 'network'), 'utf8')).toBe('new-network\n');
    const confirmed = run(shell, confirmCommand(dir));
    expect(confirmed.stdout.trim()).toBe('confirmed');
    expect(readdirSync(root)).not.toContain('apply');
    await new Promise((r) => setTimeout(r, 300));
    expect(pidAlive(pid)).toBe(false);
    expect(snapshotOf(conf)['network']).toBe('new-network\n');
  });

  it('without a confirmation restores the snapshot byte for byte, drops deltas and reloads', async () => {
    const before = snapshotOf(conf);
    stage(shell, "set network.lan.ipaddr='new'\ncommit network\n", 1);
    const done = await waitFor(shell, 'rolled-back');
    expect(done.state).toEqual({ kind: 'rolled-back', reason: 'timeout' });
    expect(snapshotOf(conf)).toEqual(before);
    expect(readdirSync(path.join(root, 'delta'))).toEqual([]);
    expect(readFileSync(path.join(root, 'reloads.log'), 'utf8')).toBe('reloaded\nreloaded\n');
    expect(done.log.join('\n')).toContain('reload failed: false');
    expect(run(shell, confirmCommand(dir)).stdout).toContain('state rolled-back');
  });

  it('rolls back at once when uci batch reports an error', async () => {
    const before = snapshotOf(conf);
    stage(shell, 'set network.lan.ipaddr=FAIL\n', 60);
    const done = await waitFor(shell, 'rolled-back');
    expect(done.state).toEqual({ kind: 'rolled-back', reason: 'batch-failed' });
    expect(done.batchErrors[0]).toContain('Parse error');
    expect(snapshotOf(conf)).toEqual(before);
  });

  it('rolls back when asked, long before the deadline', async () => {
    const before = snapshotOf(conf);
    stage(shell, 'set network.lan.ipaddr=x\n', 60);
    await waitFor(shell, 'applied');
    run(shell, rollbackNowCommand(dir));
    const done = await waitFor(shell, 'rolled-back', 5000);
    expect(done.state).toEqual({ kind: 'rolled-back', reason: 'asked' });
    expect(snapshotOf(conf)).toEqual(before);
  });
});

describe('prepareCommand', () => {
  beforeAll(() => {
    tools = 'full';
  });
  it('refuses while a runner waits, and clears what dead ones left', async () => {
    const shell = ['sh'] as const;
    const prefix = path.join(root, 'apply');
    dir = `${prefix}-a`;
    mkdirSync(`${prefix}-dead`);
    writeFileSync(`${prefix}-dead/state`, 'applied 1\n');
    writeFileSync(`${prefix}-dead/pid`, '999999999\n');
    mkdirSync(`${prefix}-nostate`);
    expect(run(shell, prepareCommand(dir, conf, prefix)).stdout).toContain('prepared');
    expect(readdirSync(root).filter((n) => n.startsWith('apply'))).toEqual(['apply-a']);
    writeFileSync(path.join(dir, 'runner.sh'), runnerScript);
    writeFileSync(path.join(dir, 'batch'), 'x\n');
    writeFileSync(path.join(dir, 'reloads'), 'true\n');
    expect(run(shell, launchCommand(dir, 30)).code).toBe(0);
    await waitFor(shell, 'applied');
    const second = run(shell, prepareCommand(`${prefix}-b`, conf, prefix));
    expect(second.code).toBe(3);
    expect(second.stdout).toMatch(/^busy .*apply-a applied \d+/);
    expect(run(shell, confirmCommand(dir)).stdout.trim()).toBe('confirmed');
    expect(run(shell, prepareCommand(`${prefix}-b`, conf, prefix)).stdout).toContain('prepared');
  });
});

describe('parseRunnerStatus', () => {
  it('reads each state and the router clock', () => {
    expect(parseRunnerStatus('applied 1700000120\nnow 1700000100\n')).toMatchObject({
      state: { kind: 'applied', deadline: 1700000120 },
      now: 1700000100,
    });
    expect(parseRunnerStatus('missing\nnow 5\n').state).toEqual({ kind: 'missing' });
    expect(parseRunnerStatus('garbage here\n').state).toEqual({
      kind: 'unknown',
      text: 'garbage here',
    });
  });
});
