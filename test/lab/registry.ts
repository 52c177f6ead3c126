import { spawnSync } from 'node:child_process';
import {
  existsSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

/** Every lab lives under here; one directory per lab with a lab.json naming its owner and nodes. */
export const LABS_DIR = '/run/homeward-lab';

export interface LabRecord {
  id: string;
  scenario: string;
  ownerPid: number;
  /** start time of the owner in clock ticks since boot, so a reused pid is not mistaken for it */
  ownerStart: number;
  /** labs started by `npm run lab -- up` outlive their owner until `down` */
  persistent: boolean;
  nodes: Record<string, { pid: number; netnsInode: number; netns: string }>;
  startedAt: number;
}

export function processStart(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z') return undefined;
    return Number(fields[19]);
  } catch {
    return undefined;
  }
}

/** stat() of /proc/PID/ns/net follows the link to the namespace's nsfs inode. */
export function netnsInode(pid: number): number | undefined {
  try {
    return statSync(`/proc/${pid}/ns/net`).ino;
  } catch {
    return undefined;
  }
}

export function writeRecord(dir: string, record: LabRecord): void {
  writeFileSync(join(dir, 'lab.json.tmp'), JSON.stringify(record, null, 1));
  renameSync(join(dir, 'lab.json.tmp'), join(dir, 'lab.json'));
}

export function readRecord(dir: string): LabRecord | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'lab.json'), 'utf8')) as LabRecord;
  } catch {
    return undefined;
  }
}

export function listLabs(): { dir: string; record: LabRecord | undefined }[] {
  if (!existsSync(LABS_DIR)) return [];
  return readdirSync(LABS_DIR).map((id) => {
    const dir = join(LABS_DIR, id);
    return { dir, record: readRecord(dir) };
  });
}

export function ownerAlive(r: LabRecord): boolean {
  const start = processStart(r.ownerPid);
  return start !== undefined && start === r.ownerStart;
}

/** Pids whose network namespace is one of the given inodes (every process a lab node runs). */
function pidsInNetns(inodes: Set<number>): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const ino = netnsInode(Number(entry));
    if (ino !== undefined && inodes.has(ino)) pids.push(Number(entry));
  }
  return pids;
}

/**
 * Kills every process in the lab's namespaces and removes its names and files. Synchronous so it
 * can run from an 'exit' handler. Returns how many processes were killed.
 */
export function destroyLab(dir: string, record: LabRecord | undefined): number {
  let killed = 0;
  if (record !== undefined) {
    const inodes = new Set(Object.values(record.nodes).map((n) => n.netnsInode));
    for (const n of Object.values(record.nodes)) {
      spawnSync('ip', ['netns', 'delete', n.netns], { stdio: 'ignore' });
    }
    if (inodes.size > 0) {
      for (let round = 0; round < 3; round++) {
        const pids = pidsInNetns(inodes).filter((p) => p !== process.pid);
        if (pids.length === 0) break;
        for (const pid of pids) {
          try {
            process.kill(pid, 'SIGKILL');
            killed++;
          } catch {
            // already gone
          }
        }
      }
    }
  }
  rmSync(dir, { recursive: true, force: true });
  return killed;
}

/** Removes labs whose owner died (a killed test run); persistent CLI labs are left alone. */
export function cleanStaleLabs(): string[] {
  const cleaned: string[] = [];
  for (const { dir, record } of listLabs()) {
    if (record !== undefined && (record.persistent || ownerAlive(record))) continue;
    if (record === undefined) {
      // a lab.json is written before any node starts; without it only an empty dir can be left
      const age = Date.now() - statSync(dir).mtimeMs;
      if (age < 60_000) continue;
    }
    destroyLab(dir, record);
    cleaned.push(dir);
  }
  return cleaned;
}
