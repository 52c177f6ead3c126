import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBrowserHost } from './browser-host';
import type { RunningHost } from './browser-host';

// The setup wizard without a lab: every step, the core's field errors as you type, and back and
// forward keeping what was typed. discovery:scan is answered in the page's WebSocket so nothing
// probes this machine's real networks; every other command goes to the real browser host.

const travelPrivate = 'yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=';
const homePublic = 'eVL0uj6T5wEMTs039QF9t+JtXOchHJWROCoq/4kEKlE=';
const wgQuick = `[Interface]
PrivateKey = ${travelPrivate}
Address = 10.0.31.103/32

[Peer]
PublicKey = ${homePublic}
Endpoint = op1.example.net:51820
AllowedIPs = 10.0.31.1/32
PersistentKeepalive = 25
`;

let host: RunningHost;
let dataDir: string;
let identity: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'homeward-e2e-setup-'));
  identity = path.join(dataDir, 'id_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', identity]);
  host = await startBrowserHost({ HOMEWARD_DATA_DIR: dataDir });
});

test.afterAll(async () => {
  await host?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A loopback port nothing listens on: the review's plan gets a refused connection. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function stubDiscovery(page: Page): Promise<string[]> {
  const scans: string[] = [];
  await page.routeWebSocket(/\/api$/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      const request = JSON.parse(String(message)) as { id: number; command: string };
      if (request.command !== 'discovery:scan') return server.send(message);
      scans.push(request.command);
      ws.send(
        JSON.stringify({
          type: 'result',
          id: request.id,
          result: { ok: true, value: { candidates: [], budgetMs: 3000, elapsedMs: 12 } },
        }),
      );
    });
  });
  return scans;
}

const fieldError = (page: Page, field: string) =>
  page.locator(`[data-testid=field-error][data-field="${field}"]`);

for (const { locale, system } of [
  { locale: 'en', system: 'en-US' },
  { locale: 'zh-CN', system: 'zh-CN' },
] as const) {
  test(`setup wizard in ${locale}: field errors as you type, back and forward keep values`, async ({
    browser,
  }) => {
    const context = await browser.newContext({
      locale: system,
      viewport: { width: 1280, height: 800 },
    });
    const page = await context.newPage();
    const shot = (name: string) =>
      page.screenshot({
        path: test.info().outputPath(`setup-${name}-${locale}.png`),
        fullPage: true,
      });
    const scans = await stubDiscovery(page);
    // The core writes each field error in both languages; the wizard shows the person's.
    const says = (en: string, zh: string) => (locale === 'en' ? en : zh);
    const port = await closedPort();

    // Home's entry point leads to the wizard.
    await page.goto(host.url);
    await page.getByTestId('entry-setup').click();
    await expect(page).toHaveURL(/#\/setup$/);
    const setup = page.getByTestId('setup');
    await expect(setup).toHaveAttribute('data-step', 'find');
    await expect(page.getByTestId('no-candidates')).toBeVisible();
    expect(scans).toHaveLength(1);
    await expect(page.getByTestId('setup-next')).toBeDisabled();
    await shot('1-find');

    // Keyboard: Tab walks host, port, user; Enter moves on.
    await page.locator('input[name="router.host"]').fill('127.0.0.1');
    await page.locator('input[name="router.host"]').press('Tab');
    await expect(page.locator('input[name="router.port"]')).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(page.locator('input[name="router.user"]')).toBeFocused();
    await page.locator('input[name="router.port"]').fill(String(port));
    await page.locator('input[name="router.host"]').press('Enter');
    await expect(setup).toHaveAttribute('data-step', 'sign-in');
    await expect(page.getByTestId('sign-in')).toBeDisabled();
    await shot('2-sign-in');
    await page.locator('input[name=sign-in-mode][value=key]').check();
    await page.locator('input[name=identity]').fill(identity);
    await page.getByTestId('setup-next').click();

    // Home connection: a bad key names its field and the fix, as typed.
    await expect(setup).toHaveAttribute('data-step', 'home');
    await page.locator('input[name="home.publicKey"]').fill('not-a-key');
    const keyError = fieldError(page, 'home.publicKey');
    await expect(keyError).toContainText(
      says('This is not a WireGuard key', '这不是 WireGuard 密钥'),
    );
    await expect(keyError).toContainText('wg genkey');
    await expect(page.locator('input[name="home.publicKey"]')).toHaveAttribute(
      'aria-invalid',
      'true',
    );
    // Untouched fields stay quiet until the person tries to move on.
    await expect(fieldError(page, 'home.endpointHost')).toHaveCount(0);
    await page.getByTestId('setup-next').click();
    await expect(setup).toHaveAttribute('data-step', 'home');
    await expect(fieldError(page, 'home.endpointHost')).toContainText(
      says('not a host name', '不是主机名'),
    );
    await expect(fieldError(page, 'travel.privateKey')).toBeVisible();
    await shot('3-home-errors');

    // A malformed wg-quick file says what is wrong; a good one fills the fields.
    await page.locator('textarea[name=wgQuick]').fill('[Interface]\nPrivateKey = nope\n');
    await page.getByTestId('wg-import').click();
    await expect(page.getByTestId('import-error')).toContainText('PrivateKey');
    // Generated keys fill the travel pair and a preshared key.
    await page.getByTestId('generate-keys').click();
    await expect(page.locator('input[name="travel.publicKey"]')).toHaveValue(
      /^[A-Za-z0-9+/]{43}=$/,
    );
    await expect(fieldError(page, 'travel.privateKey')).toHaveCount(0);
    await expect(page.locator('input[name=presharedKey]')).toHaveValue(/^[A-Za-z0-9+/]{43}=$/);
    // A .conf file dropped on the import area replaces them with the file's.
    const dropped = await page.evaluateHandle((text) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], 'travel.conf', { type: 'text/plain' }));
      return transfer;
    }, wgQuick);
    await page.getByTestId('wg-drop').dispatchEvent('drop', { dataTransfer: dropped });
    await expect(page.locator('textarea[name=wgQuick]')).toHaveValue(wgQuick);
    await expect(page.getByTestId('import-ok')).toBeVisible();
    await expect(page.locator('input[name="home.endpointHost"]')).toHaveValue('op1.example.net');
    await expect(page.locator('input[name="home.publicKey"]')).toHaveValue(homePublic);
    await expect(page.locator('input[name="travel.publicKey"]')).toHaveValue(
      'HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=', // wg pubkey of the private key
    );
    await expect(page.locator('input[name="travel.privateKey"]')).toHaveAttribute(
      'type',
      'password',
    );
    await page.getByTestId('show-travel.privateKey').click();
    await expect(page.locator('input[name="travel.privateKey"]')).toHaveValue(travelPrivate);
    await expect(page.locator('input[name=presharedKey]')).toHaveValue('');
    await expect(page.locator('[data-testid=field-error]')).toHaveCount(0);
    await shot('3-home');
    await page.getByTestId('setup-next').click();

    // L2 bridge: the ladder follows the underlay MTU; a bad VNI names its field.
    await expect(setup).toHaveAttribute('data-step', 'bridge');
    const ladder = page.getByTestId('mtu-ladder');
    await expect(ladder).toHaveAttribute('data-l2', '1370');
    await page.locator('input[name=underlayMtu]').fill('1400');
    await expect(ladder).toHaveAttribute('data-wireguard', '1320');
    await expect(ladder).toHaveAttribute('data-l2', '1270');
    await expect(page.getByTestId('arith-wireguard')).toContainText('1400 − 80');
    await expect(page.getByTestId('arith-wireguard')).toContainText('40 + 8 + 32');
    await expect(page.getByTestId('arith-wireguard')).toContainText('= 1320');
    await page.locator('input[name="vxlan.vid"]').fill('99999999');
    await expect(fieldError(page, 'vxlan.vid')).toContainText('16777215');
    await page.getByTestId('setup-next').click();
    await expect(setup).toHaveAttribute('data-step', 'bridge');
    await page.locator('input[name="vxlan.vid"]').fill('8');
    await expect(fieldError(page, 'vxlan.vid')).toHaveCount(0);
    await page.locator('input[name=l2MtuStrategy][value=vxlan-1500-fragment]').check();
    await expect(ladder).toHaveAttribute('data-l2', '1500');
    await shot('4-bridge');
    await page.getByTestId('setup-next').click();

    // Wi-Fi: SSID, password, width rules from the core; passwords hidden until shown.
    await expect(setup).toHaveAttribute('data-step', 'wifi');
    await page.locator('input[name="wifi.l3.ssid"]').fill('JCG-Q30P');
    await page.locator('input[name="wifi.l3.password"]').fill('short');
    await expect(fieldError(page, 'wifi.l3.password')).toContainText(says('8 to 63', '8 到 63'));
    await page.locator('input[name="wifi.l3.password"]').fill('travel-lab-key');
    await page.locator('input[name="wifi.l2.ssid"]').fill('JCG-Q30P');
    await expect(fieldError(page, 'wifi.l2.ssid')).toContainText(says('same name', '名称相同'));
    await page.locator('input[name="wifi.l2.ssid"]').fill('Home-L2');
    await page.locator('select[name="wifi.l2.band"]').selectOption('2g');
    await expect(fieldError(page, 'wifi.l2.widthMhz')).toContainText('2.4 GHz');
    await page.locator('select[name="wifi.l2.widthMhz"]').selectOption('40');
    await page.locator('input[name="wifi.l2.password"]').fill('home-l2-key');
    await expect(page.locator('[data-testid=field-error]')).toHaveCount(0);
    await shot('5-wifi');

    // Back twice and forward twice: everything typed is still there.
    await page.getByTestId('setup-back').click();
    await expect(page.locator('input[name=underlayMtu]')).toHaveValue('1400');
    await expect(
      page.locator('input[name=l2MtuStrategy][value=vxlan-1500-fragment]'),
    ).toBeChecked();
    await page.getByTestId('setup-back').click();
    await expect(page.locator('input[name="home.endpointHost"]')).toHaveValue('op1.example.net');
    await page.getByTestId('step-wifi').click();
    await expect(page.locator('input[name="wifi.l2.ssid"]')).toHaveValue('Home-L2');
    await expect(page.locator('select[name="wifi.l2.widthMhz"]')).toHaveValue('40');
    // Leaving the screen and coming back keeps it too.
    await page.getByTestId('nav-home').click();
    await page.getByTestId('nav-setup').click();
    await expect(setup).toHaveAttribute('data-step', 'wifi');
    await expect(page.locator('input[name="wifi.l3.password"]')).toHaveValue('travel-lab-key');

    // Review reads the router: nothing listens here, so the error says so with its fix.
    await page.getByTestId('setup-next').click();
    await expect(setup).toHaveAttribute('data-step', 'review');
    await expect(page.getByTestId('error')).toHaveAttribute('data-kind', 'connect-refused', {
      timeout: 20_000,
    });
    await expect(page.getByTestId('setup-next')).toBeDisabled();
    await expect(page.getByTestId('step-apply')).toBeDisabled();
    await shot('6-review-error');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByTestId('step-bridge').click();
    await shot('4-bridge-dark');
    await context.close();
  });
}

type Send = (data: unknown) => void;

/** Answers the named commands in the page's WebSocket; the rest go to the real host. */
async function answerCommands(
  page: Page,
  answers: Record<string, (id: number, args: unknown[], send: Send) => void>,
): Promise<void> {
  await page.routeWebSocket(/\/api$/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      const request = JSON.parse(String(message)) as {
        id: number;
        command: string;
        args: unknown[];
      };
      const answer = answers[request.command];
      if (!answer) return server.send(message);
      answer(request.id, request.args, (data) => ws.send(JSON.stringify(data)));
    });
  });
}

const result = (id: number, value: unknown) => ({
  type: 'result',
  id,
  result: { ok: true, value },
});
const progress = (p: unknown) => ({ type: 'event', event: 'setup:progress', payload: [p] });

test('setup wizard: discovery pick, host key confirmed, apply countdown and a rollback shown (router answered in the page)', async ({
  browser,
}) => {
  const context = await browser.newContext({
    locale: 'en-US',
    viewport: { width: 1280, height: 800 },
  });
  const page = await context.newPage();
  const fingerprint = 'SHA256:q0bEXAMPLEfingerprintFORtheSETUPwizardTEST00';
  let signIns = 0;
  const plan = {
    schema: 'homeward.setup/1',
    mtu: {
      underlay: 1500,
      wireguard: 1420,
      vxlan: 1370,
      l2Segment: 1370,
      arithmetic: ['1500 - 80 = 1420'],
    },
    router: {
      batch: '',
      reloads: [],
      packagesToInstall: ['kmod-vxlan'],
      installCommand: 'opkg update && opkg install kmod-vxlan',
      previews: [
        { config: 'network', unified: "--- a/network\n+++ b/network\n+config interface 'wg0'" },
      ],
    },
    home: { batch: '', reloads: [], packagesToInstall: [], previews: [] },
    homePaste: "uci batch <<'HOMEWARD_UCI_END'\nHOMEWARD_UCI_END",
    notes: [],
  };
  await answerCommands(page, {
    'discovery:scan': (id, _args, send) =>
      send(
        result(id, {
          budgetMs: 3000,
          elapsedMs: 420,
          candidates: [
            {
              address: '192.168.8.1',
              interface: 'wlan0',
              reasons: [{ kind: 'default-gateway' }],
              verdict: 'openwrt',
              score: 90,
              summary: 'OpenWrt (dropbear 2022.83), LuCI answers on port 80; default gateway',
              ssh: { kind: 'failed', failure: 'refused' },
              web: { kind: 'failed', failure: 'refused' },
              elapsedMs: 30,
            },
          ],
        }),
      ),
    'setup:sign-in': (id, args, send) => {
      signIns += 1;
      const request = args[0] as { acceptNewHostKey: boolean; password: string };
      if (!request.acceptNewHostKey)
        return send({
          type: 'result',
          id,
          result: {
            ok: false,
            error: { kind: 'host-key-unknown', message: `Unknown host key ${fingerprint}` },
          },
        });
      send(
        result(id, {
          schema: 'homeward.setup/1',
          host: '192.168.8.1',
          port: 22,
          hostKeyFingerprint: fingerprint,
          keyPath: '/home/me/.local/share/homeward/keys/homeward_ed25519',
          publicKeyFingerprint: 'SHA256:key',
          authorizedKeysPath: '/etc/dropbear/authorized_keys',
          keyAdded: true,
          keyLoginVerified: true,
        }),
      );
    },
    'setup:plan': (id, _args, send) => send(result(id, plan)),
    'setup:apply': (id, _args, send) => {
      send(progress({ kind: 'step', end: 'router', step: 'arm', message: 'Armed: 60 s' }));
      send(progress({ kind: 'step', end: 'router', step: 'apply', message: 'Writing' }));
      send(progress({ kind: 'countdown', end: 'router', secondsLeft: 58 }));
      send(
        progress({ kind: 'step', end: 'router', step: 'reconnect', message: 'Connecting again' }),
      );
      setTimeout(() => {
        send(progress({ kind: 'step', end: 'router', step: 'rollback', message: 'Not reachable' }));
        send(
          result(id, {
            schema: 'homeward.setup/1',
            outcome: 'rolled-back',
            ends: [
              { end: 'router', outcome: 'rolled-back', verified: true, message: 'Rolled back.' },
            ],
            packages: { installed: [], missing: ['kmod-vxlan'] },
            plan,
            durationMs: 61_000,
          }),
        );
      }, 1500);
    },
  });

  await page.goto(`${host.url}#/setup`);
  const setup = page.getByTestId('setup');
  const candidate = page.locator('[data-testid=candidate][data-address="192.168.8.1"]');
  await expect(candidate).toContainText('OpenWrt');
  await expect(page.locator('input[name="router.host"]')).toHaveValue('192.168.8.1');
  await page.getByTestId('setup-next').click();

  await page.locator('input[name=password]').fill('secret password');
  await page.getByTestId('sign-in').click();
  await expect(page.getByTestId('fingerprint')).toHaveText(fingerprint);
  await expect(page.getByTestId('setup-next')).toBeDisabled();
  await page.getByTestId('trust-host-key').click();
  await expect(page.getByTestId('host-key-fingerprint')).toHaveText(fingerprint);
  expect(signIns).toBe(2);
  await page.getByTestId('setup-next').click();

  await page.getByTestId('generate-keys').click();
  await page.locator('input[name="home.endpointHost"]').fill('op1.example.net');
  await page.locator('input[name="home.publicKey"]').fill(homePublic);
  await page.getByTestId('setup-next').click();
  await expect(setup).toHaveAttribute('data-step', 'bridge');
  await page.getByTestId('setup-next').click();
  await expect(setup).toHaveAttribute('data-step', 'wifi');
  await page.locator('input[name="wifi.l3.ssid"]').fill('travel');
  await page.locator('input[name="wifi.l3.password"]').fill('travel-pass');
  await page.locator('input[name="wifi.l2.ssid"]').fill('home-l2');
  await page.locator('input[name="wifi.l2.password"]').fill('home-pass');
  await page.getByTestId('setup-next').click();

  await expect(setup).toHaveAttribute('data-step', 'review');
  await expect(page.getByTestId('packages')).toContainText('kmod-vxlan');
  await expect(page.getByTestId('home-paste')).toHaveValue(/uci batch/);
  await page.getByTestId('setup-next').click();

  await page.getByTestId('apply').click();
  // 58 as reported, then ticking on the screen until the next report.
  await expect(page.getByTestId('countdown')).toHaveText(
    /^Rolls back in 5[78] s unless confirmed$/,
  );
  await expect(page.getByTestId('setup-back')).toBeDisabled();
  await page.screenshot({
    path: test.info().outputPath('setup-apply-countdown-en.png'),
    fullPage: true,
  });
  const outcome = page.getByTestId('apply-outcome');
  await expect(outcome).toHaveAttribute('data-outcome', 'rolled-back');
  await expect(outcome).toContainText('Rolled back: the old configuration is back');
  await expect(page.getByTestId('countdown')).toHaveCount(0);
  // A rolled-back setup cannot be verified: the person fixes it and applies again.
  await expect(page.getByTestId('setup-next')).toBeDisabled();
  await expect(page.getByTestId('apply')).toBeEnabled();
  await page.screenshot({
    path: test.info().outputPath('setup-rolled-back-en.png'),
    fullPage: true,
  });
  await page.getByTestId('language-switch').selectOption('zh-CN');
  await expect(outcome).toContainText('已回滚');
  await page.screenshot({
    path: test.info().outputPath('setup-rolled-back-zh-CN.png'),
    fullPage: true,
  });
  await context.close();
});
