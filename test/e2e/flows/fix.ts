import { expect, test } from '@playwright/test';
import type { Lab } from '../../lab/index';
import type { AppWindow } from './app-window';

/**
 * After troubleshootBlackHole: the card's "Fix it for me" previews home's DHCP change, applies
 * it with the armed rollback, and the checks run again come out VR-ready.
 */
export async function applyBlackHoleFix(app: AppWindow, lab: Lab): Promise<void> {
  const { page } = app;
  // Home's SSH, reached from the laptop through the router's NAT at home's WAN address.
  await lab.execOk('home', 'iptables -I INPUT -p tcp --dport 22 -j ACCEPT');
  const dhcpBefore = await lab.execOk('home', 'uci export dhcp');
  const card = page.locator('[data-finding="mtu.l2-black-hole"]');
  await card.getByTestId('fix-open').click();
  const panel = card.getByTestId('fix-panel');
  await expect(panel).toHaveAttribute('data-remedy', 'home-dhcp-mtu');
  await expect(panel).toContainText('MTU 1370');
  await panel.locator('input[name="fixHome.host"]').fill('192.0.2.2');
  await panel.locator('input[name="fixHome.identity"]').fill(lab.keyPath);
  await panel.getByTestId('fix-preview').click();
  // Home's host key is new to Homeward: shown, confirmed, then the preview.
  await expect(panel.getByTestId('error')).toHaveAttribute('data-kind', 'host-key-unknown', {
    timeout: 30_000,
  });
  await expect(panel.getByTestId('fingerprint')).toHaveText(
    (await lab.sshTarget('home')).fingerprint,
  );
  await panel.getByTestId('trust-host-key').click();
  const diff = panel.getByTestId('diff-home');
  await expect(diff).toContainText("list dhcp_option '26,1370'", { timeout: 30_000 });
  expect(await lab.execOk('home', 'uci export dhcp')).toBe(dhcpBefore);
  await page.screenshot({ path: test.info().outputPath('lab-fix-preview-en.png'), fullPage: true });
  await page.getByTestId('language-switch').selectOption('zh-CN');
  await expect(panel.getByTestId('fix-preview')).toHaveText('预览改动');
  await page.screenshot({
    path: test.info().outputPath('lab-fix-preview-zh-CN.png'),
    fullPage: true,
  });
  await page.getByTestId('language-switch').selectOption('en');

  await panel.locator('input[name=fixRollbackS]').fill('60');
  await panel.getByTestId('fix-apply').click();
  const outcome = panel.getByTestId('fix-outcome');
  await expect(outcome).toHaveAttribute('data-outcome', 'applied', { timeout: 120_000 });
  await expect(panel.getByTestId('apply-progress')).toContainText('Armed');
  expect(await lab.execOk('home', 'uci export dhcp')).toContain("list dhcp_option '26,1370'");
  await page.screenshot({ path: test.info().outputPath('lab-fix-applied-en.png'), fullPage: true });

  await outcome.getByTestId('fix-rerun').click();
  const verdict = page.getByTestId('verdict');
  await expect(verdict).toHaveAttribute('data-vr-ready', 'true', { timeout: 180_000 });
  await expect(page.locator('[data-finding="mtu.l2-black-hole"]')).toHaveCount(0);
}
