import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture } from '../../../test/fixtures/read-fixture';
import type { AppError } from '../../shared/errors';
import { appError } from '../../shared/errors';
import type { Result } from '../../shared/result';
import { fail, ok } from '../../shared/result';
import type { ExecResult } from '../adapters/ssh/index';
import { createRouterStore, routerStorePath } from '../adapters/storage/router-store';
import type { RouterStore } from '../adapters/storage/router-store';
import { routerStatusCommands } from '../core/router/router-status';
import { sectionMark } from './doctor/remote';
import type { RouterConnection } from './doctor/run-doctor';
import { createRouterService, validateStatusRequest } from './router-service';
import type { RouterServiceDeps } from './router-service';

let dir: string;
let store: RouterStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'homeward-router-service-'));
  store = createRouterStore(routerStorePath(dir));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const outputs: Record<(typeof routerStatusCommands)[number], string> = {
  'ubus call system board': fixture('ubus/system-board-mt7621-unielec-u7621-06-21.02.1.json'),
  'cat /etc/openwrt_release': '',
  'cat /proc/sys/kernel/hostname': 'OpenWrt\n',
  'uci export network': '',
  'wg show all dump': fixture('wg/wg-show-all-dump-wireguard-go-lab-router-wg0.txt'),
  'ip -j addr show': fixture('ip/ip-j-addr-iproute2-6.1-lab-router-br-lan2-vxlan0.json'),
  [routerStatusCommands[6]]: '',
  'date +%s': '1795624030\n',
};

/** A router answering the status script in one exec, as the SSH session would. */
function fakeRouter(log: string[]): RouterConnection {
  return {
    hostKey: { fingerprint: 'SHA256:lab' },
    exec: (command: string): Promise<ExecResult> => {
      log.push(command);
      const stdout = routerStatusCommands.map((c) => outputs[c]).join(`${sectionMark}\n`);
      return Promise.resolve({ stdout, stderr: '', code: 0, timedOut: false, cancelled: false });
    },
    writeFile: () => Promise.resolve(ok(undefined)),
    close: () => {
      log.push('close');
      return Promise.resolve();
    },
  };
}

function service(connect: RouterServiceDeps['connect']) {
  const targets: unknown[] = [];
  const svc = createRouterService(() => ({
    store,
    connect: (target, signal) => {
      targets.push(target);
      return connect(target, signal);
    },
    now: () => new Date('2026-11-25T12:00:00.000Z'),
  }));
  return { svc, targets };
}

describe('router service', () => {
  it('without a remembered router: not-found with the way to add one', async () => {
    const { svc } = service(() => Promise.reject(new Error('must not connect')));
    const result = await svc.status({});
    expect(result).toMatchObject({ ok: false, error: { kind: 'not-found' } });
    expect((await svc.list()).ok && (await svc.list())).toMatchObject({ value: { routers: [] } });
  });

  it('reads the most recent router over one connection with its remembered key and pins', async () => {
    await store.remember({
      host: '192.168.8.1',
      port: 2222,
      user: 'admin',
      identityFile: '/keys/lab',
      knownHostsFile: '/keys/known_hosts',
      seenBy: 'doctor',
    });
    const log: string[] = [];
    const { svc, targets } = service(() => Promise.resolve(ok(fakeRouter(log))));
    const result = await svc.status({});
    if (!result.ok) throw new Error(result.error.message);
    expect(targets).toEqual([
      {
        host: '192.168.8.1',
        port: 2222,
        user: 'admin',
        identityFile: '/keys/lab',
        knownHostsFile: '/keys/known_hosts',
        acceptNewHostKey: false,
      },
    ]);
    expect(log).toHaveLength(2);
    expect(log[1]).toBe('close');
    expect(result.value).toMatchObject({
      schema: 'homeward.router/1',
      host: '192.168.8.1',
      hostname: 'OpenWrt',
      model: 'UniElec U7621-06 (16M flash)',
      signedIn: true,
      hostKeyFingerprint: 'SHA256:lab',
      tunnel: { state: 'connected', handshakeAgeS: 11, peerEndpoint: '192.0.2.2:51820' },
      bridge: { state: 'up', address: '192.168.35.170/24' },
      measuredAt: '2026-11-25T12:00:00.000Z',
    });
    // What the router said is remembered for the card's next start.
    const [remembered] = (await store.list()).routers;
    expect(remembered).toMatchObject({
      model: 'UniElec U7621-06 (16M flash)',
      hostKeyFingerprint: 'SHA256:lab',
      identityFile: '/keys/lab',
      seenBy: 'status',
    });
  });

  it('a key that does not sign in is a status (signedIn false), not an error', async () => {
    await store.remember({
      host: '192.168.8.1',
      port: 22,
      user: 'root',
      model: 'X',
      seenBy: 'sign-in',
    });
    const refused: AppError = appError('auth-failed', '192.168.8.1 did not accept the sign-in.', {
      fix: 'Sign in again.',
    });
    const { svc } = service(() => Promise.resolve(fail(refused)));
    const result = await svc.status({});
    expect(result).toMatchObject({
      ok: true,
      value: {
        signedIn: false,
        model: 'X',
        signInProblem: { kind: 'auth-failed', fix: 'Sign in again.' },
      },
    });
    expect(result.ok && result.value.tunnel).toBe(undefined);
  });

  it('host key errors and unreachable routers stay errors, as the doctor reports them', async () => {
    for (const kind of ['host-key-unknown', 'host-key-changed', 'connect-timeout'] as const) {
      const { svc } = service(() =>
        Promise.resolve(fail(appError(kind, 'no')) as Result<RouterConnection, AppError>),
      );
      expect(await svc.status({ host: '192.168.8.1' })).toMatchObject({
        ok: false,
        error: { kind },
      });
    }
  });
});

describe('validateStatusRequest', () => {
  it('accepts an empty request and a full one, refuses wrong types and shell text', () => {
    expect(validateStatusRequest(undefined)).toEqual({ ok: true, value: {} });
    expect(validateStatusRequest({ host: ' 10.0.0.1 ', port: 2222, user: 'root' })).toEqual({
      ok: true,
      value: { host: '10.0.0.1', port: 2222, user: 'root' },
    });
    expect(validateStatusRequest({ port: '22' })).toMatchObject({
      ok: false,
      error: { field: 'router.port' },
    });
    expect(validateStatusRequest({ host: 'a;reboot' })).toMatchObject({
      ok: false,
      error: { field: 'router.host' },
    });
    expect(validateStatusRequest({ host: 7 })).toMatchObject({ ok: false });
    expect(validateStatusRequest([1])).toMatchObject({ ok: false });
  });
});
