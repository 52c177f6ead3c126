// The bare tools a network engineer would type by hand on the lab laptop: iperf3, ping, tracepath,
// and OpenSSH to the router (one multiplexed connection, as the doctor keeps one ssh2 session).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ToolRun {
  stdout: string;
  stderr: string;
  code: number;
  ms: number;
}

/** Runs argv in a lab node's network namespace only (host files stay visible, like the CLI's). */
export function runInNetns(
  netns: string,
  argv: string[],
  options: { timeoutMs?: number; input?: string } = {},
): Promise<ToolRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('nsenter', [`--net=/run/netns/${netns}`, '--', ...argv], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root', LANG: 'C' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer !== undefined) clearTimeout(timer);
      resolve({
        stdout,
        stderr,
        code: code ?? (signal === null ? 1 : 128 + 9),
        ms: performance.now() - started,
      });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

export interface IperfRun {
  mbps?: number;
  error?: string;
  ms: number;
}

/** Receiver-side goodput from `iperf3 -J` (TCP: end.sum_received; UDP: end.sum). */
export function parseIperfReceivedMbps(json: string): { mbps?: number; error?: string } {
  try {
    const parsed = JSON.parse(json) as {
      error?: string;
      end?: {
        sum_received?: { bits_per_second?: number };
        sum?: { bits_per_second?: number };
      };
    };
    if (parsed.error) return { error: parsed.error };
    const bps = parsed.end?.sum_received?.bits_per_second ?? parsed.end?.sum?.bits_per_second;
    return bps === undefined ? { error: 'iperf3 JSON without end sums' } : { mbps: bps / 1e6 };
  } catch {
    return { error: `iperf3 printed no JSON: ${json.trim().slice(0, 200)}` };
  }
}

export interface IperfArgs {
  host: string;
  port: number;
  durationS: number;
  reverse: boolean;
  udp?: { mbps: number; packetBytes: number };
}

/** The same test the doctor runs, with -J instead of --forceflush text (same wire traffic). */
export function iperfArgv(a: IperfArgs): string[] {
  const argv = ['iperf3', '-c', a.host, '-p', String(a.port), '-t', String(a.durationS)];
  if (a.udp) argv.push('-u', '-b', `${a.udp.mbps}M`, '-l', String(a.udp.packetBytes));
  if (a.reverse) argv.push('-R');
  if (!a.udp) argv.push('-C', 'cubic');
  argv.push('--connect-timeout', '3000', '-J');
  return argv;
}

function commOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** OpenSSH from the laptop to the router over one ControlMaster connection. */
export class BareSsh {
  private readonly dir = mkdtempSync(join(tmpdir(), 'homeward-bench-ssh-'));
  private masterPid: number | undefined;

  constructor(
    private readonly netns: string,
    private readonly host: string,
    private readonly keyPath: string,
    knownHostKey: string,
  ) {
    writeFileSync(join(this.dir, 'known_hosts'), `${host} ${knownHostKey}\n`);
  }

  private argv(extra: string[]): string[] {
    return [
      'ssh',
      '-F',
      '/dev/null',
      '-i',
      this.keyPath,
      '-o',
      'IdentitiesOnly=yes',
      '-o',
      'BatchMode=yes',
      '-o',
      `UserKnownHostsFile=${join(this.dir, 'known_hosts')}`,
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      'LogLevel=ERROR',
      '-o',
      `ControlPath=${join(this.dir, 'cm')}`,
      '-o',
      'ControlMaster=auto',
      '-o',
      'ControlPersist=yes',
      ...extra,
      `root@${this.host}`,
    ];
  }

  async exec(command: string, options: { timeoutMs?: number } = {}): Promise<ToolRun> {
    const run = await runInNetns(this.netns, [...this.argv([]), command], {
      timeoutMs: options.timeoutMs ?? 60_000,
    });
    if (this.masterPid === undefined) {
      const check = await runInNetns(this.netns, this.argv(['-O', 'check']));
      const pid = /pid=(\d+)/.exec(check.stderr)?.[1];
      if (pid !== undefined) this.masterPid = Number(pid);
    }
    return run;
  }

  /** Ends the master connection (the doctor closes its session too, so this is timed). */
  async close(): Promise<void> {
    await runInNetns(this.netns, this.argv(['-O', 'exit']), { timeoutMs: 5000 });
    // Only if -O exit left it behind, and only the ssh we started (its pid, checked by name).
    if (this.masterPid !== undefined && commOf(this.masterPid) === 'ssh') {
      try {
        process.kill(this.masterPid, 'SIGTERM');
      } catch {
        // ended between the check and the kill
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** `tracepath -n` prints "Resume: pmtu N hops H back B" last; earlier lines carry "pmtu N" too. */
export function parseTracepathPmtu(text: string): number | undefined {
  const resume = /Resume:\s+pmtu\s+(\d+)/.exec(text)?.[1];
  if (resume !== undefined) return Number(resume);
  const all = [...text.matchAll(/pmtu\s+(\d+)/g)].map((m) => Number(m[1]));
  return all.length > 0 ? Math.min(...all) : undefined;
}

/** Jiffies of all CPUs from /proc/stat: busy and total. */
function readCpu(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

/**
 * Host-wide CPU use while `fn` runs, in percent of all cores. The lab shares the machine with
 * whatever else runs on it; a busy host slows wireguard-go and tbf's timers, not the tools.
 */
export async function withHostCpu<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; cpuPercent: number }> {
  const before = readCpu();
  const value = await fn();
  const after = readCpu();
  const total = after.total - before.total;
  return { value, cpuPercent: total > 0 ? (100 * (after.busy - before.busy)) / total : NaN };
}
