import { spawnSync, spawn } from 'node:child_process';
import { appendFileSync, closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], input?: string): RunResult {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input: input ?? '' });
  if (r.error) return { code: 127, stdout: '', stderr: `${cmd}: ${r.error.message}\n` };
  return { code: r.status ?? 128, stdout: r.stdout, stderr: r.stderr };
}

export class CommandError extends Error {}

export function runOk(cmd: string, args: string[], input?: string): string {
  const r = run(cmd, args, input);
  if (r.code !== 0) {
    throw new CommandError(`${cmd} ${args.join(' ')}: ${r.stderr.trim() || `exit ${r.code}`}`);
  }
  return r.stdout;
}

export function ip(...args: string[]): string {
  return runOk('ip', args);
}

export interface IpLink {
  ifname: string;
  mtu: number;
  address?: string;
  master?: string;
  operstate?: string;
  flags?: string[];
  linkinfo?: { info_kind?: string; info_data?: Record<string, unknown> };
}

export function links(): IpLink[] {
  return JSON.parse(ip('-j', '-d', 'link', 'show')) as IpLink[];
}

export function linkExists(name: string): boolean {
  return run('ip', ['link', 'show', 'dev', name]).code === 0;
}

export interface IpAddrInfo {
  ifname: string;
  addr_info: { family: string; local: string; prefixlen: number; dynamic?: boolean }[];
}

export function ipv4Addrs(dev: string): string[] {
  const r = run('ip', ['-j', '-4', 'addr', 'show', 'dev', dev]);
  if (r.code !== 0) return [];
  const infos = JSON.parse(r.stdout) as IpAddrInfo[];
  return (infos[0]?.addr_info ?? []).map((a) => `${a.local}/${a.prefixlen}`);
}

export function logLine(tag: string, message: string): void {
  try {
    mkdirSync('/tmp/log', { recursive: true });
    // syslog's ctime layout, as OpenWrt's logread prints it: 'Wed Nov 25 13:59:11 2026'
    const [wd, mon, day, year, time] = new Date().toString().split(' ');
    const stamp = `${wd} ${mon} ${day} ${time} ${year}`;
    appendFileSync('/tmp/log/messages', `${stamp} daemon.notice ${tag}: ${message}\n`);
  } catch {
    // logging must never break a reload
  }
}

/** Starts a daemon in its own session with output in /tmp/log/<logName>.log; returns its pid. */
export function startDaemon(
  cmd: string,
  args: string[],
  logName: string,
  env?: Record<string, string>,
): number {
  mkdirSync('/tmp/log', { recursive: true });
  const fd = openSync(`/tmp/log/${logName}.log`, 'a');
  const child = spawn(cmd, args, {
    detached: true,
    stdio: ['ignore', fd, fd],
    env: { ...process.env, ...env },
  });
  closeSync(fd);
  child.unref();
  if (child.pid === undefined) throw new CommandError(`${cmd}: could not start`);
  return child.pid;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // PID 1 here reaps orphans late: a zombie counts as exited
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

export function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** A reader closing the pipe early (`| head`) ends the tool quietly, as for a C program. */
export function exitQuietlyOnEpipe(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}
