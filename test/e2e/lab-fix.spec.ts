import { chromium, expect, test } from '@playwright/test';
import type { Browser } from '@playwright/test';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { labUnavailableReason, startLab } from '../lab/index';
import type { Lab } from '../lab/index';
import { startBrowserHost } from './browser-host';
import type { RunningHost } from './browser-host';
import { browserWindow } from './flows/app-window';
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
    const { page } = app;
    await troubleshootBlackHole(app, l);

    // Home's SSH, reached from the laptop through the router's NAT at home's WAN address.
    await l.execOk('home', 'iptables -I INPUT -p tcp --dport 22 -j ACCEPT');
    const dhcpBefore = await l.execOk('home', 'uci export dhcp');
    const card = page.locator('[data-finding="mtu.l2-black-hole"]');
    await card.getByTestId('fix-open').click();
    const panel = card.getByTestId('fix-panel');
    await expect(panel).toHaveAttribute('data-remedy', 'home-dhcp-mtu');
    await expect(panel).toContainText('MTU 1370');
    await panel.locator('input[name="fixHome.host"]').fill('192.0.2.2');
    await panel.locator('input[name="fixHome.identity"]').fill(l.keyPath);
    await panel.getByTestId('fix-preview').click();
    // Home's host key is new to Homeward: shown, confirmed, then the preview.
    await expect(panel.getByTestId('error')).toHaveAttribute('data-kind', 'host-key-unknown', {
      timeout: 30_000,
    });
    await expect(panel.getByTestId('fingerprint')).toHaveText(
      (await l.sshTarget('home')).fingerprint,
    );
    await panel.getByTestId('trust-host-key').click();
    const diff = panel.getByTestId('diff-home');
    await expect(diff).toContainText("list dhcp_option '26,1370'", { timeout: 30_000 });
    expect(await l.execOk('home', 'uci export dhcp')).toBe(dhcpBefore);
    await page.screenshot({
      path: test.info().outputPath('lab-fix-preview-en.png'),
      fullPage: true,
    });
    await page.getByTestId('language-switch').selectOption('zh-CN');
    await expect(panel.getByTestId('fix-preview')).toHaveText('预览改动');
    await page.screenshot({
      path: test.info().outputPath('lab-fix-preview-zh-CN.png'),
      fullPage: true,
    });
    await page.getByTestId('language-switch').selectOption('en');

    await panel.locator('input[name=fixRollbackS]').fill('60');
    await panel.getByTestId('fix-apply').click();
    await expect(panel.getByTestId('countdown').or(panel.getByTestId('fix-outcome'))).toBeVisible({
      timeout: 30_000,
    });
    const outcome = panel.getByTestId('fix-outcome');
    await expect(outcome).toHaveAttribute('data-outcome', 'applied', { timeout: 120_000 });
    expect(await l.execOk('home', 'uci export dhcp')).toContain("list dhcp_option '26,1370'");
    await page.screenshot({
      path: test.info().outputPath('lab-fix-applied-en.png'),
      fullPage: true,
    });

    await outcome.getByTestId('fix-rerun').click();
    const verdict = page.getByTestId('verdict');
    await expect(verdict).toHaveAttribute('data-vr-ready', 'true', { timeout: 180_000 });
    await expect(page.locator('[data-finding="mtu.l2-black-hole"]')).toHaveCount(0);
  });
});
