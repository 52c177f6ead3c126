import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appError } from '../../shared/errors';
import { fail, ok } from '../../shared/result';
import type { RouterStatus } from '../../shared/router';
import { main } from '../index';
import type { Output } from '../output';
import { runRouterCommand } from './router';
import type { RouterCliDeps } from './router';
import { captureOutput } from '../output.test-support';

const healthy: RouterStatus = {
  schema: 'homeward.router/1',
  host: '192.168.8.1',
  port: 22,
  user: 'root',
  hostname: 'JCG_Q30P',
  model: 'JCG Q30 PRO',
  release: 'OpenWrt 23.05.5 r24106-10cc5fcd00',
  signedIn: true,
  tunnel: {
    state: 'connected',
    interfaceName: 'wg0',
    present: true,
    up: true,
    peerEndpoint: '192.0.2.2:51820',
    latestHandshakeUnixS: 1795624019,
    handshakeAgeS: 5,
    rxBytes: 3660,
    txBytes: 4196,
  },
  bridge: {
    state: 'up',
    bridge: { name: 'br-lan2', present: true, up: true, mtu: 1370 },
    vxlan: { name: 'vxlan0', present: true, up: true, mtu: 1370 },
    memberPorts: ['lan3', 'vxlan0', 'phy0-ap1'],
    address: '192.168.35.170/24',
  },
  measuredAt: '2026-11-25T12:00:00.000Z',
};

function deps(status: RouterStatus | undefined, output: Output) {
  const requests: unknown[] = [];
  const d: RouterCliDeps = {
    output,
    list: () => Promise.resolve(ok({ schema: 'homeward.router/1', routers: [], notices: [] })),
    status: (request) => {
      requests.push(request);
      return Promise.resolve(
        status
          ? ok(status)
          : fail(appError('not-found', 'No router is remembered yet.', { fix: 'Sign in.' })),
      );
    },
  };
  return { d, requests };
}

describe('homeward router', () => {
  let dir: string;
  const saved = process.env['HOMEWARD_DATA_DIR'];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'homeward-cli-router-'));
    process.env['HOMEWARD_DATA_DIR'] = dir;
  });
  afterEach(async () => {
    if (saved === undefined) delete process.env['HOMEWARD_DATA_DIR'];
    else process.env['HOMEWARD_DATA_DIR'] = saved;
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    [['router']],
    [['router', 'reboot']],
    [['router', 'status', '--port', '99999', '--host', '10.0.0.1']],
    [['router', 'status', '--port', '22']],
    [['router', 'status', '--host', 'a b']],
    [['router', 'list', '--host', '10.0.0.1']],
    [['router', 'list', 'extra']],
    [['router', 'status', '--nope']],
  ])('bad usage %j exits 2 with one line on stderr', async (argv) => {
    const c = captureOutput();
    expect(await main(argv, { output: c.output })).toBe(2);
    expect(c.err).toHaveLength(1);
    expect(c.err[0]).toMatch(/^homeward: /);
    expect(c.err[0]).not.toContain('\n');
    expect(c.out).toEqual([]);
  });

  it('list --json and status --json on an empty data dir: an empty list, a not-found error', async () => {
    const c = captureOutput();
    expect(await main(['router', 'list', '--json'], { output: c.output })).toBe(0);
    expect(JSON.parse(c.out.join(''))).toEqual({
      schema: 'homeward.router/1',
      routers: [],
      notices: [],
    });
    const s = captureOutput();
    expect(await main(['router', 'status', '--json'], { output: s.output })).toBe(2);
    expect(JSON.parse(s.out.join(''))).toMatchObject({
      schema: 'homeward.router/1',
      error: { kind: 'not-found' },
    });
  });

  it('status prints the card as text and passes the flags as the request', async () => {
    const c = captureOutput();
    const { d, requests } = deps(healthy, c.output);
    const argv = [
      'status',
      '--host',
      '192.168.8.1',
      '--port',
      '2222',
      '--user',
      'admin',
      '--identity',
      '/k',
    ];
    expect(await runRouterCommand(argv, d)).toBe(0);
    expect(requests).toEqual([
      { host: '192.168.8.1', port: 2222, user: 'admin', identityFile: '/k' },
    ]);
    const text = c.out.join('\n');
    expect(text).toContain('Router JCG_Q30P (JCG Q30 PRO), OpenWrt 23.05.5');
    expect(text).toContain(
      'wg0 connected: handshake 5 s ago with 192.0.2.2:51820 (rx 3.7 kB, tx 4.2 kB)',
    );
    expect(text).toContain('br-lan2 up: lan3, vxlan0, phy0-ap1; address 192.168.35.170/24');
  });

  it('exits 1 when the tunnel has no recent handshake, the bridge is down or sign-in fails', async () => {
    const stale = {
      ...healthy,
      tunnel: { ...healthy.tunnel!, state: 'stale' as const, handshakeAgeS: 600 },
    };
    const c = captureOutput();
    expect(await runRouterCommand(['status'], deps(stale, c.output).d)).toBe(1);
    expect(c.out.join('\n')).toContain('NO RECENT HANDSHAKE: the last was 10 min 0 s ago');
    const down = { ...healthy, bridge: { ...healthy.bridge!, state: 'down' as const } };
    expect(await runRouterCommand(['status'], deps(down, captureOutput().output).d)).toBe(1);
    const out = {
      ...healthy,
      signedIn: false,
      signInProblem: { kind: 'auth-failed', message: 'refused' },
    };
    delete (out as Partial<RouterStatus>).tunnel;
    const s = captureOutput();
    expect(await runRouterCommand(['status'], deps(out, s.output).d)).toBe(1);
    expect(s.out.join('\n')).toContain('NOT signed in');
  });

  it('an error is one line with its fix, exit 2', async () => {
    const c = captureOutput();
    expect(await runRouterCommand(['status'], deps(undefined, c.output).d)).toBe(2);
    expect(c.err).toEqual(['homeward: No router is remembered yet. (Sign in.)']);
  });
});
