import { describe, expect, it } from 'vitest';
import type { AppError } from '../../../shared/errors';
import type { FieldError } from '../../../shared/setup';
import type { SetupProgress } from '../../../shared/setup-run';
import type { SshSession } from '../../adapters/ssh/index';
import type { SecretStore } from '../../adapters/storage/secret-store';
import { expectChineseFor } from '../../core/localized-text.test-support';
import type { EndPlan } from '../../core/setup/plan-setup';
import { armAndStart, confirm, newEndRun, rollBackAndVerify, verifyApplied } from './apply-end';
import type { EndIo } from './apply-end';
import { authForTarget } from './connect';
import type { ConnectTarget, SetupDeps } from './connect';
import { readEndFacts } from './facts';
import { measureUnderlay } from './measure-underlay';
import { applyFix } from './run-fix';
import { applySetup } from './run-setup';
import {
  endReport,
  fieldInvalid,
  noteProgress,
  rollbackOutOfRange,
  stepProgress,
  uncommittedChanges,
} from './setup-text';
import { signIn } from './sign-in';

function expectBoth(error: AppError, where: string, mustContain: string[] = []): void {
  const zh = error.localized?.['zh-CN'];
  expectChineseFor(error.message, zh?.message, `${where} message`);
  if (error.fix !== undefined) expectChineseFor(error.fix, zh?.fix, `${where} fix`);
  for (const s of mustContain) expect(zh?.message, `${where} names ${s}`).toContain(s);
}

function expectProgress(p: SetupProgress | undefined, where: string): void {
  if (!p || p.kind === 'countdown') throw new Error(`${where}: no message`);
  expectChineseFor(p.message, p.localized?.['zh-CN'], where);
}

const target: ConnectTarget = {
  host: '192.168.8.1',
  port: 22,
  user: 'root',
  auth: { kind: 'agent' },
  knownHostsFile: '/data/known_hosts',
  acceptNewHostKey: false,
};
const hostKey = { keyType: 'ssh-ed25519', keyBase64: 'AAAA', fingerprint: 'SHA256:pinned' };
const plan = {
  batch: 'set network.wg0.mtu=1420\ncommit network\n',
  reloads: ['/etc/init.d/network reload', 'wifi reload'],
  previews: [{ config: 'network' }],
  after: {},
} as unknown as EndPlan;

/** A session answering each command by the first pattern it contains. */
function scripted(answers: [RegExp, string][]): SshSession {
  return {
    closed: false,
    exec: (command: string) => {
      const hit = answers.find(([pattern]) => pattern.test(command));
      return Promise.resolve(
        hit
          ? { stdout: hit[1], stderr: '', code: 0, timedOut: false, cancelled: false }
          : { stdout: '', stderr: 'no such command', code: 1, timedOut: false, cancelled: false },
      );
    },
    writeFile: () => Promise.resolve({ ok: true, value: undefined }),
    close: () => Promise.resolve(),
  } as unknown as SshSession;
}

function recordingIo(progress: SetupProgress[], connect?: SetupDeps['connect']): EndIo {
  let now = 0;
  return {
    deps: {
      defaultKnownHosts: '/data/known_hosts',
      connect:
        connect ??
        (() => Promise.resolve({ ok: false, error: { kind: 'connect-timeout', message: 'x' } })),
    } as unknown as SetupDeps,
    onProgress: (p) => progress.push(p),
    now: () => now,
    sleep: (ms) => {
      now += Math.max(ms, 1000);
      return Promise.resolve();
    },
  };
}

describe('setup texts in Simplified Chinese', () => {
  it('the shared errors keep their numbers and ends', () => {
    const rollback = rollbackOutOfRange(5);
    expect(rollback).toMatchObject({
      field: 'rollbackS',
      message: 'The rollback time 5 s is out of range.',
    });
    expectBoth(rollback, 'rollback', ['5']);
    for (const end of ['router', 'home'] as const) {
      const pending = uncommittedChanges(end, 'network.lan.ipaddr=10.0.0.1\nwireless.x=y');
      expectBoth(pending, `uncommitted ${end}`, [end === 'router' ? '路由器' : '家里的路由器']);
      expect(pending.detail).toEqual({ changes: ['network.lan.ipaddr=10.0.0.1', 'wireless.x=y'] });
    }
  });

  it('a field error keeps its field and uses the validator Chinese', () => {
    const errors: FieldError[] = [
      {
        field: 'vxlan.vid',
        message: '-1 is not a VXLAN id.',
        fix: 'Use a whole number from 0 to 16777215 (e.g. 8).',
        localized: {
          'zh-CN': {
            message: '-1 不是有效的 VXLAN ID。',
            fix: '请使用 0 到 16777215 之间的整数（例如 8）。',
          },
        },
      },
    ];
    const error = fieldInvalid(errors, true);
    expect(error).toMatchObject({
      kind: 'invalid-request',
      field: 'vxlan.vid',
      message: 'vxlan.vid: -1 is not a VXLAN id.',
      detail: { errors },
    });
    expectBoth(error, 'field', ['vxlan.vid']);
    const bare = fieldInvalid([{ field: 'mtu', message: 'bad', fix: 'fix it' }], false);
    expect(bare.localized).toBeUndefined();
    expect(bare.detail).toBeUndefined();
  });

  it('progress and end reports carry both texts', () => {
    expectProgress(
      stepProgress('router', 'connect', { en: 'Connecting to 10.0.0.1', zh: '正在连接 10.0.0.1' }),
      'step',
    );
    expectProgress(noteProgress('home', { en: 'Note 5', zh: '备注 5' }), 'note');
    const report = endReport('home', 'rolled-back', { en: 'Back 1', zh: '已回 1' }, true);
    expect(report).toEqual({
      end: 'home',
      outcome: 'rolled-back',
      verified: true,
      message: 'Back 1',
      localized: { 'zh-CN': '已回 1' },
    });
  });
});

describe('use case errors in Simplified Chinese', () => {
  const noConnect = {
    connect: () => {
      throw new Error('must not connect');
    },
  } as unknown as SetupDeps;

  it('setup and fix refuse a rollback time out of range', async () => {
    const setup = await applySetup(
      { rollbackS: 4000 } as unknown as Parameters<typeof applySetup>[0],
      noConnect,
    );
    if (setup.ok) throw new Error('must fail');
    expectBoth(setup.error, 'setup rollback', ['4000']);
    const fix = await applyFix(
      { rollbackS: 3, remedy: { kind: 'home-dhcp-mtu', end: 'home', mtu: 1370 } } as never,
      noConnect,
    );
    if (fix.ok) throw new Error('must fail');
    expectBoth(fix.error, 'fix rollback', ['3']);
  });

  it('a fix without the SSH access it needs says which router', async () => {
    const home = await applyFix(
      { rollbackS: 120, remedy: { kind: 'home-dhcp-mtu', end: 'home', mtu: 1370 } } as never,
      noConnect,
    );
    if (home.ok) throw new Error('must fail');
    expectBoth(home.error, 'fix home', ['家里的路由器']);
  });

  it('sign-in refuses an empty password', async () => {
    const result = await signIn(
      { host: '192.168.8.1', port: 22, user: 'root', password: '', acceptNewHostKey: false },
      noConnect,
    );
    if (result.ok) throw new Error('must fail');
    expectBoth(result.error, 'empty password');
  });

  it('the measure refuses an endpoint that is not a host, naming it', async () => {
    const result = await measureUnderlay(
      {
        router: { host: '192.168.8.1', port: 22, user: 'root', acceptNewHostKey: false },
        endpointHost: 'a b',
      },
      noConnect,
    );
    if (result.ok) throw new Error('must fail');
    expectBoth(result.error, 'endpoint', ['a b']);
  });

  it('authForTarget explains a missing key file and a missing key', async () => {
    const secrets = { read: () => Promise.resolve(undefined) } as unknown as SecretStore;
    const ssh = { host: '192.168.8.1', port: 22, user: 'root', acceptNewHostKey: false };
    const file = await authForTarget(
      { ...ssh, identityFile: '/nonexistent/id_9' },
      secrets,
      'router',
    );
    if (file.ok) throw new Error('must fail');
    expectBoth(file.error, 'identity file', ['/nonexistent/id_9']);
    const saved = process.env['SSH_AUTH_SOCK'];
    delete process.env['SSH_AUTH_SOCK'];
    try {
      const none = await authForTarget(ssh, secrets, 'home');
      if (none.ok) throw new Error('must fail');
      expect(none.error.field).toBe('home');
      expectBoth(none.error, 'no key', ['192.168.8.1']);
    } finally {
      if (saved !== undefined) process.env['SSH_AUTH_SOCK'] = saved;
    }
    const unreadable = {
      read: () => Promise.reject(new Error('mode 0644 is too open')),
    } as unknown as SecretStore;
    const perms = await authForTarget(ssh, unreadable, 'router');
    if (perms.ok) throw new Error('must fail');
    expectBoth(perms.error, 'key permissions', ['0644']);
  });

  it('reading an end that answers nothing, or without a network config', async () => {
    const silent = await readEndFacts(scripted([]), 'home router');
    if (silent.ok) throw new Error('must fail');
    expectBoth(silent.error, 'silent', ['家里的路由器']);
    const bare = await readEndFacts(scripted([[/uci/, 'opkg\n']]), 'router');
    if (bare.ok) throw new Error('must fail');
    expectBoth(bare.error, 'no network', ['/etc/config/network']);
  });
});

describe('an end applied with rollback speaks both languages', () => {
  it('snapshot, arm (with its seconds) and apply', async () => {
    const progress: SetupProgress[] = [];
    const run = newEndRun('home', target, plan, {}, hostKey, 95, 'a1b2c3');
    const session = scripted([
      [/prepared|mkdir/, 'prepared\n'],
      [/runner\.sh/, 'pid 4242\napplying 1000\nnow 900\n'],
    ]);
    const armed = await armAndStart(session, run, recordingIo(progress));
    expect(armed.ok).toBe(true);
    expect(progress.map((p) => (p.kind === 'step' ? p.step : p.kind))).toEqual([
      'snapshot',
      'arm',
      'apply',
    ]);
    for (const p of progress) expectProgress(p, `step ${p.kind === 'step' ? p.step : ''}`);
    const arm = progress[1];
    expect(arm?.kind === 'step' && arm.localized?.['zh-CN']).toContain('家里的路由器');
  });

  it('an earlier apply still waiting, and a snapshot that fails', async () => {
    const run = newEndRun('router', target, plan, {}, hostKey, 120, 'b2c3d4');
    const busy = await armAndStart(scripted([[/./, 'busy 17 s left\n']]), run, recordingIo([]));
    if (busy.ok) throw new Error('must fail');
    expectBoth(busy.error, 'busy', ['17 s left']);
    const broken = await armAndStart(scripted([]), run, recordingIo([]));
    if (broken.ok) throw new Error('must fail');
    expectBoth(broken.error, 'snapshot', ['/etc/config']);
  });

  it('verify, confirm and a rollback that cannot be checked', async () => {
    const run = newEndRun('router', target, plan, {}, hostKey, 120, 'c3d4e5');
    const progress: SetupProgress[] = [];
    const refused = await verifyApplied(
      scripted([[/state/, 'rolled-back batch-failed\nbatch-error line 3: bad option\n']]),
      run,
      recordingIo(progress),
    );
    if (refused.ok) throw new Error('must fail');
    expectChineseFor(refused.message, refused.zh, 'batch refused');
    expect(refused.zh).toContain('line 3: bad option');
    expectProgress(progress[0], 'verify step');
    const silent = await verifyApplied(scripted([]), run, recordingIo([]));
    if (silent.ok) throw new Error('must fail');
    expectChineseFor(silent.message, silent.zh, 'no status');

    const late = await confirm(scripted([[/./, 'too-late 7\n']]), run, recordingIo([]));
    expect(late.ok).toBe(false);
    expectChineseFor(late.message, late.zh, 'late');

    const rollProgress: SetupProgress[] = [];
    run.deadlineMs = 0;
    const report = await rollBackAndVerify(run, recordingIo(rollProgress), undefined, {
      en: 'Cancelled: rolled back on request.',
      zh: '已取消：按要求回滚。',
    });
    expect(report).toMatchObject({ end: 'router', outcome: 'rolled-back', verified: false });
    expect(report.message).toBe(
      'Cancelled: rolled back on request. The router should have restored its old configuration, but Homeward could not reach it at 192.168.8.1 to check.',
    );
    expectChineseFor(report.message, report.localized?.['zh-CN'], 'unverified rollback');
    expect(report.localized?.['zh-CN']).toContain('192.168.8.1');
    expectProgress(rollProgress[0], 'rollback step');
  });
});
