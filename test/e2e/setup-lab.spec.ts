import { chromium, test } from '@playwright/test';
import type { Browser } from '@playwright/test';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { labUnavailableReason, startLab } from '../lab/index';
import type { Lab, StartOptions } from '../lab/index';
import { startBrowserHost } from './browser-host';
import type { RunningHost } from './browser-host';
import { browserWindow } from './flows/app-window';
import type { AppWindow } from './flows/app-window';
import { setupWithHomeSsh, setupWithPassword } from './flows/setup-wizard';
import { chromiumPath } from './playwright.config';

// The setup wizard on the fresh-router lab (flows/setup-wizard.ts): `homeward serve` and Chromium
// both run in the laptop's namespace.

const reason = labUnavailableReason();
const password = "lab pass 'w0rd' $(x)";

test.describe('setup wizard on the fresh-router lab', () => {
  if (reason !== undefined && process.env['CI'] !== 'true') {
    console.log(`[setup lab e2e] skipped: ${reason}`);
    test.skip(true, reason);
  }

  let dataDir: string | undefined;
  let lab: Lab | undefined;
  let host: RunningHost | undefined;
  let browser: Browser | undefined;

  test.afterEach(async () => {
    await browser?.close().catch(() => undefined);
    await host?.stop();
    await lab?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** The lab, the browser host and Chromium, all in the laptop namespace. */
  async function up(options: StartOptions): Promise<{ l: Lab; app: AppWindow }> {
    lab = await startLab('fresh-router', options);
    const l = lab;
    dataDir = mkdtempSync(path.join(tmpdir(), 'homeward-e2e-setup-lab-'));
    const ns = l.netns('laptop');
    host = await startBrowserHost({ HOMEWARD_DATA_DIR: dataDir }, ['ip', 'netns', 'exec', ns]);
    const wrapper = path.join(dataDir, 'chromium-in-laptop.sh');
    writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec '${ns}' '${chromiumPath}' "$@"\n`);
    chmodSync(wrapper, 0o755);
    browser = await chromium.launch({
      executablePath: wrapper,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    const context = await browser.newContext({
      locale: 'en-US',
      viewport: { width: 1280, height: 800 },
    });
    return { l, app: browserWindow(await context.newPage(), host.url) };
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
