import { mkdtempSync, readFileSync, readlinkSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { DoctorReport } from '../../src/shared/doctor';
import type { Lab } from '../lab/index';

export const projectRoot = path.resolve(import.meta.dirname, '../..');
const cli = path.join(projectRoot, 'bin/homeward.js');

export interface DoctorRun {
  code: number;
  stdout: string;
  stderr: string;
  json?: DoctorReport & { error?: { kind: string; message: string } };
}

/** A private data dir and known_hosts for one test: nothing touches the user's own. */
export function tempDataDir(): { dir: string; knownHosts: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'homeward-doctor-'));
  return {
    dir,
    knownHosts: path.join(dir, 'known_hosts'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function doctorArgs(lab: Lab, knownHosts: string, extra: string[] = []): string[] {
  return [
    'doctor',
    '--router',
    lab.lanAddress('router'),
    '--identity',
    lab.keyPath,
    '--known-hosts',
    knownHosts,
    '--accept-new-host-key',
    ...extra,
  ];
}

/**
 * Starts the built CLI in the laptop's network namespace, as Homeward runs on the user's computer:
 * the laptop's network, the host's files (its data dir, the lab key).
 */
export function spawnCli(lab: Lab, dataDir: string, args: string[]): ChildProcess {
  return spawn('ip', ['netns', 'exec', lab.netns('laptop'), process.execPath, cli, ...args], {
    env: { ...process.env, HOMEWARD_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export async function runDoctorCli(
  lab: Lab,
  dataDir: string,
  args: string[],
  timeoutMs = 120_000,
): Promise<DoctorRun> {
  const child = spawnCli(lab, dataDir, args);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  clearTimeout(timer);
  let json: DoctorRun['json'];
  if (args.includes('--json')) {
    try {
      json = JSON.parse(stdout) as DoctorRun['json'];
    } catch {
      json = undefined;
    }
  }
  return { code, stdout, stderr, ...(json ? { json } : {}) };
}

/** Processes named `name` living in the network namespace of a lab node (PIDs are shared). */
export function processesInNode(
  lab: Lab,
  node: string,
  names: string[],
): { pid: number; name: string }[] {
  const nodeNs = `net:[${statSync(`/run/netns/${lab.netns(node)}`).ino}]`;
  const found: { pid: number; name: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      // A zombie has exited; PID 1 here reaps orphans only every ~2 s (lab facts).
      const state = /\) (\S)/.exec(readFileSync(`/proc/${entry}/stat`, 'utf8'))?.[1];
      if (state === 'Z') continue;
      const match = names.find((n) => comm === n);
      if (!match) continue;
      if (readlinkSync(`/proc/${entry}/ns/net`) === nodeNs)
        found.push({ pid: Number(entry), name: match });
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}
