import { describe, expect, it } from 'vitest';
import type { DoctorProgress, DoctorRequest } from '../../shared/doctor';
import { ok } from '../../shared/result';
import type { ExecResult } from '../adapters/ssh/index';
import type { DoctorFinished } from '../../shared/api';
import type { DoctorDeps, RouterConnection } from './doctor/run-doctor';
import { createServices } from './index';

const request: DoctorRequest = {
  router: { host: '192.168.8.1', port: 22, user: 'root', acceptNewHostKey: false },
  targetMbps: 100,
  durationS: 1,
  quick: true,
  saveHistory: false,
  packetBytes: 1200,
};

/** A router that answers every command after `delayMs`, or when the command is cancelled. */
function fakeRouter(delayMs: number, log: string[]): RouterConnection & { closed: boolean } {
  const router = {
    closed: false,
    exec: (command: string, options?: { signal?: AbortSignal }): Promise<ExecResult> => {
      log.push(command);
      return new Promise((resolve) => {
        const done = (cancelled: boolean) =>
          resolve({
            stdout: '',
            stderr: '',
            code: cancelled ? null : 127,
            timedOut: false,
            cancelled,
          });
        const timer = setTimeout(() => done(false), delayMs);
        options?.signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          done(true);
        });
      });
    },
    writeFile: () => Promise.resolve(ok(undefined)),
    close: () => {
      router.closed = true;
      return Promise.resolve();
    },
  };
  return router;
}

function setup(delayMs: number) {
  const log: string[] = [];
  const router = fakeRouter(delayMs, log);
  const deps: DoctorDeps = {
    connectRouter: () => Promise.resolve(ok(router)),
    local: () => Promise.resolve({ stdout: '', stderr: '', code: 1 }),
    localOs: 'linux',
    localNetwork: () => Promise.resolve(undefined),
    tcpReachable: () => Promise.resolve(false),
    now: () => Date.now(),
  };
  const services = createServices({
    shell: 'cli',
    version: '0',
    platform: 'linux',
    fetchLocalNetwork: () => Promise.resolve({ interfaces: [], wifi: [] }),
    doctorDeps: () => deps,
  });
  const progress: DoctorProgress[] = [];
  const finished: DoctorFinished[] = [];
  services.events.on('doctor:progress', (p) => progress.push(p));
  services.events.on('doctor:finished', (f) => finished.push(f));
  return { services, router, progress, finished, log };
}

describe('doctor service', () => {
  it('runs to a report and tells the listeners, then closes the router connection', async () => {
    const { services, router, progress, finished } = setup(1);
    const started = await services.handlers['doctor:start'](request);
    if (!started.ok) throw new Error(started.error.message);
    await new Promise<void>((resolve) => services.events.on('doctor:finished', () => resolve()));
    expect(finished[0]?.runId).toBe(started.value.runId);
    expect(finished[0]?.result.ok).toBe(true);
    expect(
      progress
        .filter((p) => p.kind === 'check-finished')
        .map((p) => p.kind === 'check-finished' && p.result.id),
    ).toContain('router.reach');
    expect(router.closed).toBe(true);
  });

  it('doctor:cancel stops a run in flight, reports it cancelled and closes the connection', async () => {
    const { services, router, finished } = setup(60_000);
    const started = await services.handlers['doctor:start'](request);
    if (!started.ok) throw new Error(started.error.message);
    await new Promise((r) => setTimeout(r, 20));
    const cancelled = await services.handlers['doctor:cancel'](started.value.runId);
    expect(cancelled).toEqual({ ok: true, value: { cancelled: true } });
    expect(finished[0]?.result).toMatchObject({ ok: false, error: { kind: 'cancelled' } });
    expect(router.closed).toBe(true);
    expect(await services.handlers['doctor:cancel'](started.value.runId)).toEqual({
      ok: true,
      value: { cancelled: false },
    });
  });

  it('refuses a bad request with the field and a fix, before connecting', async () => {
    const { services, log } = setup(1);
    const result = await services.handlers['doctor:start']({
      ...request,
      router: { ...request.router, host: '-oProxyCommand=x' },
    });
    expect(result).toMatchObject({
      ok: false,
      error: { kind: 'invalid-request', field: 'router.host' },
    });
    expect(log).toEqual([]);
  });

  it('dispose() cancels runs still going', async () => {
    const { services, router, finished } = setup(60_000);
    await services.handlers['doctor:start'](request);
    await new Promise((r) => setTimeout(r, 20));
    await services.dispose();
    expect(finished).toHaveLength(1);
    expect(router.closed).toBe(true);
  });
});
