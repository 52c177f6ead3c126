import { chromium, test } from '@playwright/test';
import type { Browser } from '@playwright/test';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { labUnavailableReason, startLab } from '../lab/index';
import type { Lab } from '../lab/index';
import { startBrowserHost } from './browser-host';
import type { RunningHost } from './browser-host';
import { browserWindow } from './flows/app-window';
import { applyBlackHoleFix } from './flows/fix';
import { troubleshootBlackHole } from './flows/troubleshoot';
import { chromiumPath } from './playwright.config';

// A finding's "fix it for me" on the lab: the L2 black hole's remedy is previewed as home's UCI
// diff, applied with the armed rollback, and the checks run again come out VR-ready.

const reason = labUnavailableReason();

test.describe('troubleshooter applies a finding fix on the lab', () => {
  if (reason !== undefined && process.env['CI'] !== 'true') {
    console.log(`[lab e2e] skipped: ${reason}`);
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

  test('L2 black hole: preview home’s DHCP change, apply with rollback, run again: VR-ready', async () => {
    test.setTimeout(360_000);
    dataDir = mkdtempSync(path.join(tmpdir(), 'homeward-e2e-fix-'));
    const l = (lab = await startLab('default', { l2ClientMtu1500: true }));
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
    const app = browserWindow(await context.newPage(), host.url);
    await troubleshootBlackHole(app, l);

    await applyBlackHoleFix(app, l);
  });
});
