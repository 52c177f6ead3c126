import { test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLab } from '../lab/index';
import type { Lab } from '../lab/index';
import { applyBlackHoleFix } from './flows/fix';
import { troubleshootBlackHole } from './flows/troubleshoot';
import { openLabBrowser, skipWithoutLab } from './lab-browser';
import type { LabBrowser } from './lab-browser';

// A finding's "fix it for me" on the lab: the L2 black hole's remedy is previewed as home's UCI
// diff, applied with the armed rollback, and the checks run again come out VR-ready.

test.describe('troubleshooter applies a finding fix on the lab', () => {
  skipWithoutLab('lab e2e');

  let dataDir: string | undefined;
  let lab: Lab | undefined;
  let opened: LabBrowser | undefined;

  test.afterEach(async () => {
    await opened?.close();
    await lab?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('L2 black hole: preview home’s DHCP change, apply with rollback, run again: VR-ready', async () => {
    test.setTimeout(360_000);
    dataDir = mkdtempSync(path.join(tmpdir(), 'homeward-e2e-fix-'));
    const l = (lab = await startLab('default', { l2ClientMtu1500: true }));
    opened = await openLabBrowser(l, dataDir);
    await troubleshootBlackHole(opened.app, l);
    await applyBlackHoleFix(opened.app, l);
  });
});
