import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBrowserHost } from './browser-host';
import type { RunningHost } from './browser-host';
import { seedHistoryInChild } from './seed-history';

// Every screen against the real browser host and a history seeded with the app's own store;
// no lab needed. Screenshots land in test-results/e2e/<test>/.

const seeded = 30;
let host: RunningHost;
let dataDir: string;
let identity: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'homeward-e2e-'));
  seedHistoryInChild(dataDir, seeded);
  identity = path.join(dataDir, 'id_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', identity]);
  host = await startBrowserHost({ HOMEWARD_DATA_DIR: dataDir });
});

test.afterAll(async () => {
  await host?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const locales = [
  { locale: 'en', system: 'en-US', viewport: { width: 1280, height: 800 } },
  { locale: 'zh-CN', system: 'zh-CN', viewport: { width: 1920, height: 1080 } },
] as const;

async function open(page: Page, hash: string): Promise<void> {
  await page.goto(`${host.url}${hash}`);
  await expect(page.getByTestId('app-name')).toBeVisible();
}

/** Tabs from the top of the page and returns the test ids / names focused, in order. */
async function tabOrder(page: Page, presses: number): Promise<string[]> {
  await page.locator('body').focus();
  const seen: string[] = [];
  for (let i = 0; i < presses; i += 1) {
    await page.keyboard.press('Tab');
    seen.push(
      await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return el?.dataset['testid'] ?? el?.getAttribute('name') ?? el?.tagName ?? '';
      }),
    );
  }
  return seen;
}

function expectInOrder(seen: string[], wanted: string[]): void {
  let at = -1;
  for (const name of wanted) {
    const next = seen.indexOf(name, at + 1);
    expect(
      next,
      `${name} reached by Tab after ${wanted[wanted.indexOf(name) - 1]}: ${seen.join(', ')}`,
    ).toBeGreaterThan(at);
    at = next;
  }
}

for (const { locale, system, viewport } of locales) {
  test.describe(`screens in ${locale}`, () => {
    test.use({ locale: system, viewport });

    test('troubleshooter: form, keyboard order, and a refused connection shown with its fix', async ({
      page,
    }) => {
      await open(page, '#/troubleshoot');
      await expect(page.getByRole('heading', { level: 2 })).toHaveText(
        locale === 'en' ? 'Why is VR streaming failing?' : 'VR 串流为什么卡？',
      );
      await page.screenshot({
        path: test.info().outputPath(`troubleshoot-${locale}.png`),
        fullPage: true,
      });
      expectInOrder(await tabOrder(page, 20), [
        'nav-troubleshoot',
        'host',
        'port',
        'user',
        'identity',
        'accept-host-key',
        'target',
        'streamer',
        'packet',
        'duration',
        'home-iperf',
        'doctor-start',
      ]);
      await page.locator('select[name=streamer]').selectOption('steam-link');
      await expect(page.locator('input[name=packet]')).toHaveValue('1200');

      // A real run: nothing listens on this port, so the doctor ends with connect-refused.
      const port = await closedPort();
      await page.locator('input[name=host]').fill('127.0.0.1');
      await page.locator('input[name=port]').fill(String(port));
      await page.locator('input[name=identity]').fill(identity);
      await page.getByTestId('doctor-start').click();
      const error = page.getByTestId('error');
      await expect(error).toBeVisible({ timeout: 30_000 });
      await expect(error).toHaveAttribute('data-kind', 'connect-refused');
      await expect(error).toContainText(locale === 'en' ? 'What to do' : '怎么办');
      await expect(page.getByTestId('check-list')).toBeVisible();
      await page.screenshot({
        path: test.info().outputPath(`troubleshoot-error-${locale}.png`),
        fullPage: true,
      });
    });

    test('history: list, filters, charts, a run report, export', async ({ page }) => {
      await open(page, '#/history');
      await expect(page.getByTestId('run-row')).toHaveCount(seeded);
      await expect(page.getByTestId('chart-throughput')).toHaveAttribute('data-ready', 'true');
      await expect(page.getByTestId('chart-loss')).toHaveAttribute('data-ready', 'true');
      await page.screenshot({
        path: test.info().outputPath(`history-${locale}.png`),
        fullPage: true,
      });

      await page.getByTestId('filter-router').selectOption('gl-axt1800');
      await expect(page.getByTestId('run-row')).toHaveCount(seeded / 2);
      await page.getByTestId('filter-router').selectOption('');
      await page.getByTestId('filter-location').selectOption('Hotel Lobby');
      await expect(page.getByTestId('run-row')).toHaveCount(seeded / 3);
      await page.getByTestId('filter-location').selectOption('');
      await expect(page.getByTestId('run-row')).toHaveCount(seeded);

      const seen = await tabOrder(page, 12);
      expectInOrder(seen, ['nav-history', 'filter-router', 'filter-location', 'export-format']);

      const rows = page.getByTestId('run-row');
      await rows.nth(0).getByRole('checkbox').check();
      await rows.nth(1).getByRole('checkbox').check();
      const downloadPromise = page.waitForEvent('download');
      await page.getByTestId('export-selected').click();
      const download = await downloadPromise;
      expect(download.suggestedFilename()).toMatch(/^homeward-.*\.html$/);
      const file = test.info().outputPath(`export-${locale}.html`);
      await download.saveAs(file);
      const html = readFileSync(file, 'utf8');
      expect(html).toContain('<html');
      expect(html).not.toMatch(/PRIVATE KEY|PrivateKey/);

      await page.getByTestId('export-format').selectOption('json');
      const jsonDownload = page.waitForEvent('download');
      await page.getByTestId('export-all').click();
      const json = JSON.parse(readFileSync(await (await jsonDownload).path(), 'utf8')) as unknown;
      expect(JSON.stringify(json)).toContain('homeward.doctor/1');

      await rows.nth(0).getByRole('link').click();
      await expect(page).toHaveURL(/#\/history\/\d+$/);
      await expect(page.getByTestId('verdict')).toBeVisible();
      await expect(page.getByTestId('waterfall')).toBeVisible();
      await page.screenshot({
        path: test.info().outputPath(`history-run-${locale}.png`),
        fullPage: true,
      });
    });

    test('packet anatomy: the seed ladder and the black hole', async ({ page }) => {
      await open(page, '#/packet');
      await expect(page.getByTestId('sum-wg0')).toHaveText('1420 + 150 + 598');
      await expect(page.getByTestId('rung-wireguard')).toContainText('1420');
      await expect(page.getByTestId('rung-l2')).toContainText('1370');
      await page.screenshot({
        path: test.info().outputPath(`packet-${locale}.png`),
        fullPage: true,
      });
      await page.getByTestId('preset-black-hole').click();
      await expect(page.getByTestId('fragment-ladder')).toHaveAttribute('data-delivered', 'false');
      await expect(page.getByTestId('packet-outcome')).toContainText('1370');
      await page.getByTestId('preset-option-26').click();
      await expect(page.getByTestId('sum-wg0')).toHaveText('1414 + 734');
      expectInOrder(await tabOrder(page, 16), [
        'nav-packet',
        'packet-size',
        'client-mtu',
        'l2-mtu',
      ]);
    });
  });
}

test.describe('dark mode', () => {
  test.use({ colorScheme: 'dark', viewport: { width: 1280, height: 800 } });
  test('screens stay readable in the dark scheme', async ({ page }) => {
    for (const [name, hash] of [
      ['home', '#/'],
      ['troubleshoot', '#/troubleshoot'],
      ['history', '#/history'],
      ['packet', '#/packet'],
    ] as const) {
      await open(page, hash);
      const bg = await page.evaluate(
        () => getComputedStyle(document.documentElement).backgroundColor,
      );
      expect(bg, name).toBe('rgb(15, 20, 25)');
      await page.screenshot({ path: test.info().outputPath(`${name}-dark.png`), fullPage: true });
    }
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
