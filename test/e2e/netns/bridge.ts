// Runs a program inside a network namespace and makes its debugging endpoints reachable from the
// host: `node --import tsx bridge.ts NETNS PROGRAM [ARGS...]`.
//
// Playwright's Electron launcher (and connectOverCDP) read `Debugger listening on ws://...` and
// `DevTools listening on ws://...` from stderr and connect to that loopback port, which inside
// another namespace is not the host's. For each such line the bridge opens a host listener on
// 127.0.0.1:0 and prints the line with that port instead. Each accepted connection gets a relay
// (`ip netns exec NETNS node -e RELAY`) whose stdin/stdout carry the bytes: pipes cross namespaces
// where sockets cannot, and a relay ends with its connection.
//
// Lifetimes: signals go to the program; when it exits, listeners, connections and relays close
// and the bridge exits with the program's code or signal. Everything stays in the caller's process
// group (Playwright kills the group), and with setpriv the program and relays also get SIGKILL if
// the bridge itself dies.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { constants } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

const LISTENING =
  /^((?:Debugger|DevTools) listening on ws:\/\/)(127\.0\.0\.1|localhost|\[::1\]):(\d+)(\/.*)?$/;

const RELAY = `
const net = require('node:net');
const socket = net.connect(Number(process.argv[2]), process.argv[1]);
process.stdin.pipe(socket);
socket.pipe(process.stdout);
socket.on('error', (e) => { process.stderr.write('relay: ' + e.message + '\\n'); process.exit(1); });
socket.on('close', () => process.exit(0));
`;

const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const;
const RERAISED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGKILL'];

/** Rewrites one stderr line; `listen` maps a namespace endpoint to a host port. */
async function rewriteListeningLine(
  line: string,
  listen: (host: string, port: number) => Promise<number>,
): Promise<string> {
  const match = LISTENING.exec(line);
  if (!match) return line;
  const [, prefix = '', host = '', port = '', rest = ''] = match;
  const hostPort = await listen(
    host === 'localhost' ? '127.0.0.1' : host.replace(/[[\]]/g, ''),
    Number(port),
  );
  return `${prefix}127.0.0.1:${hostPort}${rest}`;
}

function main(): void {
  const [netns, ...command] = process.argv.slice(2);
  if (!netns || command.length === 0) {
    process.stderr.write('usage: bridge.ts NETNS PROGRAM [ARGS...]\n');
    process.exit(2);
  }
  const deathSignal = existsSync('/usr/bin/setpriv')
    ? ['setpriv', '--pdeathsig', 'KILL', '--']
    : [];
  const inNetns = (argv: string[]): string[] => ['netns', 'exec', netns, ...deathSignal, ...argv];

  const servers = new Set<Server>();
  const sockets = new Set<Socket>();
  const relays = new Set<ChildProcess>();

  const child = spawn('ip', inNetns(command), { stdio: ['inherit', 'inherit', 'pipe'] });
  const onSignal = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  for (const signal of FORWARDED_SIGNALS) process.on(signal, onSignal);

  function forward(socket: Socket, host: string, port: number): void {
    sockets.add(socket);
    const relay = spawn('ip', inNetns([process.execPath, '-e', RELAY, host, String(port)]), {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    relays.add(relay);
    relay.stderr.on('data', (chunk: Buffer) =>
      process.stderr.write(`netns bridge: ${chunk.toString()}`),
    );
    relay.stdin.on('error', () => socket.destroy());
    socket.on('error', () => relay.kill());
    socket.pipe(relay.stdin);
    relay.stdout.pipe(socket);
    relay.on('exit', () => relays.delete(relay));
    relay.on('close', () => socket.end());
    socket.on('close', () => {
      sockets.delete(socket);
      if (relay.exitCode === null && relay.signalCode === null) relay.kill();
    });
  }

  function listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const server = createServer((socket) => forward(socket, host, port));
      servers.add(server);
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
    });
  }

  // Lines leave in order: a rewritten line waits for its listener, and later lines wait for it.
  let output = Promise.resolve();
  const lines = createInterface({ input: child.stderr, crlfDelay: Infinity });
  lines.on('line', (line) => {
    output = output
      .then(() => rewriteListeningLine(line, listen))
      .catch((error: unknown) => `${line}\nnetns bridge: no host listener: ${String(error)}`)
      .then((text) => {
        process.stderr.write(`${text}\n`);
      });
  });

  const stderrClosed = new Promise<void>((resolve) => lines.once('close', resolve));
  child.once('exit', (code, signal) => {
    // A grandchild may hold the stderr pipe open: do not wait for it for long.
    const drained = Promise.race([stderrClosed, new Promise((r) => setTimeout(r, 500))]);
    void drained
      .then(() => output)
      .then(() => {
        for (const server of servers) server.close();
        for (const socket of sockets) socket.destroy();
        for (const relay of relays) relay.kill();
        for (const s of FORWARDED_SIGNALS) process.off(s, onSignal);
        // Dying of the same signal tells the caller what happened; a crash signal (SIGSEGV,
        // SIGABRT) is reported as its exit status instead, so the bridge leaves no core.
        if (signal && RERAISED_SIGNALS.includes(signal)) process.kill(process.pid, signal);
        if (signal) setTimeout(() => process.exit(128 + (constants.signals[signal] ?? 0)), 200);
        else process.exit(code ?? 1);
      });
  });
  child.once('error', (error) => {
    process.stderr.write(`netns bridge: ${error.message}\n`);
    process.exit(127);
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) main();
