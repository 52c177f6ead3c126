import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ResourceOwner } from './owner';

const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
  );
});

async function loopbackPort(): Promise<number> {
  const server = net.createServer(() => undefined);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

describe('ResourceOwner', () => {
  it('counts what it holds and destroys it all on dispose', () => {
    const owner = new ResourceOwner();
    const destroyed: string[] = [];
    owner.track({ destroy: () => destroyed.push('a') });
    owner.track({ destroy: () => destroyed.push('b') });
    let fired = false;
    owner.setTimeout(() => (fired = true), 10_000);
    expect(owner.size).toBe(3);
    owner.dispose();
    expect(destroyed).toEqual(['a', 'b']);
    expect(owner.size).toBe(0);
    expect(fired).toBe(false);
    // Anything handed to a disposed owner is destroyed at once.
    owner.track({ destroy: () => destroyed.push('late') });
    expect(destroyed).toContain('late');
    expect(owner.size).toBe(0);
  });

  it('forgets timers that fired or were cleared', async () => {
    const owner = new ResourceOwner();
    await new Promise<void>((resolve) => owner.setTimeout(resolve, 5));
    const timer = owner.setTimeout(() => undefined, 10_000);
    owner.clearTimeout(timer);
    expect(owner.size).toBe(0);
  });

  it('close() returns only once a real socket handle has closed', async () => {
    let serverSide: net.Socket | undefined;
    const server = net.createServer((socket) => (serverSide = socket));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const owner = new ResourceOwner();
    const socket = owner.track(net.connect(port, '127.0.0.1'));
    await new Promise((resolve) => socket.once('connect', resolve));
    while (!serverSide) await new Promise((resolve) => setImmediate(resolve));
    // Keep the server's end open (no half-close to the client) but out of the count.
    serverSide.pause();
    const tcpHandles = () =>
      process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
    const before = tcpHandles();
    expect(await owner.close(500)).toBe(0);
    expect(socket.closed).toBe(true);
    // Our end is gone at once; the server's end may still be open, never more.
    expect(tcpHandles()).toBeLessThanOrEqual(before - 1);
    serverSide.destroy();
  });

  it('settle() waits for closes in flight but does not dispose a leak', async () => {
    const port = await loopbackPort();
    const owner = new ResourceOwner();
    const released = owner.track(net.connect(port, '127.0.0.1'));
    const leaked = owner.track(net.connect(port, '127.0.0.1'));
    owner.release(released);
    expect(await owner.settle(200)).toBe(1);
    expect(leaked.destroyed).toBe(false);
    expect(await owner.close(200)).toBe(0);
  });
});
