import { test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLab } from '../lab/index';
import type { Lab, StartOptions } from '../lab/index';
import type { AppWindow } from './flows/app-window';
import { setupWithHomeSsh, setupWithPassword } from './flows/setup-wizard';
import { openLabBrowser, skipWithoutLab } from './lab-browser';
import type { LabBrowser } from './lab-browser';

// The setup wizard on the fresh-router lab (flows/setup-wizard.ts): `homeward serve` and Chromium
// both run in the laptop's namespace.

const password = "lab pass 'w0rd' $(x)";

test.describe('setup wizard on the fresh-router lab', () => {
  skipWithoutLab('setup lab e2e');

  let dataDir: string | undefined;
  let lab: Lab | undefined;
  let opened: LabBrowser | undefined;

  test.afterEach(async () => {
    await opened?.close();
    await lab?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** The lab, the browser host and Chromium, all in the laptop namespace. */
  async function up(options: StartOptions): Promise<{ l: Lab; app: AppWindow }> {
    lab = await startLab('fresh-router', options);
    dataDir = mkdtempSync(path.join(tmpdir(), 'homeward-e2e-setup-lab-'));
    opened = await openLabBrowser(lab, dataDir);
    return { l: lab, app: opened.app };
  }

  test('from discovery to a passing verify, then an L2 lease on the bridged SSID', async () => {
    test.setTimeout(420_000);
    const { l, app } = await up({ rootPassword: password });
    await setupWithPassword(app, l, password);
  });

  test('router by key file and home over SSH: both ends planned, applied and confirmed', async () => {
    test.setTimeout(420_000);
    const { l, app } = await up({});
    await setupWithHomeSsh(app, l);
  });
});
