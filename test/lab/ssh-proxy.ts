import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';

export interface SshProxy {
  port: number;
  close(): Promise<void>;
}

/**
 * A loopback TCP port whose connections are carried by `busybox nc` run inside a lab node, so an
 * SSH client on the host reaches e.g. the router's LAN address the way the laptop does.
 */
export async function startSshProxy(
  nodePid: number,
  host: string,
  port: number,
): Promise<SshProxy> {
  const children = new Set<ChildProcess>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    const child = spawn(
      'nsenter',
      ['-t', String(nodePid), '-n', '--', 'busybox', 'nc', host, String(port)],
      { stdio: ['pipe', 'pipe', 'ignore'] },
    );
    children.add(child);
    socket.pipe(child.stdin as NodeJS.WritableStream);
    (child.stdout as NodeJS.ReadableStream).pipe(socket);
    const done = (): void => {
      children.delete(child);
      sockets.delete(socket);
      socket.destroy();
      if (child.exitCode === null) child.kill('SIGKILL');
    };
    child.on('exit', done);
    child.on('error', done);
    socket.on('error', done);
    socket.on('close', done);
    child.stdin?.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('ssh proxy: no port');
  return {
    port: address.port,
    close: async () => {
      for (const c of children) c.kill('SIGKILL');
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
