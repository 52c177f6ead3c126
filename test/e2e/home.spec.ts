import { expect, test } from '@playwright/test';
import { WebSocket } from 'ws';
import { startBrowserHost } from './browser-host';
import type { RunningHost } from './browser-host';

let host: RunningHost;

test.beforeAll(async () => {
  host = await startBrowserHost();
});

test.afterAll(async () => {
  await host?.stop();
});

test('home screen shows the local network and the three entry points in English', async ({
  browser,
}) => {
  const context = await browser.newContext({
    locale: 'en-US',
    viewport: { width: 1280, height: 800 },
  });
  const page = await context.newPage();
  await page.goto(host.url);
  await expect(page.getByTestId('app-name')).toHaveText('Homeward');
  await expect(page.getByRole('heading', { name: 'This computer' })).toBeVisible();
  await expect(page.getByTestId('entry-setup')).toContainText('Set up a router');
  await expect(page.getByTestId('entry-troubleshoot')).toContainText(
    'Why is VR streaming failing?',
  );
  await expect(page.getByTestId('entry-history')).toContainText('History');
  await expect(page.getByTestId('entry-setup')).toHaveAttribute('href', '#/setup');
  // The summary comes from system:local-network over the socket: the gateway cell fills in.
  const gateway = page.getByTestId('gateway');
  await expect(gateway).toBeVisible();
  const expected = await fetchGatewayOverSocket();
  await expect(gateway).toHaveText(expected ?? 'not reported');
  await page.screenshot({ path: test.info().outputPath('home-en.png'), fullPage: true });
  await context.close();
});

test('home screen follows a Chinese system and can switch language', async ({ browser }) => {
  const context = await browser.newContext({
    locale: 'zh-CN',
    viewport: { width: 1920, height: 1080 },
  });
  const page = await context.newPage();
  await page.goto(host.url);
  await expect(page.getByTestId('entry-troubleshoot')).toContainText('VR 串流为什么卡？');
  await expect(page.getByRole('heading', { name: '本机网络' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await page.screenshot({ path: test.info().outputPath('home-zh-CN.png'), fullPage: true });
  await page.getByTestId('language-switch').selectOption('en');
  await expect(page.getByTestId('entry-troubleshoot')).toContainText(
    'Why is VR streaming failing?',
  );
  await page.reload();
  await expect(page.getByTestId('entry-troubleshoot')).toContainText(
    'Why is VR streaming failing?',
  );
  await context.close();
});

test('the host refuses requests without the token and from a foreign origin', async ({
  browser,
}) => {
  const noToken = await fetch(`${host.origin}/`);
  expect(noToken.status).toBe(401);
  const asset = await fetch(`${host.origin}/assets/`);
  expect(asset.status).toBe(401);
  const foreign = await fetch(host.url, { headers: { origin: 'http://evil.example' } });
  expect(foreign.status).toBe(403);
  expect(
    await socketStatus(`ws://127.0.0.1:${new URL(host.url).port}/wrong/api`, host.origin),
  ).toBe(401);
  expect(await socketStatus(`${host.url.replace('http', 'ws')}api`, 'http://evil.example')).toBe(
    401,
  );

  // A page on another origin (here: about:blank's opaque origin) cannot open the API socket either.
  const page = await browser.newPage();
  const opened = await page.evaluate(
    async (wsUrl) => {
      return await new Promise<string>((resolve) => {
        const ws = new WebSocket(wsUrl);
        ws.onopen = () => resolve('open');
        ws.onerror = () => resolve('refused');
      });
    },
    `${host.url.replace('http', 'ws')}api`,
  );
  expect(opened).toBe('refused');
  await page.close();
});

function socketStatus(url: string, origin: string): Promise<number | 'open'> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { origin });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(-1));
  });
}

async function fetchGatewayOverSocket(): Promise<string | undefined> {
  const ws = new WebSocket(`${host.url.replace('http', 'ws')}api`, { origin: host.origin });
  await new Promise((resolve) => ws.once('open', resolve));
  const reply = new Promise<{ result: { ok: boolean; value?: { defaultGateway?: string } } }>(
    (resolve) => ws.once('message', (d: Buffer) => resolve(JSON.parse(d.toString('utf8')))),
  );
  ws.send(JSON.stringify({ id: 1, command: 'system:local-network', args: [] }));
  const { result } = await reply;
  ws.close();
  return result.value?.defaultGateway;
}
