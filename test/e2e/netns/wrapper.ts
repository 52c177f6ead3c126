import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const bridge = path.join(import.meta.dirname, 'bridge.ts');
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** argv that runs a TypeScript file with this Node and tsx. */
export function tsCommand(file: string): string[] {
  return [process.execPath, '--import', tsx, file];
}

/** argv that runs `command` in `netns` through the bridge. */
export function bridgeArgv(netns: string, command: string[]): string[] {
  return [...tsCommand(bridge), netns, ...command];
}

/**
 * Playwright's Electron loader, which `_electron.launch` adds only when it resolves Electron
 * itself: it holds `ready` until Playwright is attached and adds Playwright's Chromium switches.
 * Pass it as `-r LOADER` when Electron is started through a wrapper.
 */
export function playwrightElectronLoader(): string {
  const fromTest = createRequire(createRequire(import.meta.url).resolve('@playwright/test'));
  const fromPlaywright = createRequire(fromTest.resolve('playwright'));
  const core = path.dirname(fromPlaywright.resolve('playwright-core/package.json'));
  return path.join(core, 'lib/server/electron/loader.js');
}

/**
 * Writes an executable that runs `command` plus its own arguments in `netns` through the bridge,
 * for launchers that take a single executable path (Playwright's `executablePath`).
 */
export function writeBridgeWrapper(file: string, netns: string, command: string[]): string {
  const quoted = bridgeArgv(netns, command).map((a) => `'${a.replaceAll("'", `'\\''`)}'`);
  writeFileSync(file, `#!/bin/sh\nexec ${quoted.join(' ')} "$@"\n`);
  chmodSync(file, 0o755);
  return file;
}

export interface Bridged {
  child: ChildProcessWithoutNullStreams;
  /** Resolves with the first stderr line matching `pattern` (rejects if the bridge exits first). */
  line(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Resolves with the bridge's exit code and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

/** Starts `command` in `netns` through the bridge, in a process group of its own. */
export function startBridged(netns: string, command: string[]): Bridged {
  const [program = '', ...args] = bridgeArgv(netns, command);
  const child = spawn(program, args, { stdio: 'pipe', detached: true });
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: (m: RegExpExecArray) => void }[] = [];
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const waiter of [...waiters]) {
      const match = new RegExp(waiter.pattern.source, 'm').exec(stderr);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  });
  child.stdout.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    exited,
    stderr: () => stderr,
    line: (pattern, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const match = new RegExp(pattern.source, 'm').exec(stderr);
        if (match) return resolve(match);
        const timer = setTimeout(
          () => reject(new Error(`no line ${pattern} in ${timeoutMs} ms; stderr:\n${stderr}`)),
          timeoutMs,
        );
        waiters.push({
          pattern,
          resolve: (m) => {
            clearTimeout(timer);
            resolve(m);
          },
        });
        void exited.then(({ code, signal }) => {
          clearTimeout(timer);
          reject(
            new Error(`bridge exited (${code ?? signal}) before ${pattern}; stderr:\n${stderr}`),
          );
        });
      }),
  };
}
