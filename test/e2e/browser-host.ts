import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export interface RunningHost {
  url: string;
  origin: string;
  token: string;
  stop(): Promise<void>;
}

/**
 * Starts `homeward serve` (the built CLI) and waits for the URL it prints. `prefix` runs it
 * through another command, e.g. `ip netns exec NS` to serve from a lab node. Without a
 * HOMEWARD_DATA_DIR it gets an empty one of its own: the user's data dir may remember real
 * routers, which the home screen would contact.
 */
export async function startBrowserHost(
  env: NodeJS.ProcessEnv = {},
  prefix: string[] = [],
): Promise<RunningHost> {
  const ownDataDir = env['HOMEWARD_DATA_DIR']
    ? undefined
    : mkdtempSync(path.join(tmpdir(), 'homeward-e2e-host-'));
  if (ownDataDir) env = { ...env, HOMEWARD_DATA_DIR: ownDataDir };
  const argv = [...prefix, process.execPath, path.join(root, 'bin/homeward.js'), 'serve'];
  const child: ChildProcess = spawn(argv[0] ?? process.execPath, argv.slice(1), {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL: ${output}`)), 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /http:\/\/127\.0\.0\.1:\d+\/[\w-]+\//.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.pathname.split('/')[1] ?? '',
    stop: async () => {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
      if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true });
    },
  };
}
