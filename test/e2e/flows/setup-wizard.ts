import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import type { SetupIntent } from '../../../src/shared/setup';
import { labIntent } from '../../integration/setup-harness';
import type { Lab } from '../../lab/index';
import type { AppWindow } from './app-window';

// The setup wizard on the fresh-router lab, for any shell running in the laptop's namespace:
// discovery, sign-in, plan, apply and the doctor all reach the lab router as they would a real one
// on the desk.

/** Saves the page in English and in Chinese, then goes back to English. */
async function shots(page: Page, name: string): Promise<void> {
  const file = (locale: string) => test.info().outputPath(`setup-lab-${name}-${locale}.png`);
  await page.screenshot({ path: file('en'), fullPage: true });
  await page.getByTestId('language-switch').selectOption('zh-CN');
  await expect(page.getByTestId('setup-next').or(page.getByTestId('verify'))).toContainText(
    /下一步|检查/,
  );
  await page.screenshot({ path: file('zh-CN'), fullPage: true });
  await page.getByTestId('language-switch').selectOption('en');
}

/**
 * Steps 3 to 5 with the lab intent; `prefix` names the screenshots. `measure`: the router (its
 * key already pinned by the password sign-in) measures the underlay for the MTU ladder.
 */
async function fillIntent(
  page: Page,
  intent: SetupIntent,
  prefix: string,
  measure = false,
): Promise<void> {
  const setup = page.getByTestId('setup');
  const next = page.getByTestId('setup-next');
  // 3. Home connection: the wg-quick file home exported for this router.
  await expect(setup).toHaveAttribute('data-step', 'home');
  await page
    .locator('textarea[name=wgQuick]')
    .fill(
      [
        '[Interface]',
        `PrivateKey = ${intent.travel.privateKey}`,
        `Address = ${intent.travel.tunnelAddress}`,
        '',
        '[Peer]',
        `PublicKey = ${intent.home.publicKey}`,
        `Endpoint = ${intent.home.endpointHost}:${intent.home.endpointPort}`,
        'AllowedIPs = 10.0.31.1/32',
        `PersistentKeepalive = ${intent.keepaliveS}`,
      ].join('\n'),
    );
  await page.getByTestId('wg-import').click();
  await expect(page.locator('input[name="travel.publicKey"]')).toHaveValue(intent.travel.publicKey);
  await page.locator('input[name="home.tunnelAddress"]').fill(intent.home.tunnelAddress);
  await page.locator('input[name="home.name"]').fill(intent.home.name);
  await page.locator('input[name="travel.name"]').fill(intent.travel.name);
  await expect(page.locator('[data-testid=field-error]')).toHaveCount(0);
  await shots(page, `3-home-${prefix}`);
  await next.click();

  // 4. L2 bridge: the seed's VXLAN 8 on 4789, option 26 at 1370, from an underlay the router
  // measures to home's endpoint before any tunnel exists (the lab's uplink carries 1500).
  await expect(setup).toHaveAttribute('data-step', 'bridge');
  if (measure) {
    await page.locator('input[name=underlayMtu]').fill('1400');
    await expect(page.getByTestId('mtu-ladder')).not.toHaveAttribute('data-l2', '1370');
    await page.getByTestId('measure-underlay').click();
    await expect(page.getByTestId('underlay-result')).toHaveAttribute('data-mtu', '1500', {
      timeout: 60_000,
    });
    await expect(page.locator('input[name=underlayMtu]')).toHaveValue('1500');
  }
  await expect(page.getByTestId('mtu-ladder')).toHaveAttribute('data-l2', '1370');
  await shots(page, `4-bridge-${prefix}`);
  await next.click();

  // 5. Wi-Fi: the SSIDs the lab's stations look for.
  await expect(setup).toHaveAttribute('data-step', 'wifi');
  for (const which of ['l3', 'l2'] as const) {
    const spec = intent.wifi[which];
    await page.locator(`input[name="wifi.${which}.ssid"]`).fill(spec.ssid);
    await page.locator(`input[name="wifi.${which}.password"]`).fill(spec.password);
    await page.locator(`select[name="wifi.${which}.encryption"]`).selectOption(spec.encryption);
  }
  await expect(page.locator('[data-testid=field-error]')).toHaveCount(0);
  await shots(page, `5-wifi-${prefix}`);
  await next.click();
}

/**
 * Lab started with `rootPassword: password`: from discovery to a passing verify, then an L2 lease
 * on the bridged SSID.
 */
export async function setupWithPassword(app: AppWindow, lab: Lab, password: string): Promise<void> {
  const { page } = app;
  const intent = labIntent();
  const setup = page.getByTestId('setup');
  const next = page.getByTestId('setup-next');

  // 1. Find: the lab router is in the discovery list; picking it fills the address.
  await app.open('');
  await page.getByTestId('entry-setup').click();
  const routerAddress = lab.lanAddress('router');
  const candidate = page.locator(`[data-testid=candidate][data-address="${routerAddress}"]`);
  await expect(candidate).toBeVisible({ timeout: 20_000 });
  await expect(candidate).toContainText('OpenWrt');
  await page.locator('input[name="router.host"]').fill('');
  await candidate.click();
  await expect(candidate).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('input[name="router.host"]')).toHaveValue(routerAddress);
  await shots(page, '1-find');
  await next.click();

  // 2. Sign in with the password: the host key is shown and confirmed, then the key installed.
  await expect(setup).toHaveAttribute('data-step', 'sign-in');
  await page.locator('input[name=password]').fill(password);
  await page.getByTestId('sign-in').click();
  await expect(page.getByTestId('error')).toHaveAttribute('data-kind', 'host-key-unknown', {
    timeout: 20_000,
  });
  const { fingerprint } = await lab.sshTarget('router');
  await expect(page.getByTestId('fingerprint')).toHaveText(fingerprint);
  await shots(page, '2-sign-in-host-key');
  await page.getByTestId('trust-host-key').click();
  await expect(page.getByTestId('key-login')).toHaveAttribute('data-verified', 'true', {
    timeout: 30_000,
  });
  await expect(page.getByTestId('host-key-fingerprint')).toHaveText(fingerprint);
  await expect(page.locator('input[name=password]')).toHaveCount(0);
  await shots(page, '2-sign-in');
  await next.click();

  await fillIntent(page, intent, 'password', true);

  // 6. Review: the per-file diff, the missing package, home as paste text.
  await expect(setup).toHaveAttribute('data-step', 'review');
  await expect(page.getByTestId('plan')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('[data-testid=diff-router] [data-config=network]')).toContainText(
    "+config interface 'wg0'",
  );
  await expect(page.getByTestId('packages')).toContainText('luci-proto-vxlan');
  await expect(page.getByTestId('home-paste')).toHaveValue(/uci batch <<'HOMEWARD_UCI_END'/);
  await shots(page, '6-review');
  await next.click();

  // 7. Apply with a 60 s rollback: progress, then confirmed.
  await expect(setup).toHaveAttribute('data-step', 'apply');
  await page.locator('input[name=rollbackS]').fill('60');
  // The countdown shows only while the service waits on the router (reconnect), which can be
  // too quick to see: when it was on screen, it must have said what happens.
  const countdown = page
    .getByTestId('countdown')
    .waitFor({ timeout: 60_000 })
    .then(async () => (await page.getByTestId('countdown').textContent()) ?? '')
    .catch(() => undefined);
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('apply-progress')).toContainText('Arm rollback', {
    timeout: 30_000,
  });
  await expect(page.getByTestId('apply-outcome')).toHaveAttribute('data-outcome', 'applied', {
    timeout: 120_000,
  });
  await expect(page.getByTestId('apply-progress')).toContainText('Confirm');
  const shown = await Promise.race([countdown, Promise.resolve(undefined)]);
  test.info().annotations.push({ type: 'countdown', description: shown ?? 'not seen' });
  if (shown !== undefined) expect(shown).toMatch(/Rolls back in \d+ s unless confirmed/);
  await expect(page.getByTestId('countdown')).toHaveCount(0);
  expect((await lab.exec('router', 'ls -d /tmp/homeward-apply-* 2>/dev/null')).stdout).toBe('');
  await shots(page, '7-apply');
  await next.click();

  // 8. Verify: the doctor runs on its own; handshake and L2 DHCP pass.
  await expect(setup).toHaveAttribute('data-step', 'verify');
  await expect(page.getByTestId('setup-verified')).toHaveAttribute('data-passed', 'true', {
    timeout: 180_000,
  });
  for (const id of ['wireguard.handshake', 'l2.dhcp'])
    await expect(page.locator(`[data-check="${id}"]`)).toHaveAttribute('data-status', 'pass');
  await shots(page, '8-verify');

  // And a station on the bridged SSID gets its address from home with the segment's MTU.
  const { lease, output } = await lab.stationDhcp('l2client', 8);
  expect(lease?.ip, output).toMatch(/^192\.168\.35\./);
  expect(lease?.mtu).toBe(1370);
}

/** Router by key file and home over SSH: both ends planned, applied and confirmed. */
export async function setupWithHomeSsh(app: AppWindow, lab: Lab): Promise<void> {
  const { page } = app;
  const intent = labIntent();
  // Home's WAN address, reached from the laptop through the router's NAT (as from a hotel).
  await lab.execOk('home', 'iptables -I INPUT -p tcp --dport 22 -j ACCEPT');
  const setup = page.getByTestId('setup');
  const next = page.getByTestId('setup-next');

  await app.open('#/setup');
  const candidate = page.locator(
    `[data-testid=candidate][data-address="${lab.lanAddress('router')}"]`,
  );
  await candidate.click({ timeout: 20_000 });
  await next.click();
  await page.locator('input[name=sign-in-mode][value=key]').check();
  await page.locator('input[name=identity]').fill(lab.keyPath);
  await next.click();
  await page.getByTestId('home-ssh').click();
  await page.locator('input[name="homeSsh.host"]').fill('192.0.2.2');
  await page.locator('input[name="homeSsh.identity"]').fill(lab.keyPath);
  await fillIntent(page, intent, 'home-ssh');

  // Review: each end's host key is shown and trusted on its own, router first.
  await expect(setup).toHaveAttribute('data-step', 'review');
  const error = page.getByTestId('error');
  await expect(error).toHaveAttribute('data-kind', 'host-key-unknown', { timeout: 30_000 });
  await expect(page.getByTestId('fingerprint')).toHaveText(
    (await lab.sshTarget('router')).fingerprint,
  );
  await page.getByTestId('trust-host-key').click();
  await expect(error).toContainText('192.0.2.2', { timeout: 30_000 });
  await expect(page.getByTestId('fingerprint')).toHaveText(
    (await lab.sshTarget('home')).fingerprint,
  );
  await shots(page, '6-review-home-host-key');
  await page.getByTestId('trust-host-key').click();
  await expect(page.getByTestId('plan')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('home-paste')).toHaveCount(0);
  await expect(page.getByTestId('diff-home')).toContainText('vxlan');
  await shots(page, '6-review-home-ssh');
  await next.click();

  await page.locator('input[name=rollbackS]').fill('60');
  await page.getByTestId('apply').click();
  const outcome = page.getByTestId('apply-outcome');
  await expect(outcome).toHaveAttribute('data-outcome', 'applied', { timeout: 120_000 });
  await expect(outcome).toContainText('Home: Applied and confirmed');
  await shots(page, '7-apply-home-ssh');
  await next.click();

  await expect(page.getByTestId('setup-verified')).toHaveAttribute('data-passed', 'true', {
    timeout: 180_000,
  });
  for (const id of ['wireguard.handshake', 'l2.dhcp'])
    await expect(page.locator(`[data-check="${id}"]`)).toHaveAttribute('data-status', 'pass');
}
