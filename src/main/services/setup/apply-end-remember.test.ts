import { describe, expect, it } from 'vitest';
import type { SshSession } from '../../adapters/ssh/index';
import type { EndPlan } from '../../core/setup/plan-setup';
import type { RouterSighting } from '../../core/router/remembered';
import { confirm, newEndRun } from './apply-end';
import type { EndIo } from './apply-end';
import type { ConnectTarget, SetupDeps } from './connect';

const hostKey = {
  keyType: 'ssh-ed25519',
  keyBase64: 'AAAAC3NzaC1lZDI1NTE5AAAAIG0fQn6Nq2rWm0kYbzj1Zb3D3m1E2lD8yq3JXh1cC4bZ',
  fingerprint: 'SHA256:pinned',
};

const target: ConnectTarget = {
  host: '192.168.1.1',
  port: 22,
  user: 'root',
  auth: { kind: 'agent' },
  knownHostsFile: '/data/known_hosts',
  acceptNewHostKey: false,
};

function session(answer: string): SshSession {
  return {
    exec: () =>
      Promise.resolve({ stdout: answer, stderr: '', code: 0, timedOut: false, cancelled: false }),
  } as unknown as SshSession;
}

function io(routerSeen: SetupDeps['routerSeen']): EndIo {
  const deps = {
    defaultKnownHosts: '/data/known_hosts',
    ...(routerSeen ? { routerSeen } : {}),
  } as unknown as SetupDeps;
  return {
    deps,
    onProgress: () => undefined,
    now: () => 0,
    sleep: () => Promise.resolve(),
  };
}

const plan = {} as EndPlan;

describe('a confirmed apply remembers the travel router', () => {
  it('at the address it answers on after the apply, with the key it showed', async () => {
    const seen: RouterSighting[] = [];
    const run = newEndRun('router', target, plan, {}, hostKey, 120, 'a1b2c3', '192.168.8.1');
    const result = await confirm(
      session('confirmed\n'),
      run,
      io((s) => {
        seen.push(s);
        return Promise.resolve();
      }),
    );
    expect(result.ok).toBe(true);
    expect(seen).toEqual([
      {
        host: '192.168.8.1',
        port: 22,
        user: 'root',
        hostKeyFingerprint: 'SHA256:pinned',
        seenBy: 'setup',
      },
    ]);
  });

  it('not home, not a late confirmation; a failing store does not fail the confirmation', async () => {
    const seen: RouterSighting[] = [];
    const record = (s: RouterSighting) => {
      seen.push(s);
      return Promise.resolve();
    };
    await confirm(
      session('confirmed\n'),
      newEndRun('home', target, plan, {}, hostKey, 120, 'b2c3d4'),
      io(record),
    );
    const late = await confirm(
      session('state rolled-back\n'),
      newEndRun('router', target, plan, {}, hostKey, 120, 'c3d4e5'),
      io(record),
    );
    expect(late.ok).toBe(false);
    expect(seen).toEqual([]);
    const broken = await confirm(
      session('confirmed\n'),
      newEndRun('router', target, plan, {}, hostKey, 120, 'd4e5f6'),
      io(() => Promise.reject(new Error('disk full'))),
    );
    expect(broken).toEqual({ ok: true, message: 'Applied and confirmed.', zh: '已应用并确认。' });
  });
});
