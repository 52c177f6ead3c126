import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { EventBus } from '../../src/main/services/event-bus';
import { createSetupDeps } from '../../src/main/services/setup/connect';
import { createSetupService } from '../../src/main/services/setup/service';
import type { SetupSshTarget } from '../../src/shared/setup-run';
import { describeLab } from '../lab/describe-lab';
import { startLab } from '../lab/index';
import type { Lab } from '../lab/index';

// "Cancel" during an apply: the armed end rolls back at once (not at its deadline) and Homeward
// proves the old config is back; a cancel with nothing running says so.

let lab: Lab | undefined;
let dataDir: string | undefined;
let service: ReturnType<typeof createSetupService> | undefined;

afterEach(async () => {
  await service?.dispose();
  service = undefined;
  await lab?.stop();
  lab = undefined;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

describeLab('setup: cancel rolls an apply back now', () => {
  it('a fix cancelled once armed is rolled back and verified well before its deadline', async () => {
    const l = (lab = await startLab('default', { l2ClientMtu1500: true }));
    dataDir = mkdtempSync(path.join(tmpdir(), 'homeward-cancel-'));
    const events = new EventBus();
    const deps = createSetupDeps(dataDir);
    service = createSetupService(() => deps, events);
    const s = service;
    expect(s.cancel()).toEqual({ ok: true, value: { cancelled: false } });
    const t = await l.sshTarget('home');
    const home: SetupSshTarget = {
      host: t.host,
      port: t.port,
      user: t.user,
      identityFile: t.keyPath,
      knownHostsFile: t.knownHostsPath,
      acceptNewHostKey: false,
    };
    const before = await l.execOk('home', 'uci export dhcp');
    const steps: string[] = [];
    events.on('setup:progress', (p) => {
      if (p.kind !== 'step') return;
      steps.push(p.step);
      if (p.step === 'arm') expect(s.cancel().ok).toBe(true);
    });
    const started = Date.now();
    const result = await s.applyFix({
      remedy: { kind: 'home-dhcp-mtu', end: 'home', mtu: 1370 },
      home,
      rollbackS: 120,
    });
    const tookMs = Date.now() - started;
    expect(result.ok ? result.value : result.error).toMatchObject({
      outcome: 'rolled-back',
      ends: [{ end: 'home', outcome: 'rolled-back', verified: true }],
    });
    expect(steps).toContain('rollback');
    expect(steps).not.toContain('confirm');
    expect(tookMs).toBeLessThan(60_000);
    expect(await l.execOk('home', 'uci export dhcp')).toBe(before);
    expect((await l.exec('home', 'ls -d /tmp/homeward-apply-* 2>/dev/null')).stdout).toBe('');
  });
});
