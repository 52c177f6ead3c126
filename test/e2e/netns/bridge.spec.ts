import { _electron as electron, chromium, expect, test } from '@playwright/test';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { chromiumPath } from '../playwright.config';
import { pathToFileURL } from 'node:url';
import { playwrightElectronLoader, startBridged, tsCommand, writeBridgeWrapper } from './wrapper';
import type { Bridged } from './wrapper';

// The bridge on a bare namespace of this test's own: Node's inspector and Chromium's DevTools run
// inside it, and the host reaches both only through the rewritten URLs.

const reason = unavailableReason();
const DEBUGGER = /^Debugger listening on ws:\/\/127\.0\.0\.1:(\d+)(\/\S+)$/;
const DEVTOOLS = /^DevTools listening on (ws:\/\/127\.0\.0\.1:(\d+)\/devtools\/browser\/\S+)$/;
const KEEP_ALIVE = 'setInterval(() => {}, 60_000)';

test.describe('netns bridge', () => {
  test.describe.configure({ mode: 'serial' });
  if (reason !== undefined && process.env['CI'] !== 'true') {
    console.log(`[netns bridge] skipped: ${reason}`);
    test.skip(true, reason);
  }

  const netns = `hw-bridge-${randomBytes(4).toString('hex')}`;
  let started: Bridged[] = [];

  function start(command: string[]): Bridged {
    const bridged = startBridged(netns, command);
    started.push(bridged);
    return bridged;
  }

  test.beforeAll(() => {
    if (reason !== undefined) throw new Error(`netns bridge: cannot run: ${reason}`);
    run('ip', ['netns', 'add', netns]);
    run('ip', ['-n', netns, 'link', 'set', 'lo', 'up']);
  });

  test.afterEach(() => {
    for (const b of started) {
      if (b.child.exitCode === null && b.child.signalCode === null && b.child.pid)
        killGroup(b.child.pid);
    }
    started = [];
  });

  test.afterAll(async () => {
    if (!existsSync(`/run/netns/${netns}`)) return;
    for (const pid of pidsIn(netns)) killPid(pid);
    await until(() => pidsIn(netns).length === 0, 5_000).catch(() => undefined);
    run('ip', ['netns', 'del', netns]);
  });

  test('Node inspector in the namespace: CDP over the host URL, exit code passed through', async () => {
    const bridged = start([process.execPath, '--inspect=0', '-e', KEEP_ALIVE]);
    const [, port = '', rest = ''] = await bridged.line(DEBUGGER);
    const session = await cdp(`ws://127.0.0.1:${port}${rest}`);
    const inside = (await session.evaluate(
      `JSON.stringify({ pid: process.pid, ifs: Object.keys(require('node:os').networkInterfaces()), url: require('node:inspector').url() })`,
    )) as string;
    const { pid, ifs, url } = JSON.parse(inside) as { pid: number; ifs: string[]; url: string };

    expect(netnsOf(pid)).toBe(netnsInodeOf(netns));
    expect(netnsOf(process.pid)).not.toBe(netnsInodeOf(netns));
    expect(ifs).toEqual(['lo']);
    expect(pidsIn(netns)).toContain(pid);
    // The program's own port is the namespace's: the host sees nothing there.
    const innerPort = Number(new URL(url).port);
    expect(innerPort).not.toBe(Number(port));
    expect(await accepts(innerPort)).toBe(false);
    expect(bridged.stderr()).toContain('For help, see: https://nodejs.org/en/docs/inspector');

    await session.evaluate('setTimeout(() => process.exit(7), 50); 0');
    // Node holds its exit while a debugger is attached, as Playwright's Electron launcher expects.
    await bridged.line(/^Waiting for the debugger to disconnect\.\.\.$/);
    session.close();
    expect(await bridged.exited).toEqual({ code: 7, signal: null });
    expect(await accepts(Number(port))).toBe(false);
    await until(() => pidsIn(netns).length === 0, 5_000);
  });

  test('Chromium in the namespace: connectOverCDP, pages see the namespace loopback, SIGTERM forwarded', async () => {
    const profile = mkdtempSync(path.join(tmpdir(), 'homeward-bridge-chromium-'));
    try {
      // A server inside the namespace (its plain stderr lines pass through unchanged).
      const server = start([
        process.execPath,
        '-e',
        `require('node:http').createServer((q, s) => s.end('inside ' + process.pid)).listen(0, '127.0.0.1', function () { console.error('serving on ' + this.address().port); });`,
      ]);
      const [, serverPort = ''] = await server.line(/^serving on (\d+)$/);
      expect(await accepts(Number(serverPort))).toBe(false);

      const browserProcess = start([
        chromiumPath,
        '--headless',
        '--remote-debugging-port=0',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        `--user-data-dir=${profile}`,
        'about:blank',
      ]);
      const [, wsUrl = ''] = await browserProcess.line(DEVTOOLS);
      const browser = await chromium.connectOverCDP(wsUrl);
      const context = browser.contexts()[0] ?? (await browser.newContext());
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${serverPort}/`);
      await expect(page.locator('body')).toHaveText(/^inside \d+$/);
      const names = pidsIn(netns).map((pid) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim());
      expect(names).toContain('chromium');

      browserProcess.child.kill('SIGTERM');
      const exit = await browserProcess.exited;
      expect(exit.code === 0 || exit.signal === 'SIGTERM', JSON.stringify(exit)).toBe(true);
      await browser.close().catch(() => undefined);
      await until(
        () =>
          pidsIn(netns).every(
            (pid) => !readFileSync(`/proc/${pid}/comm`, 'utf8').includes('chrom'),
          ),
        5_000,
      );

      server.child.kill('SIGINT');
      expect(await server.exited).toEqual({ code: null, signal: 'SIGINT' });
      await until(() => pidsIn(netns).length === 0, 5_000);
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  });

  test("Playwright's Electron launcher through a wrapper: both endpoints bridged, its loader run, close ends all", async () => {
    // Electron cannot be downloaded here: a stand-in with Electron's command line, a Node main
    // process and a Chromium window (on a private X server) takes its place.
    const dir = mkdtempSync(path.join(tmpdir(), 'homeward-bridge-electron-'));
    // A window, as Electron's, where Xvfb exists: X is reached through its socket file.
    const withX = spawnSync('sh', ['-c', 'command -v Xvfb'], { stdio: 'ignore' }).status === 0;
    if (!withX) test.info().annotations.push({ type: 'display', description: 'no Xvfb: headless' });
    const display = `:${200 + Math.floor(Math.random() * 100)}`;
    const xvfb = withX
      ? spawn('Xvfb', [display, '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], {
          stdio: 'ignore',
        })
      : undefined;
    try {
      if (withX) await until(() => existsSync(`/tmp/.X11-unix/X${display.slice(1)}`), 5_000);
      const html = path.join(dir, 'index.html');
      writeFileSync(
        html,
        '<!doctype html><title>stand-in</title><h1 data-testid="app-name">Homeward</h1>',
      );
      const wrapper = writeBridgeWrapper(path.join(dir, 'electron.sh'), netns, [
        ...tsCommand(path.join(import.meta.dirname, 'electron-stand-in.ts')),
        `--chromium=${chromiumPath}`,
        '-r',
        playwrightElectronLoader(),
      ]);
      const app = await electron.launch({
        executablePath: wrapper,
        args: [pathToFileURL(html).href],
        env: { ...process.env, DISPLAY: withX ? display : '' },
        timeout: 30_000,
      });
      const page = await app.firstWindow();
      await expect(page.getByTestId('app-name')).toHaveText('Homeward');
      if (withX) expect(await page.evaluate(() => navigator.userAgent)).not.toContain('Headless');
      const main = await app.evaluate(({ app: shell }) => ({
        pid: process.pid,
        electron: typeof shell.whenReady,
        loaderRan: typeof (globalThis as { __playwright_run?: unknown }).__playwright_run,
        ready: (globalThis as { standInReady?: boolean }).standInReady === true,
      }));
      expect(main).toEqual({
        pid: main.pid,
        electron: 'function',
        loaderRan: 'function',
        ready: true,
      });
      expect(netnsOf(main.pid)).toBe(netnsInodeOf(netns));
      const names = pidsIn(netns).map((pid) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim());
      expect(names).toContain('chromium');

      const launched = app.process();
      await app.close();
      await until(() => pidsIn(netns).length === 0, 5_000);
      expect(launched.exitCode).toBe(0);
    } finally {
      xvfb?.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const target of ['process group', 'bridge alone'] as const) {
    test(`SIGKILL to the ${target} ends the program, its relays and the host listener`, async () => {
      const bridged = start([process.execPath, '--inspect=0', '-e', KEEP_ALIVE]);
      const [, port = '', rest = ''] = await bridged.line(DEBUGGER);
      const session = await cdp(`ws://127.0.0.1:${port}${rest}`);
      expect(await session.evaluate('6 * 7')).toBe(42);
      // The program and the open connection's relay.
      expect(pidsIn(netns).length).toBeGreaterThanOrEqual(2);
      const pid = bridged.child.pid ?? 0;
      if (target === 'process group') killGroup(pid);
      else killPid(pid);
      expect((await bridged.exited).signal).toBe('SIGKILL');
      await until(() => pidsIn(netns).length === 0, 5_000);
      expect(await accepts(Number(port))).toBe(false);
      session.close();
    });
  }
});

function unavailableReason(): string | undefined {
  if (process.platform !== 'linux')
    return `network namespaces need Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'creating a network namespace needs root';
  if (spawnSync('ip', ['-V'], { stdio: 'ignore' }).status !== 0) return 'iproute2 (`ip`) missing';
  if (!existsSync(chromiumPath)) return `no Chromium at ${chromiumPath} (set CHROMIUM_PATH)`;
  return undefined;
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(
      `${command} ${args.join(' ')} failed: ${result.stderr || result.error?.message}`,
    );
}

function netnsInodeOf(name: string): number {
  return statSync(`/run/netns/${name}`).ino;
}

/** stat() follows /proc/PID/ns/net to the namespace's inode; a zombie has none. */
function netnsOf(pid: number): number | undefined {
  try {
    return statSync(`/proc/${pid}/ns/net`).ino;
  } catch {
    return undefined;
  }
}

/** Live (not zombie) processes in the namespace. */
function pidsIn(name: string): number[] {
  const inode = netnsInodeOf(name);
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => netnsOf(pid) === inode && !isZombie(pid));
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function killPid(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition still false after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

interface CdpSession {
  evaluate(expression: string): Promise<unknown>;
  close(): void;
}

/** A minimal CDP client: Runtime.evaluate by value, with the console API's require(). */
async function cdp(url: string): Promise<CdpSession> {
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  let next = 1;
  const pending = new Map<number, (message: CdpReply) => void>();
  socket.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString()) as CdpReply;
    if (message.id !== undefined) pending.get(message.id)?.(message);
  });
  return {
    evaluate: (expression) =>
      new Promise((resolve, reject) => {
        const id = next++;
        pending.set(id, (message) => {
          pending.delete(id);
          const details = message.result?.exceptionDetails ?? message.error;
          if (details) reject(new Error(JSON.stringify(details)));
          else resolve(message.result?.result?.value);
        });
        socket.send(
          JSON.stringify({
            id,
            method: 'Runtime.evaluate',
            params: { expression, returnByValue: true, includeCommandLineAPI: true },
          }),
        );
      }),
    close: () => socket.close(),
  };
}

interface CdpReply {
  id?: number;
  error?: unknown;
  result?: { result?: { value?: unknown }; exceptionDetails?: unknown };
}
