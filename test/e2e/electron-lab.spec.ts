import { _electron as electron, test } from '@playwright/test';
import type { ElectronApplication } from '@playwright/test';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { electronBinary } from '../../scripts/electron-binary.mjs';
import { labUnavailableReason, startLab } from '../lab/index';
import type { Lab, StartOptions } from '../lab/index';
import { electronWindow } from './flows/app-window';
import type { AppWindow } from './flows/app-window';
import { applyBlackHoleFix } from './flows/fix';
import { setupWithPassword } from './flows/setup-wizard';
import { historyExport, troubleshootBlackHole, troubleshootHealthy } from './flows/troubleshoot';
import { playwrightElectronLoader, writeBridgeWrapper } from './netns/wrapper';

// The lab flows of lab.spec.ts and setup-lab.spec.ts in the Electron shell: Electron runs in the
// lab's laptop namespace through the netns bridge (netns/bridge.ts), which gives Playwright
// host-side ports for the inspector and DevTools endpoints Electron opens inside it.

const root = path.resolve(import.meta.dirname, '../..');
const binary = electronBinary();
const electronReason =
  'Electron binary absent (node_modules/electron/path.txt missing; it downloads on first use and this machine has no route to its host). Set ELECTRON_EXEC_PATH or run "npx install-electron" to run this test.';
const labReason = labUnavailableReason();
const password = "lab pass 'w0rd' $(x)";

test.describe('Electron shell on the lab', () => {
  test.describe.configure({ mode: 'serial' });
  if (!binary) {
    console.log(`[electron lab e2e] skipped: ${electronReason}`);
    test.skip(true, electronReason);
  } else if (labReason !== undefined && process.env['CI'] !== 'true') {
    console.log(`[electron lab e2e] skipped: ${labReason}`);
    test.skip(true, labReason);
  }

  let xvfb: ChildProcess | undefined;
  let display = process.env['DISPLAY'] ?? '';
  let troubleshootDir: string;
  let lab: Lab | undefined;
  let app: ElectronApplication | undefined;
  let setupDir: string | undefined;

  test.beforeAll(async () => {
    if (process.platform === 'linux' && !hasDisplay(display)) {
      // Electron in the namespace reaches X through the socket file, not the abstract socket.
      display = ':96';
      xvfb = spawn('Xvfb', [display, '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], {
        stdio: 'ignore',
      });
      for (let i = 0; i < 50 && !hasDisplay(display); i++)
        await new Promise((r) => setTimeout(r, 100));
    }
    troubleshootDir = mkdtempSync(path.join(tmpdir(), 'homeward-e2e-electron-lab-'));
  });

  test.afterEach(async () => {
    await app?.close().catch(() => undefined);
    app = undefined;
    await lab?.stop();
    lab = undefined;
    if (setupDir) rmSync(setupDir, { recursive: true, force: true });
    setupDir = undefined;
  });

  test.afterAll(() => {
    xvfb?.kill();
    rmSync(troubleshootDir, { recursive: true, force: true });
  });

  /** A lab, and Electron with `dataDir` in its laptop namespace. */
  async function up(
    scenario: string,
    options: StartOptions,
    dataDir: string,
  ): Promise<{ lab: Lab; app: AppWindow }> {
    lab = await startLab(scenario, options);
    // Each lab makes new host keys; the data dir's known_hosts would call them changed.
    rmSync(path.join(dataDir, 'known_hosts'), { force: true });
    // With executablePath Playwright leaves out its loader, so the wrapper passes it.
    const wrapper = writeBridgeWrapper(
      path.join(dataDir, 'electron-in-laptop.sh'),
      lab.netns('laptop'),
      [binary ?? '', '-r', playwrightElectronLoader()],
    );
    app = await electron.launch({
      executablePath: wrapper,
      args: [path.join(root, 'out/main/index.js')],
      cwd: root,
      env: { ...process.env, HOMEWARD_DATA_DIR: dataDir, DISPLAY: display },
      locale: 'en-US',
      timeout: 60_000,
    });
    return { lab, app: electronWindow(app, await app.firstWindow()) };
  }

  test('troubleshooter: L2 black hole shows mtu.l2-black-hole with its fix', async () => {
    test.setTimeout(240_000);
    const { lab: l, app: w } = await up('default', { l2ClientMtu1500: true }, troubleshootDir);
    await troubleshootBlackHole(w, l);
  });

  test('troubleshooter: healthy default is VR-ready; history lists both runs and exports HTML without keys', async () => {
    test.setTimeout(240_000);
    const { lab: l, app: w } = await up('default', {}, troubleshootDir);
    await troubleshootHealthy(w, l);
    await historyExport(w, l, 'default');
  });

  test('troubleshooter: the black hole fixed from its card (preview, apply with rollback, run again)', async () => {
    test.setTimeout(360_000);
    setupDir = mkdtempSync(path.join(tmpdir(), 'homeward-e2e-electron-fix-'));
    const { lab: l, app: w } = await up('default', { l2ClientMtu1500: true }, setupDir);
    await troubleshootBlackHole(w, l);
    await applyBlackHoleFix(w, l);
  });

  test('setup wizard on fresh-router: from discovery to a passing verify', async () => {
    test.setTimeout(420_000);
    setupDir = mkdtempSync(path.join(tmpdir(), 'homeward-e2e-electron-setup-lab-'));
    const { lab: l, app: w } = await up('fresh-router', { rootPassword: password }, setupDir);
    await setupWithPassword(w, l, password);
  });
});

/** Whether `display` names a local X server that is up (its socket exists). */
function hasDisplay(display: string): boolean {
  const match = /^:(\d+)/.exec(display);
  return match !== null && existsSync(`/tmp/.X11-unix/X${match[1]}`);
}
