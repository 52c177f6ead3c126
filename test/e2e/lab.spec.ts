import { test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLab } from '../lab/index';
import type { Lab, StartOptions } from '../lab/index';
import type { AppWindow } from './flows/app-window';
import { historyExport, troubleshootBlackHole, troubleshootHealthy } from './flows/troubleshoot';
import { openLabBrowser, skipWithoutLab } from './lab-browser';
import type { LabBrowser } from './lab-browser';

// The screens against the lab: `homeward serve` and Chromium both run inside the laptop's network
// namespace, so the page's 127.0.0.1 is the laptop's and the doctor measures the lab for real.

test.describe('troubleshooter and history on the lab', () => {
  test.describe.configure({ mode: 'serial' });
  skipWithoutLab('lab e2e');

  let dataDir: string;
  let lab: Lab | undefined;
  let opened: LabBrowser | undefined;

  test.beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'homeward-e2e-lab-'));
  });

  async function down(): Promise<void> {
    await opened?.close();
    opened = undefined;
    await lab?.stop();
    lab = undefined;
  }

  test.afterEach(down);
  test.afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  /** A lab, the browser host and Chromium, all in the laptop namespace. */
  async function up(options: StartOptions): Promise<{ lab: Lab; app: AppWindow }> {
    lab = await startLab('default', options);
    // Each lab makes new host keys; the data dir's known_hosts would call them changed.
    rmSync(path.join(dataDir, 'known_hosts'), { force: true });
    opened = await openLabBrowser(lab, dataDir, { acceptDownloads: true });
    return { lab, app: opened.app };
  }

  test('L2 black hole: asks to trust the host key, then shows mtu.l2-black-hole with its fix', async () => {
    test.setTimeout(240_000);
    const { lab: l, app } = await up({ l2ClientMtu1500: true });
    await troubleshootBlackHole(app, l);
  });

  test('healthy default: VR-ready, live charts drawn during the run', async () => {
    test.setTimeout(240_000);
    const { lab: l, app } = await up({});
    await troubleshootHealthy(app, l);
    // Both runs are in the history; the HTML export opens and holds no private key.
    await historyExport(app, l, 'default');
  });
});
