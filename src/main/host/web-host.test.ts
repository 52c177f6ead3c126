import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createServices } from '../services/index';
import { startWebHost } from './web-host';
import type { WebHost } from './web-host';

let dir: string;
let host: WebHost;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'homeward-host-'));
  await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>Homeward</title>');
  await writeFile(path.join(dir, 'secret.txt'), 'x');
  const services = createServices({
    shell: 'browser-host',
    version: '0.0.0',
    platform: 'linux',
    fetchLocalNetwork: () => Promise.resolve({ gateway: '192.0.2.1', interfaces: [], wifi: [] }),
  });
  host = await startWebHost({ services, rendererDir: dir });
});

afterAll(async () => {
  await host.close();
  await rm(dir, { recursive: true, force: true });
});

function openSocket(url: string, origin?: string): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.on('open', () => resolve(ws));
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(-1));
  });
}

describe('browser host', () => {
  it('listens on loopback and serves the page with the token', async () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[\w-]{20,}\/$/);
    const res = await fetch(host.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await res.text()).toContain('Homeward');
  });
  it('refuses requests without or with a wrong token', async () => {
    expect((await fetch(`http://127.0.0.1:${host.port}/`)).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${host.port}/index.html`)).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${host.port}/${host.token}x/`)).status).toBe(401);
  });
  it('refuses a foreign Origin and path traversal', async () => {
    const res = await fetch(host.url, { headers: { origin: 'http://evil.example' } });
    expect(res.status).toBe(403);
    const traversal = await fetch(`${host.url}..%2F..%2Fetc%2Fpasswd`);
    expect(traversal.status).toBe(404);
  });
  it('speaks the contract over the socket with token and own origin only', async () => {
    const origin = `http://127.0.0.1:${host.port}`;
    const wsUrl = `ws://127.0.0.1:${host.port}/${host.token}/api`;
    expect(await openSocket(`ws://127.0.0.1:${host.port}/nope/api`, origin)).toBe(401);
    expect(await openSocket(wsUrl, 'http://evil.example')).toBe(401);
    expect(await openSocket(wsUrl)).toBe(401);
    const ws = await openSocket(wsUrl, origin);
    if (typeof ws === 'number') throw new Error(`socket refused: ${ws}`);
    const reply = new Promise<unknown>((resolve) =>
      ws.once('message', (d: Buffer) => resolve(JSON.parse(d.toString('utf8')))),
    );
    ws.send(JSON.stringify({ id: 7, command: 'system:local-network', args: [] }));
    expect(await reply).toMatchObject({
      type: 'result',
      id: 7,
      result: { ok: true, value: { defaultGateway: '192.0.2.1' } },
    });
    ws.close();
  });
});
