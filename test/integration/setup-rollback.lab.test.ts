import { spawnSync } from 'node:child_process';
import { afterEach, expect, it } from 'vitest';
import { describeLab } from '../lab/describe-lab';
import { startLab } from '../lab/index';
import type { Lab } from '../lab/index';
import { tempDataDir } from './doctor-harness';
import { labIntent, routerExports, runCli, writeIntent } from './setup-harness';

// What happens when an apply goes wrong: the router must end with its old config or the new
// one, whole, whatever the laptop does.

let lab: Lab | undefined;
let data: ReturnType<typeof tempDataDir> | undefined;

afterEach(async () => {
  await lab?.stop();
  lab = undefined;
  data?.cleanup();
  data = undefined;
});

async function up(): Promise<Lab> {
  lab = await startLab('fresh-router');
  data = tempDataDir();
  return lab;
}

function applyArgs(l: Lab, intentFile: string, rollbackS: number): string[] {
  return [
    'setup',
    'apply',
    '--router',
    l.lanAddress('router'),
    '--identity',
    l.keyPath,
    '--known-hosts',
    `${data!.dir}/known_hosts`,
    '--accept-new-host-key',
    '--intent',
    intentFile,
    '--rollback-s',
    String(rollbackS),
    '--json',
  ];
}

async function runnerState(l: Lab): Promise<string> {
  const r = await l.exec('router', 'cat /tmp/homeward-apply-*/state 2>/dev/null');
  return r.stdout.trim();
}

/** OpenSSH from the laptop's network (host files: the lab key) to the router's LAN address. */
function sshWorks(l: Lab): boolean {
  const host = l.lanAddress('router');
  const r = spawnSync(
    'ip',
    [
      'netns',
      'exec',
      l.netns('laptop'),
      'ssh',
      '-o',
      'BatchMode=yes',
      '-o',
      'StrictHostKeyChecking=no',
      '-o',
      'UserKnownHostsFile=/dev/null',
      '-o',
      'ConnectTimeout=3',
      '-i',
      l.keyPath,
      `root@${host}`,
      'uci get network.lan.ipaddr',
    ],
    { encoding: 'utf8', timeout: 15_000 },
  );
  return r.status === 0 && r.stdout.trim() === host;
}

describeLab('setup rollback on the fresh-router lab', () => {
  it('a plan that moves the LAN away from the laptop is rolled back in time, byte for byte', async () => {
    const l = await up();
    const before = await routerExports(l);
    const intent = labIntent();
    intent.travel.lanAddress = '192.168.77.1/24';
    const intentFile = writeIntent(data!.dir, intent);
    const rollbackS = 20;
    const t0 = Date.now();
    const run = await runCli(l, data!.dir, applyArgs(l, intentFile, rollbackS), {
      timeoutMs: 150_000,
    });
    const elapsedS = (Date.now() - t0) / 1000;
    expect(run.json?.outcome, run.stderr + run.stdout).toBe('rolled-back');
    expect(run.code).toBe(1);
    const router = run.json!.ends.find((e) => e.end === 'router')!;
    expect(router).toMatchObject({ outcome: 'rolled-back', verified: true });
    expect(router.message).toContain('could not reach 192.168.77.1');
    expect(run.stderr).toContain('router: Connecting again to 192.168.77.1');
    expect(run.stderr).toMatch(/router: rollback in \d+ s/);
    // The CLI waited for the rollback and then checked it: within the rollback time plus the
    // reload and reconnect, not minutes later.
    expect(elapsedS).toBeGreaterThan(rollbackS);
    expect(elapsedS).toBeLessThan(rollbackS + 40);
    expect(await routerExports(l)).toBe(before);
    expect(sshWorks(l)).toBe(true);
    expect((await l.exec('router', 'ls -d /tmp/homeward-apply-* 2>/dev/null')).stdout).toBe('');
  });

  it('the CLI killed right after the batch starts: new config whole, then the old one back whole', async () => {
    const l = await up();
    const old = await routerExports(l);
    const intentFile = writeIntent(data!.dir, labIntent());
    const rollbackS = 15;
    const killed = await runCli(l, data!.dir, applyArgs(l, intentFile, rollbackS), {
      onStderr: (all, kill) => {
        if (all.includes('router: Writing the changes with uci batch')) kill();
      },
    });
    expect(killed.killed, killed.stderr).toBe(true);
    // The router carries on by itself: the changes go in whole ...
    let mid = '';
    for (let i = 0; i < 100; i++) {
      if ((await runnerState(l)).startsWith('applied')) {
        mid = await routerExports(l);
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(mid).not.toBe('');
    expect(mid).not.toBe(old);
    // ... and with nobody to confirm them they are undone, whole, at the deadline.
    let state = '';
    for (let i = 0; i < 60 && !state.startsWith('rolled-back'); i++) {
      await new Promise((r) => setTimeout(r, 1000));
      state = await runnerState(l);
    }
    expect(state).toBe('rolled-back timeout');
    expect(await routerExports(l)).toBe(old);
    expect(sshWorks(l)).toBe(true);

    // The config seen while it waited is exactly what a completed apply leaves.
    await l.execOk('router', 'rm -rf /tmp/homeward-apply-*');
    const full = await runCli(l, data!.dir, applyArgs(l, intentFile, 60));
    expect(full.json?.outcome, full.stderr).toBe('applied');
    expect(await routerExports(l)).toBe(mid);
  });
});
