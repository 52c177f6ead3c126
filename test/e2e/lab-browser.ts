import { chromium, test } from '@playwright/test';
import type { Browser, BrowserContext } from '@playwright/test';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { labUnavailableReason } from '../lab/index';
import type { Lab } from '../lab/index';
import { startBrowserHost } from './browser-host';
import type { RunningHost } from './browser-host';
import { browserWindow } from './flows/app-window';
import type { AppWindow } from './flows/app-window';
import { chromiumPath } from './playwright.config';

/**
 * Inside a test.describe: outside CI a machine that cannot run the lab skips, saying why; in CI
 * the tests run and fail with the reason instead of passing silently.
 */
export function skipWithoutLab(tag: string): void {
  const reason = labUnavailableReason();
  if (reason !== undefined && process.env['CI'] !== 'true') {
    console.log(`[${tag}] skipped: ${reason}`);
    test.skip(true, reason);
  }
}

export interface LabBrowser {
  host: RunningHost;
  browser: Browser;
  context: BrowserContext;
  app: AppWindow;
  /** Chromium, then the host; the lab is the caller's. */
  close(): Promise<void>;
}

/**
 * `homeward serve` and Chromium both in the lab's laptop namespace, so the page's 127.0.0.1 is the
 * laptop's and the app measures the lab for real. Chromium is driven over a pipe, which crosses
 * the namespace; `dataDir` is the app's data dir (and holds the launcher script).
 */
export async function openLabBrowser(
  lab: Lab,
  dataDir: string,
  options: { viewport?: { width: number; height: number }; acceptDownloads?: boolean } = {},
): Promise<LabBrowser> {
  const ns = lab.netns('laptop');
  const host = await startBrowserHost({ HOMEWARD_DATA_DIR: dataDir }, ['ip', 'netns', 'exec', ns]);
  const wrapper = path.join(dataDir, 'chromium-in-laptop.sh');
  writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec '${ns}' '${chromiumPath}' "$@"\n`);
  chmodSync(wrapper, 0o755);
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: wrapper,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
  } catch (error) {
    await host.stop();
    throw error;
  }
  const context = await browser.newContext({
    locale: 'en-US',
    viewport: options.viewport ?? { width: 1280, height: 800 },
    ...(options.acceptDownloads ? { acceptDownloads: true } : {}),
  });
  const app = browserWindow(await context.newPage(), host.url);
  return {
    host,
    browser,
    context,
    app,
    close: async () => {
      await browser.close().catch(() => undefined);
      await host.stop();
    },
  };
}
