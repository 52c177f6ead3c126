import { afterEach, expect, it } from 'vitest';
import type { FindingId } from '../../src/shared/doctor';
import { describeLab } from '../lab/describe-lab';
import { startLab } from '../lab/index';
import type { Lab, StartOptions } from '../lab/index';
import { doctorArgs, runDoctorCli, tempDataDir } from './doctor-harness';

// Each lab fault must yield its finding, and nothing the fault does not explain.

let lab: Lab | undefined;
let data: ReturnType<typeof tempDataDir> | undefined;

afterEach(async () => {
  await lab?.stop();
  lab = undefined;
  data?.cleanup();
  data = undefined;
});

async function findingsFor(
  knobs: StartOptions,
  extra: string[],
  impair?: (l: Lab) => Promise<void>,
): Promise<FindingId[]> {
  lab = await startLab('default', knobs);
  data = tempDataDir();
  await impair?.(lab);
  const run = await runDoctorCli(
    lab,
    data.dir,
    doctorArgs(lab, data.knownHosts, ['--json', '--no-history', ...extra]),
  );
  expect(run.json, run.stderr).toBeDefined();
  expect(run.json!.verdict.vrReady).toBe(false);
  return run.json!.verdict.findings.map((f) => f.id);
}

describeLab('doctor findings for lab faults', () => {
  it('WireGuard peer down: no handshake', async () => {
    expect(await findingsFor({ wireguardPeer: 'down' }, ['--quick'])).toEqual([
      'wireguard.no-handshake',
    ]);
  });
  it('wrong peer key: no handshake', async () => {
    expect(await findingsFor({ wireguardPeer: 'wrong-key' }, ['--quick'])).toEqual([
      'wireguard.no-handshake',
    ]);
  });
  it('UDP 51820 blocked on the way: no handshake', async () => {
    expect(await findingsFor({ blockWireguardUdp: true }, ['--quick'])).toEqual([
      'wireguard.no-handshake',
    ]);
  });
  it('home DHCP off: no DHCP on the L2 SSID', async () => {
    expect(await findingsFor({ homeDhcp: false }, ['--quick'])).toEqual(['l2.no-dhcp']);
  });
  it('underlay MTU 1280 (hotel): underlay too small', async () => {
    expect(await findingsFor({ underlayMtu: 1280 }, ['--quick'])).toEqual([
      'mtu.underlay-too-small',
    ]);
  });
  it('underlay black hole (SSH works, TCP stalls): underlay too small', async () => {
    const ids = await findingsFor({ underlayBlackHole: true }, [
      '--duration',
      '2',
      '--target-mbps',
      '30',
    ]);
    expect(ids[0]).toBe('mtu.underlay-too-small');
  });
  it('rate below the VR target: throughput below target', async () => {
    const ids = await findingsFor({}, ['--duration', '3', '--target-mbps', '60'], (l) =>
      l.impair('router-wan', { rateMbit: 20 }),
    );
    expect(ids).toContain('throughput.below-target');
    expect(ids).not.toContain('mtu.l2-black-hole');
  });
  it('random loss on the WAN: UDP loss', async () => {
    const ids = await findingsFor({}, ['--duration', '3', '--target-mbps', '15'], (l) =>
      l.impair('router-wan', { lossPercent: 3 }),
    );
    expect(ids).toContain('udp.loss');
  });
});
