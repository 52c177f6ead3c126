// A stand-in for the Electron binary where Electron cannot be downloaded, to prove Playwright's
// `_electron.launch` through the bridge: a Node main process (inspector, `-r` preloads, and an
// `electron` module with what Playwright's loader and close use) plus a Chromium for its window.
// Started as Electron is: `electron-stand-in.ts --chromium=PATH [-r MODULE]... [--switch]... URL`.
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import inspector from 'node:inspector';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

const preloads: string[] = [];
const switches: string[] = [];
let chromiumPath = '/usr/bin/chromium';
let url: string | undefined;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const arg = argv[i] ?? '';
  if (arg === '-r') preloads.push(argv[++i] ?? '');
  else if (arg.startsWith('--chromium=')) chromiumPath = arg.slice('--chromium='.length);
  else if (arg.startsWith('--inspect')) inspector.open(0, '127.0.0.1');
  else if (arg.startsWith('-')) switches.push(arg);
  else url ??= arg;
}

let markReady: () => void = () => undefined;
const ready = new Promise<void>((resolve) => (markReady = resolve));

class StandInApp extends EventEmitter {
  readonly commandLine = {
    appendSwitch: (name: string, value?: string) =>
      switches.push(value ? `--${name}=${value}` : `--${name}`),
  };
  whenReady(): Promise<void> {
    return ready;
  }
  quit(): void {
    if (browser.exitCode === null) browser.kill('SIGTERM');
    else process.exit(0);
  }
}

const app = new StandInApp();
const electron = { app };
const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const load = loader._load;
loader._load = function (this: unknown, request: string, ...rest: unknown[]) {
  return request === 'electron' ? electron : load.call(this, request, ...rest);
};

const require = createRequire(import.meta.url);
for (const preload of preloads) require(path.resolve(preload));

const profile = mkdtempSync(path.join(tmpdir(), 'homeward-stand-in-'));
const browser = spawn(
  chromiumPath,
  [
    ...(process.env['DISPLAY'] ? [] : ['--headless']),
    '--no-first-run',
    '--disable-gpu',
    `--user-data-dir=${profile}`,
    ...switches,
    url ?? 'about:blank',
  ],
  { stdio: ['ignore', 'inherit', 'inherit'] },
);
browser.once('exit', (code) => {
  rmSync(profile, { recursive: true, force: true });
  process.exit(code ?? 0);
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => app.quit());

// Electron emits `ready` once its browser process is up; the loader holds it for Playwright.
app.emit('ready', {});
markReady();
void app.whenReady().then(() => {
  (globalThis as { standInReady?: boolean }).standInReady = true;
});
