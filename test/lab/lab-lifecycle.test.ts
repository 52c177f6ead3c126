import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeLab } from './describe-lab';
import { cleanStaleLabs, startLab } from './index';
import { netnsInode } from './registry';
import type { LabRecord } from './registry';

const FIXTURE = join(import.meta.dirname, 'lifecycle-fixture.ts');

function startOwner(): Promise<{ pid: number; id: string; dir: string; record: LabRecord }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^(\S+) (\S+)\n/.exec(out);
      if (m?.[1] !== undefined && m[2] !== undefined && child.pid !== undefined) {
        const record = JSON.parse(readFileSync(join(m[2], 'lab.json'), 'utf8')) as LabRecord;
        resolve({ pid: child.pid, id: m[1], dir: m[2], record });
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => reject(new Error(`owner exited ${code}: ${err}`)));
  });
}

/** Live processes still in any of the lab's network namespaces. */
function survivors(record: LabRecord): number {
  const inodes = new Set(Object.values(record.nodes).map((n) => n.netnsInode));
  let n = 0;
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const ino = netnsInode(Number(e));
    if (ino === undefined || !inodes.has(ino)) continue;
    try {
      if (/\) Z /.test(readFileSync(`/proc/${e}/stat`, 'utf8'))) continue;
    } catch {
      continue;
    }
    n++;
  }
  return n;
}

async function gone(dir: string, record: LabRecord, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const netnsLeft = Object.values(record.nodes).some((n) => existsSync(`/run/netns/${n.netns}`));
    if (!existsSync(dir) && !netnsLeft && survivors(record) === 0) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

describeLab('lab lifecycle', () => {
  it('runs two labs side by side without collisions', async () => {
    const [a, b] = await Promise.all([startLab('default'), startLab('default')]);
    try {
      expect(a.id).not.toBe(b.id);
      expect(await a.handshakeAge('router')).toBeLessThan(30);
      expect(await b.handshakeAge('router')).toBeLessThan(30);
      expect((await a.exec('laptop', 'ping -n -c 1 -W 1 10.0.31.1')).code).toBe(0);
      expect((await b.exec('laptop', 'ping -n -c 1 -W 1 10.0.31.1')).code).toBe(0);
    } finally {
      await a.stop();
      await b.stop();
    }
    expect(existsSync(a.dir) || existsSync(b.dir)).toBe(false);
  });

  it('tears a lab down when its owner gets SIGTERM', async () => {
    const owner = await startOwner();
    process.kill(owner.pid, 'SIGTERM');
    expect(await gone(owner.dir, owner.record, 5000)).toBe(true);
  });

  it('cleans a lab whose owner was SIGKILLed before the next one starts', async () => {
    const owner = await startOwner();
    process.kill(owner.pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    expect(existsSync(owner.dir)).toBe(true);
    expect(survivors(owner.record)).toBeGreaterThan(5);
    expect(cleanStaleLabs()).toContain(owner.dir);
    expect(await gone(owner.dir, owner.record, 3000)).toBe(true);
  });
});
