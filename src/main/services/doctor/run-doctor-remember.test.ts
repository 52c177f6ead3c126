import { describe, expect, it } from 'vitest';
import type { DoctorRequest } from '../../../shared/doctor';
import { ok } from '../../../shared/result';
import type { ExecResult } from '../../adapters/ssh/index';
import type { RouterSighting } from '../../core/router/remembered';
import { sectionMark } from './remote';
import type { DoctorDeps, RouterConnection } from './run-doctor';
import { runDoctor } from './run-doctor';

const request: DoctorRequest = {
  router: {
    host: '192.168.8.1',
    port: 2222,
    user: 'root',
    identityFile: '/keys/lab',
    acceptNewHostKey: false,
  },
  targetMbps: 100,
  durationS: 1,
  quick: true,
  saveHistory: false,
  packetBytes: 1200,
};

/** Answers the basics (ubus board first) and nothing else. */
const router: RouterConnection = {
  hostKey: { fingerprint: 'SHA256:pinned' },
  exec: (command: string): Promise<ExecResult> =>
    Promise.resolve({
      stdout: command.startsWith('{ ubus call system board')
        ? `{"hostname":"JCG_Q30P","model":"JCG Q30 PRO","release":{"description":"OpenWrt 23.05.5"}}\n${sectionMark}\n`
        : '',
      stderr: '',
      code: command.startsWith('{ ubus') ? 0 : 127,
      timedOut: false,
      cancelled: false,
    }),
  writeFile: () => Promise.resolve(ok(undefined)),
  close: () => Promise.resolve(),
};

function deps(routerSeen: DoctorDeps['routerSeen']): DoctorDeps {
  return {
    connectRouter: () => Promise.resolve(ok(router)),
    local: () => Promise.resolve({ stdout: '', stderr: '', code: 1 }),
    localOs: 'linux',
    localNetwork: () => Promise.resolve(undefined),
    tcpReachable: () => Promise.resolve(false),
    now: () => Date.now(),
    ...(routerSeen ? { routerSeen } : {}),
  };
}

const ctx = () => ({ runId: 'r', signal: new AbortController().signal });

describe('the doctor remembers the router it reached', () => {
  it('with what it read: host, port, user, key file, pinned fingerprint, model, release', async () => {
    const seen: RouterSighting[] = [];
    const result = await runDoctor(
      request,
      deps((s) => {
        seen.push(s);
        return Promise.resolve();
      }),
      ctx(),
    );
    expect(result.ok).toBe(true);
    expect(seen).toEqual([
      {
        host: '192.168.8.1',
        port: 2222,
        user: 'root',
        identityFile: '/keys/lab',
        hostKeyFingerprint: 'SHA256:pinned',
        hostname: 'JCG_Q30P',
        model: 'JCG Q30 PRO',
        release: 'OpenWrt 23.05.5',
        seenBy: 'doctor',
      },
    ]);
  });

  it('a store that fails (rejects or throws) does not fail the run', async () => {
    const rejecting = await runDoctor(
      request,
      deps(() => Promise.reject(new Error('disk full'))),
      ctx(),
    );
    expect(rejecting.ok).toBe(true);
    const throwing = await runDoctor(
      request,
      deps(() => {
        throw new Error('bug');
      }),
      ctx(),
    );
    expect(throwing.ok).toBe(true);
  });
});
