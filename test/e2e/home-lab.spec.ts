import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLab } from '../lab/index';
import type { Lab, StartOptions } from '../lab/index';
import { openLabBrowser, skipWithoutLab } from './lab-browser';
import type { LabBrowser } from './lab-browser';

// The Home screen's router card against the lab: `homeward serve` and Chromium run inside the
// laptop's namespace; the CLI (same data dir) records the router first, as a doctor run or a
// status would, and the card then reads it over SSH every ~10 s while Home is shown.

const root = path.resolve(import.meta.dirname, '../..');

test.describe('router card on the lab', () => {
  test.describe.configure({ mode: 'serial' });
  skipWithoutLab('lab e2e');

  let dataDir: string;
  let lab: Lab | undefined;
  let opened: LabBrowser | undefined;

  test.beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'homeward-e2e-home-lab-'));
  });

  test.afterEach(async () => {
    await opened?.close();
    opened = undefined;
    await lab?.stop();
    lab = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** A lab, the browser host and Chromium, all in the laptop namespace, on the Home screen. */
  async function up(options: StartOptions): Promise<{ lab: Lab; page: Page }> {
    lab = await startLab('default', options);
    opened = await openLabBrowser(lab, dataDir, { viewport: { width: 1280, height: 900 } });
    await opened.app.open('');
    return { lab, page: opened.app.page };
  }

  /** The built CLI in the laptop namespace with the test's data dir. */
  function cli(l: Lab, args: string[]): { status: number | null; stdout: string; stderr: string } {
    return spawnSync(
      'ip',
      [
        'netns',
        'exec',
        l.netns('laptop'),
        process.execPath,
        path.join(root, 'bin/homeward.js'),
        ...args,
      ],
      { env: { ...process.env, HOMEWARD_DATA_DIR: dataDir }, encoding: 'utf8', timeout: 120_000 },
    );
  }

  async function sshSyns(l: Lab): Promise<number> {
    const out = await l.execOk('router', 'iptables -L INPUT -v -n -x | grep homeward-count');
    return Number(out.trim().split(/\s+/)[0]);
  }

  test('empty until a doctor run remembers the router; then a live handshake age and the bridge; polling stops off Home', async () => {
    test.setTimeout(180_000);
    const { lab: l, page } = await up({});
    const card = page.getByTestId('router-card');
    await expect(card).toHaveAttribute('data-phase', 'empty');
    await expect(page.getByTestId('router-setup-link')).toHaveAttribute('href', '#/setup');
    await page.screenshot({
      path: test.info().outputPath('home-lab-empty-en.png'),
      fullPage: true,
    });

    const doctor = cli(l, [
      'doctor',
      '--router',
      l.lanAddress('router'),
      '--identity',
      l.keyPath,
      '--accept-new-host-key',
      '--quick',
      '--no-history',
    ]);
    expect(doctor.stdout + doctor.stderr).toContain('Router JCG_Q30P');

    await l.execOk(
      'router',
      'iptables -I INPUT -p tcp --dport 22 --syn -j ACCEPT -m comment --comment homeward-count',
    );
    // The next refresh (at most ~10 s) finds the remembered router and reads it.
    await expect(card).toHaveAttribute('data-phase', 'ready', { timeout: 20_000 });
    await expect(page.getByTestId('router-name')).toHaveText('JCG_Q30P');
    await expect(page.getByTestId('router-model')).toHaveText('JCG Q30 PRO');
    await expect(page.getByTestId('router-release')).toContainText('OpenWrt 23.05.5');
    await expect(page.getByTestId('router-signed-in')).toHaveAttribute('data-signed-in', 'true');
    await expect(page.getByTestId('router-tunnel')).toHaveAttribute('data-state', 'connected');
    await expect(page.getByTestId('router-bridge')).toHaveAttribute('data-state', 'up');
    await expect(page.getByTestId('bridge-vxlan')).toHaveAttribute('data-up', 'true');
    await expect(page.getByTestId('router-bridge')).toContainText('vxlan0');

    // The age ticks every second here, between the router's answers.
    const age = page.getByTestId('handshake-age');
    const first = Number(await age.getAttribute('data-age-s'));
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThan(150);
    await expect
      .poll(async () => Number(await age.getAttribute('data-age-s')), { timeout: 5000 })
      .toBeGreaterThanOrEqual(first + 2);
    await expect(age).toContainText(/last handshake \d+ (s|min)/);
    await page.screenshot({
      path: test.info().outputPath('home-lab-router-en.png'),
      fullPage: true,
    });

    // Refreshed from the router while Home is shown: new SSH connections arrive.
    const before = await sshSyns(l);
    await expect.poll(() => sshSyns(l), { timeout: 15_000 }).toBeGreaterThan(before);

    await page.getByTestId('language-switch').selectOption('zh-CN');
    await expect(page.getByTestId('router-tunnel')).toContainText('已连接');
    await expect(age).toContainText('上次握手');
    await page.screenshot({
      path: test.info().outputPath('home-lab-router-zh-CN.png'),
      fullPage: true,
    });
    await page.getByTestId('language-switch').selectOption('en');

    // Off Home the card is destroyed and its timers with it: no more connections.
    await opened!.app.open('#/packet');
    await expect(card).toHaveCount(0);
    await page.waitForTimeout(1500);
    const settled = await sshSyns(l);
    await page.waitForTimeout(12_000);
    expect(await sshSyns(l)).toBe(settled);
  });

  test('blocked WireGuard UDP: the card shows no handshake and the hint, the bridge still up', async () => {
    test.setTimeout(120_000);
    const { lab: l, page } = await up({ blockWireguardUdp: true });
    const { knownHostKey } = await l.sshTarget('router');
    const knownHosts = path.join(dataDir, 'known_hosts');
    writeFileSync(knownHosts, `${l.lanAddress('router')} ${knownHostKey}\n`);
    const status = cli(l, [
      'router',
      'status',
      '--host',
      l.lanAddress('router'),
      '--identity',
      l.keyPath,
    ]);
    expect(status.status, status.stderr).toBe(1);
    await page.reload();
    const tunnel = page.getByTestId('router-tunnel');
    await expect(tunnel).toHaveAttribute('data-state', 'never', { timeout: 20_000 });
    await expect(tunnel).toContainText('No handshake yet');
    await expect(tunnel).toContainText('troubleshooter');
    await expect(page.getByTestId('handshake-age')).toHaveCount(0);
    await expect(page.getByTestId('router-bridge')).toHaveAttribute('data-state', 'up');
    await page.screenshot({
      path: test.info().outputPath('home-lab-no-handshake-en.png'),
      fullPage: true,
    });
  });
});
