import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ResourceOwner } from './owner';
import { fetchHttpRoot, probeCandidate, readSshIdentification } from './probe';

// Loopback only: every server here listens on 127.0.0.1 with a port the kernel picks.
const loopback = '127.0.0.1';
const dropbearBanner = readFileSync(
  new URL('../../../../test/fixtures/ssh/dropbear-2022.83-identification.txt', import.meta.url),
);

const servers: (net.Server | http.Server)[] = [];
const sockets = new Set<net.Socket>();

afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await Promise.all(
    servers
      .splice(0)
      .map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
  );
});

async function listen<T extends net.Server | http.Server>(server: T): Promise<number> {
  servers.push(server);
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, loopback, resolve));
  return (server.address() as net.AddressInfo).port;
}

function tcpServer(onConnection: (socket: net.Socket) => void): Promise<number> {
  return listen(net.createServer(onConnection));
}

function httpServer(handler: http.RequestListener): Promise<number> {
  return listen(http.createServer(handler));
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, loopback, resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function openTcpHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
}

describe('readSshIdentification', () => {
  it('reads the first line as dropbear sends it, CR LF included', async () => {
    const port = await tcpServer((socket) => {
      socket.write(dropbearBanner);
      socket.write(Buffer.from([0, 0, 1, 0x14, 0x0a, 0x14])); // binary KEXINIT follows
    });
    const owner = new ResourceOwner();
    const answer = await readSshIdentification(loopback, port, 1000, owner);
    expect(answer).toEqual({ kind: 'line', text: 'SSH-2.0-dropbear_2022.83\r\n' });
    // Nothing left held once the in-flight closes land; settle() does not dispose.
    expect(await owner.settle(200)).toBe(0);
  });

  it('assembles a line split over several writes', async () => {
    const port = await tcpServer((socket) => {
      socket.write('SSH-2.0-Open');
      setTimeout(() => socket.write('SSH_9.2p1 Debian-2+deb12u10\r\n'), 30);
    });
    const answer = await readSshIdentification(loopback, port, 1000, new ResourceOwner());
    expect(answer).toEqual({ kind: 'line', text: 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\r\n' });
  });

  it('stops at 255 bytes when no newline comes', async () => {
    const port = await tcpServer((socket) => socket.write('x'.repeat(4000)));
    const answer = await readSshIdentification(loopback, port, 1000, new ResourceOwner());
    expect(answer.kind === 'line' && answer.text.length).toBe(255);
  });

  it('reports refused, silent and closing servers as values', async () => {
    const owner = new ResourceOwner();
    const refused = await readSshIdentification(loopback, await closedPort(), 1000, owner);
    expect(refused).toEqual({ kind: 'failed', failure: 'refused', code: 'ECONNREFUSED' });

    const silentPort = await tcpServer(() => undefined);
    const started = performance.now();
    const silent = await readSshIdentification(loopback, silentPort, 150, owner);
    expect(silent).toEqual({ kind: 'failed', failure: 'timeout' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(performance.now() - started).toBeLessThan(1000);

    const closing = await readSshIdentification(
      loopback,
      await tcpServer((socket) => socket.end()),
      1000,
      owner,
    );
    expect(closing).toEqual({ kind: 'no-line', received: 0 });
    // Nothing left held once the in-flight closes land; settle() does not dispose.
    expect(await owner.settle(200)).toBe(0);
  });

  it('gives up at once when the run is aborted', async () => {
    const port = await tcpServer(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = performance.now();
    const answer = await readSshIdentification(
      loopback,
      port,
      5000,
      new ResourceOwner(),
      controller.signal,
    );
    expect(answer).toEqual({ kind: 'failed', failure: 'timeout' });
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('fetchHttpRoot', () => {
  it('returns status, headers and the start of the body', async () => {
    const port = await httpServer((req, res) => {
      expect(req.url).toBe('/');
      res.writeHead(200, { 'Content-Type': 'text/html', Server: 'uhttpd-test' });
      res.end('<title>router - LuCI</title>');
    });
    const owner = new ResourceOwner();
    const answer = await fetchHttpRoot(loopback, port, 1000, owner);
    expect(answer).toEqual({
      kind: 'response',
      status: 200,
      server: 'uhttpd-test',
      body: '<title>router - LuCI</title>',
    });
    // Nothing left held once the in-flight closes land; settle() does not dispose.
    expect(await owner.settle(200)).toBe(0);
  });

  it('keeps a redirect location', async () => {
    const port = await httpServer((_req, res) => {
      res.writeHead(302, { Location: '/cgi-bin/luci/' });
      res.end();
    });
    const answer = await fetchHttpRoot(loopback, port, 1000, new ResourceOwner());
    expect(answer).toMatchObject({ kind: 'response', status: 302, location: '/cgi-bin/luci/' });
  });

  it('at the time limit returns the page read so far, or a timeout when nothing came', async () => {
    const slowPort = await httpServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.write('<html><head><title>GL.iNet Admin Panel</title>');
    });
    const owner = new ResourceOwner();
    const partial = await fetchHttpRoot(loopback, slowPort, 200, owner);
    expect(partial).toMatchObject({
      kind: 'response',
      status: 200,
      body: '<html><head><title>GL.iNet Admin Panel</title>',
    });
    const mutePort = await httpServer(() => undefined);
    expect(await fetchHttpRoot(loopback, mutePort, 150, owner)).toEqual({
      kind: 'failed',
      failure: 'timeout',
    });
    // Nothing left held once the in-flight closes land; settle() does not dispose.
    expect(await owner.settle(200)).toBe(0);
  });

  it('caps the body it reads', async () => {
    const port = await httpServer((_req, res) => {
      res.writeHead(200);
      res.end('a'.repeat(200_000));
    });
    const answer = await fetchHttpRoot(loopback, port, 1000, new ResourceOwner());
    expect(answer.kind === 'response' && answer.body.length).toBe(32 * 1024);
  });

  it('reports a non-HTTP answer and a refused port as failures', async () => {
    const sshPort = await tcpServer((socket) => socket.write(dropbearBanner));
    const notHttp = await fetchHttpRoot(loopback, sshPort, 1000, new ResourceOwner());
    expect(notHttp.kind).toBe('failed');
    expect(await fetchHttpRoot(loopback, await closedPort(), 1000, new ResourceOwner())).toEqual({
      kind: 'failed',
      failure: 'refused',
      code: 'ECONNREFUSED',
    });
  });
});

describe('probeCandidate', () => {
  it('probes both ports concurrently within the time limit and leaves no socket open', async () => {
    const sshPort = await tcpServer(() => undefined); // accepts, never speaks
    const httpPort = await httpServer(() => undefined); // accepts, never answers
    const before = openTcpHandles();
    const started = performance.now();
    const outcome = await probeCandidate(loopback, { sshPort, httpPort, timeoutMs: 300 });
    const elapsed = performance.now() - started;
    expect(outcome.ssh).toEqual({ kind: 'failed', failure: 'timeout' });
    expect(outcome.http).toEqual({ kind: 'failed', failure: 'timeout' });
    // Concurrent: one time limit, not two.
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(550);
    // The server's side of each connection closes a moment after ours; a leaked client never does.
    for (let i = 0; i < 50 && openTcpHandles() > before; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(openTcpHandles()).toBeLessThanOrEqual(before);
  });

  it('gathers a dropbear banner and a LuCI page from one address', async () => {
    const sshPort = await tcpServer((socket) => socket.write(dropbearBanner));
    const httpPort = await httpServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<meta http-equiv="refresh" content="0; URL=/cgi-bin/luci" />');
    });
    const outcome = await probeCandidate(loopback, { sshPort, httpPort });
    expect(outcome.ssh).toEqual({ kind: 'line', text: 'SSH-2.0-dropbear_2022.83\r\n' });
    expect(outcome.http).toMatchObject({ kind: 'response', status: 200 });
    expect(outcome.elapsedMs).toBeLessThan(1000);
  });
});
