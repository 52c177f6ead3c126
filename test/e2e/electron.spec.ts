import { _electron as electron, expect, test } from '@playwright/test';
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { electronBinary } from '../../scripts/electron-binary.mjs';
import { seedHistoryInChild } from './seed-history';
import {
  commandFunctionName,
  commandNames,
  eventListenerName,
  eventNames,
} from '../../src/shared/api';

const root = path.resolve(import.meta.dirname, '../..');
const binary = electronBinary();
const reason =
  'Electron binary absent (node_modules/electron/path.txt missing; it downloads on first use and this machine has no route to its host). Set ELECTRON_EXEC_PATH or run "npx install-electron" to run this test.';

test.describe('Electron shell', () => {
  if (!binary) console.log(`[electron e2e] skipped: ${reason}`);
  test.skip(!binary, reason);

  let xvfb: ChildProcess | undefined;
  test.beforeAll(() => {
    if (process.platform === 'linux' && !process.env['DISPLAY']) {
      xvfb = spawn('Xvfb', [':97', '-screen', '0', '1280x800x24'], { stdio: 'ignore' });
      process.env['DISPLAY'] = ':97';
    }
  });
  test.afterAll(() => {
    xvfb?.kill();
  });

  test('opens the home screen with the sandboxed preload exposing only the contract', async () => {
    // An empty data dir: the user's own may remember real routers, which home would contact.
    const dataDir = mkdtempSync(path.join(tmpdir(), 'homeward-electron-home-'));
    const app = await electron.launch({
      executablePath: binary,
      args: [
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
        path.join(root, 'out/main/index.js'),
      ],
      cwd: root,
      env: { ...process.env, HOMEWARD_DATA_DIR: dataDir },
    });
    try {
      const page = await app.firstWindow();
      await expect(page.getByTestId('app-name')).toHaveText('Homeward');
      await expect(page.getByTestId('gateway')).toBeVisible();
      const keys = await page.evaluate(() =>
        Object.keys((window as unknown as { homeward: object }).homeward).sort(),
      );
      const expected = [
        ...commandNames.map(commandFunctionName),
        ...eventNames.map(eventListenerName),
      ].sort();
      expect(keys).toEqual(expected);
      const hasRequire = await page.evaluate(
        () => typeof (window as unknown as { require?: unknown }).require,
      );
      expect(hasRequire).toBe('undefined');
      await page.screenshot({ path: test.info().outputPath('electron-home.png') });
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  // The screens' flows in the real shell (IPC instead of the socket), against a seeded history
  // and a closed port. The lab flows run in electron-lab.spec.ts: Electron inside the lab's laptop
  // namespace, its loopback debugging ports brought to the host by the netns bridge.
  test('runs the screens over IPC: doctor error, history and a run report, packet anatomy, setup wizard', async () => {
    test.setTimeout(120_000);
    const dataDir = mkdtempSync(path.join(tmpdir(), 'homeward-electron-'));
    seedHistoryInChild(dataDir, 6);
    const identity = path.join(dataDir, 'id_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', identity]);
    const app = await electron.launch({
      executablePath: binary,
      args: [
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
        path.join(root, 'out/main/index.js'),
      ],
      cwd: root,
      env: { ...process.env, HOMEWARD_DATA_DIR: dataDir },
    });
    try {
      const page = await app.firstWindow();
      const open = async (hash: string) => {
        await page.evaluate((h) => (window.location.hash = h), hash);
        await expect(page.getByTestId('app-name')).toBeVisible();
      };

      await open('#/troubleshoot');
      await page.locator('input[name=host]').fill('127.0.0.1');
      await page.locator('input[name=port]').fill(String(await closedPort()));
      await page.locator('input[name=identity]').fill(identity);
      await page.getByTestId('doctor-start').click();
      await expect(page.getByTestId('error')).toHaveAttribute('data-kind', 'connect-refused', {
        timeout: 30_000,
      });
      await page.screenshot({ path: test.info().outputPath('electron-troubleshoot-error.png') });

      await open('#/history');
      await expect(page.getByTestId('run-row')).toHaveCount(6);
      await page.getByTestId('run-row').nth(0).getByRole('link').click();
      await expect(page.getByTestId('verdict')).toBeVisible();
      await page.screenshot({ path: test.info().outputPath('electron-history-run.png') });

      await open('#/packet');
      await expect(page.getByTestId('sum-wg0')).toHaveText('1420 + 150 + 598');

      await open('#/setup');
      await expect(page.getByRole('heading', { level: 2 })).toBeVisible();
      await page.screenshot({ path: test.info().outputPath('electron-setup.png') });
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
