import { chromium, expect, test } from '@playwright/test';
import type { Browser, Page } from '@playwright/test';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { labUnavailableReason, startLab } from '../lab/index';
import type { Lab, StartOptions } from '../lab/index';
import { startBrowserHost } from './browser-host';
import type { RunningHost } from './browser-host';
import { chromiumPath } from './playwright.config';

// The screens against the lab: `homeward serve` and Chromium both run inside the laptop's network
// namespace, so the page's 127.0.0.1 is the laptop's and the doctor measures the lab for real.

const reason = labUnavailableReason();
const root = path.resolve(import.meta.dirname, '../..');

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
  async function up(options: StartOptions): Promise<{ lab: Lab; page: Page }> {
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
    const page = await context.newPage();
    await page.goto(`${host.url}#/troubleshoot`);
    return { lab, page };
  }

  async function fillForm(page: Page, l: Lab, target: number, duration: number): Promise<void> {
    await page.locator('input[name=host]').fill(l.lanAddress('router'));
    await page.locator('input[name=identity]').fill(l.keyPath);
    await page.locator('input[name=target]').fill(String(target));
    await page.locator('input[name=duration]').fill(String(duration));
  }

  test('L2 black hole: asks to trust the host key, then shows mtu.l2-black-hole with its fix', async () => {
    test.setTimeout(240_000);
    const { lab: l, page } = await up({ l2ClientMtu1500: true });
    await fillForm(page, l, 30, 2);
    await page.getByTestId('doctor-start').click();
    const error = page.getByTestId('error');
    await expect(error).toHaveAttribute('data-kind', 'host-key-unknown', { timeout: 30_000 });
    const { fingerprint } = await l.sshTarget('router');
    await expect(page.getByTestId('fingerprint')).toHaveText(fingerprint);
    await page.screenshot({ path: test.info().outputPath('lab-host-key-en.png'), fullPage: true });
    await page.getByTestId('trust-host-key').click();
    await expect(page.getByTestId('run-progress')).toHaveAttribute('data-phase', 'running');
    await expect(page.locator('[data-check="router.reach"]')).toHaveAttribute(
      'data-status',
      'pass',
      {
        timeout: 30_000,
      },
    );
    const verdict = page.getByTestId('verdict');
    await expect(verdict).toBeVisible({ timeout: 180_000 });
    await expect(verdict).toHaveAttribute('data-vr-ready', 'false');
    const card = page.locator('[data-finding="mtu.l2-black-hole"]');
    await expect(card).toBeVisible();
    await expect(card.getByTestId('finding-fix')).toContainText('1370');
    await page.screenshot({
      path: test.info().outputPath('lab-black-hole-en.png'),
      fullPage: true,
    });
    await page.getByTestId('language-switch').selectOption('zh-CN');
    await expect(card.getByTestId('finding-fix')).toContainText('修复');
    await page.screenshot({
      path: test.info().outputPath('lab-black-hole-zh-CN.png'),
      fullPage: true,
    });
    await page.getByTestId('language-switch').selectOption('en');
  });

  test('healthy default: VR-ready, live charts drawn during the run', async () => {
    test.setTimeout(240_000);
    const { lab: l, page } = await up({});
    await fillForm(page, l, 30, 3);
    await page.locator('input[name=accept-host-key]').check();
    await page.getByTestId('doctor-start').click();
    await expect(page.getByTestId('chart-throughput.lan')).toHaveAttribute('data-ready', 'true', {
      timeout: 120_000,
    });
    const verdict = page.getByTestId('verdict');
    await expect(verdict).toBeVisible({ timeout: 180_000 });
    await expect(verdict).toHaveAttribute('data-vr-ready', 'true');
    await expect(page.getByTestId('verdict-title')).toHaveText('VR-ready');
    await expect(page.getByTestId('waterfall').locator('[data-segment=tunnel]')).toContainText(
      'Mbps',
    );
    await page.screenshot({ path: test.info().outputPath('lab-healthy-en.png'), fullPage: true });

    // Both runs are in the history; the HTML export opens and holds no private key.
    await page.goto(`${host!.url}#/history`);
    await expect(page.getByTestId('run-row')).toHaveCount(2);
    await expect(page.locator('[data-testid=run-row] .ready')).toHaveCount(1);
    await page.screenshot({ path: test.info().outputPath('lab-history-en.png'), fullPage: true });
    const download = page.waitForEvent('download');
    await page.getByTestId('export-all').click();
    const file = test.info().outputPath('lab-report.html');
    await (await download).saveAs(file);
    const html = readFileSync(file, 'utf8');
    const secrets = [
      ...privateKeysOf('default'),
      ...readFileSync(l.keyPath, 'utf8')
        .split('\n')
        .filter((line) => line.length > 40 && !line.startsWith('-----')),
    ];
    expect(secrets.length).toBeGreaterThan(2);
    for (const secret of secrets) expect(html).not.toContain(secret);
    expect(html).not.toMatch(/PRIVATE KEY/);
    const report = await page.context().newPage();
    await report.goto(`file://${file}`);
    await expect(report.locator('body')).toContainText(l.lanAddress('router'));
    await report.screenshot({
      path: test.info().outputPath('lab-report-html.png'),
      fullPage: true,
    });
  });
});

function privateKeysOf(scenario: string): string[] {
  const keys: string[] = [];
  for (const node of ['router', 'home']) {
    const text = readFileSync(
      path.join(root, 'test/lab/scenarios', scenario, node, 'network'),
      'utf8',
    );
    for (const match of text.matchAll(/option (?:private_key|preshared_key) '([^']+)'/g))
      if (match[1]) keys.push(match[1]);
  }
  return keys;
}
