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
import { historyExport, troubleshootBlackHole, troubleshootHealthy } from './flows/troubleshoot';
import { chromiumPath } from './playwright.config';

// The screens against the lab: `homeward serve` and Chromium both run inside the laptop's network
// namespace, so the page's 127.0.0.1 is the laptop's and the doctor measures the lab for real.

const reason = labUnavailableReason();

test.describe('troubleshooter and history on the lab', () => {
  test.describe.configure({ mode: 'serial' });
  if (reason !== undefined && process.env['CI'] !== 'true') {
    console.log(`[lab e2e] skipped: ${reason}`);
    test.skip(true, reason);
  }

  let dataDir: string;
  let lab: Lab | undefined;
  let host: RunningHost | undefined;
  let browser: Browser | undefined;

  test.beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'homeward-e2e-lab-'));
  });

  async function down(): Promise<void> {
    await browser?.close().catch(() => undefined);
    browser = undefined;
    await host?.stop();
    host = undefined;
    await lab?.stop();
    lab = undefined;
  }

  test.afterEach(down);
  test.afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  /** A lab, the browser host and Chromium, all in the laptop namespace. */
  async function up(options: StartOptions): Promise<{ lab: Lab; app: AppWindow }> {
    lab = await startLab('default', options);
    const ns = lab.netns('laptop');
    // Each lab makes new host keys; the data dir's known_hosts would call them changed.
    rmSync(path.join(dataDir, 'known_hosts'), { force: true });
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
      acceptDownloads: true,
    });
    return { lab, app: browserWindow(await context.newPage(), host.url) };
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
