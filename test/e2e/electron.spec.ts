import { _electron as electron, expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { electronBinary } from '../../scripts/electron-binary.mjs';
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
    const app = await electron.launch({
      executablePath: binary,
      args: [
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
        path.join(root, 'out/main/index.js'),
      ],
      cwd: root,
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
    }
  });
});
