import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createSetupDeps } from '../../src/main/services/setup/connect';
import { measureUnderlay } from '../../src/main/services/setup/measure-underlay';
import { describeLab } from '../lab/describe-lab';
import { startLab } from '../lab/index';
import type { Lab } from '../lab/index';

// The wizard's underlay measurement on the fresh router: no tunnel yet, the router probes home's
// public endpoint with DF pings, the same search as the doctor's mtu.underlay.

let lab: Lab | undefined;
let dataDir: string | undefined;

afterEach(async () => {
  await lab?.stop();
  lab = undefined;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

/** From the router (reached through the lab's SSH proxy) to home's WAN address. */
async function measureFromRouter(l: Lab, dir: string) {
  const t = await l.sshTarget('router');
  return measureUnderlay(
    {
      router: {
        host: t.host,
        port: t.port,
        user: t.user,
        identityFile: t.keyPath,
        knownHostsFile: t.knownHostsPath,
        acceptNewHostKey: false,
      },
      endpointHost: '192.0.2.2',
    },
    createSetupDeps(dir),
  );
}

describeLab('setup: measure the underlay before the tunnel exists', () => {
  it.each([
    [undefined, 1500],
    [1400, 1400],
  ])('an uplink of %s gives a path MTU of %i to home', async (underlayMtu, expected) => {
    const l = (lab = await startLab('fresh-router', underlayMtu ? { underlayMtu } : {}));
    dataDir = mkdtempSync(path.join(tmpdir(), 'homeward-underlay-'));
    const result = await measureFromRouter(l, dataDir);
    expect(result.ok ? result.value : result.error).toMatchObject({
      target: '192.0.2.2',
      pathMtu: expected,
      blackHole: false,
    });
  });

  it('an endpoint that does not answer is an error with a fix, not a made-up MTU', async () => {
    const l = (lab = await startLab('fresh-router'));
    dataDir = mkdtempSync(path.join(tmpdir(), 'homeward-underlay-'));
    await l.execOk('home', 'iptables -I INPUT -p icmp -j DROP');
    const result = await measureFromRouter(l, dataDir);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.kind).toBe('host-unreachable');
      expect(result.error.fix).toContain('1500');
    }
  });
});
