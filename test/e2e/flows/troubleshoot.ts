import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Lab } from '../../lab/index';
import type { AppWindow } from './app-window';

// The troubleshooter and the history on a running lab, for any shell that reaches the lab router
// (Chromium or Electron inside the laptop's namespace).

const root = path.resolve(import.meta.dirname, '../../..');

async function fillForm(page: Page, lab: Lab, target: number, duration: number): Promise<void> {
  await page.locator('input[name=host]').fill(lab.lanAddress('router'));
  await page.locator('input[name=identity]').fill(lab.keyPath);
  await page.locator('input[name=target]').fill(String(target));
  await page.locator('input[name=duration]').fill(String(duration));
}

/** Lab started with `l2ClientMtu1500`: trust the host key, then the black-hole card and its fix. */
export async function troubleshootBlackHole(app: AppWindow, lab: Lab): Promise<void> {
  const { page } = app;
  await app.open('#/troubleshoot');
  await fillForm(page, lab, 30, 2);
  await page.getByTestId('doctor-start').click();
  const error = page.getByTestId('error');
  await expect(error).toHaveAttribute('data-kind', 'host-key-unknown', { timeout: 30_000 });
  const { fingerprint } = await lab.sshTarget('router');
  await expect(page.getByTestId('fingerprint')).toHaveText(fingerprint);
  await page.screenshot({ path: test.info().outputPath('lab-host-key-en.png'), fullPage: true });
  await page.getByTestId('trust-host-key').click();
  await expect(page.getByTestId('run-progress')).toHaveAttribute('data-phase', 'running');
  await expect(page.locator('[data-check="router.reach"]')).toHaveAttribute('data-status', 'pass', {
    timeout: 30_000,
  });
  const verdict = page.getByTestId('verdict');
  await expect(verdict).toBeVisible({ timeout: 180_000 });
  await expect(verdict).toHaveAttribute('data-vr-ready', 'false');
  const card = page.locator('[data-finding="mtu.l2-black-hole"]');
  await expect(card).toBeVisible();
  await expect(card.getByTestId('finding-fix')).toContainText('1370');
  await page.screenshot({ path: test.info().outputPath('lab-black-hole-en.png'), fullPage: true });
  await page.getByTestId('language-switch').selectOption('zh-CN');
  await expect(card.getByTestId('finding-fix')).toContainText('修复');
  await page.screenshot({
    path: test.info().outputPath('lab-black-hole-zh-CN.png'),
    fullPage: true,
  });
  await page.getByTestId('language-switch').selectOption('en');
}

/** Default lab, host key accepted up front: VR-ready, with live charts drawn during the run. */
export async function troubleshootHealthy(app: AppWindow, lab: Lab): Promise<void> {
  const { page } = app;
  await app.open('#/troubleshoot');
  await fillForm(page, lab, 30, 3);
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
}

/**
 * After the two runs above (one not ready, one ready): both are in the history, and the HTML
 * export of all runs opens and holds no private key of the lab or of the sign-in key.
 */
export async function historyExport(app: AppWindow, lab: Lab, scenario: string): Promise<void> {
  const { page } = app;
  await app.open('#/history');
  await expect(page.getByTestId('run-row')).toHaveCount(2);
  await expect(page.locator('[data-testid=run-row] .ready')).toHaveCount(1);
  await page.screenshot({ path: test.info().outputPath('lab-history-en.png'), fullPage: true });
  const download = page.waitForEvent('download');
  await page.getByTestId('export-all').click();
  const file = test.info().outputPath('lab-report.html');
  await (await download).saveAs(file);
  const html = readFileSync(file, 'utf8');
  const secrets = [
    ...privateKeysOf(scenario),
    ...readFileSync(lab.keyPath, 'utf8')
      .split('\n')
      .filter((line) => line.length > 40 && !line.startsWith('-----')),
  ];
  expect(secrets.length).toBeGreaterThan(2);
  for (const secret of secrets) expect(html).not.toContain(secret);
  expect(html).not.toMatch(/PRIVATE KEY/);
  const report = await app.openFile(file);
  await expect(report.locator('body')).toContainText(lab.lanAddress('router'));
  await report.screenshot({ path: test.info().outputPath('lab-report-html.png'), fullPage: true });
}

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
