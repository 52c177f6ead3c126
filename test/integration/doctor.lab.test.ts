import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { describeLab } from '../lab/describe-lab';
import { startLab } from '../lab/index';
import type { Lab, StartOptions } from '../lab/index';
import {
  doctorArgs,
  processesInNode,
  projectRoot,
  runDoctorCli,
  spawnCli,
  tempDataDir,
} from './doctor-harness';

const cliPath = path.join(projectRoot, 'bin/homeward.js');

// The doctor against the lab, for real: the built CLI runs in the laptop namespace, SSHes into the
// lab router (dropbear, busybox ash) and measures through wireguard-go, VXLAN and tc.

let lab: Lab | undefined;
let data: ReturnType<typeof tempDataDir> | undefined;

async function up(scenario: string, knobs: StartOptions = {}): Promise<Lab> {
  lab = await startLab(scenario, knobs);
  data = tempDataDir();
  return lab;
}

afterEach(async () => {
  await lab?.stop();
  lab = undefined;
  data?.cleanup();
  data = undefined;
});

function check(
  report: { checks: { id: string; status: string; data: Record<string, unknown> }[] },
  id: string,
) {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
}

describeLab('doctor on the lab', () => {
  it('default scenario: passes handshake and L2 DHCP, exact MTUs, no findings, one SSH connection', async () => {
    const l = await up('default');
    // Count TCP connections to the router's SSH port (SYNs) while the doctor runs.
    await l.execOk(
      'router',
      'iptables -I INPUT -p tcp --dport 22 --syn -j ACCEPT -m comment --comment homeward-count',
    );
    const run = await runDoctorCli(
      l,
      data!.dir,
      doctorArgs(l, data!.knownHosts, ['--json', '--duration', '3', '--target-mbps', '30']),
    );
    expect(run.json, run.stderr).toBeDefined();
    const report = run.json!;
    expect(report.schema).toBe('homeward.doctor/1');
    expect(report.router).toMatchObject({ hostname: 'JCG_Q30P', packageManager: 'opkg' });
    expect(check(report, 'router.reach').status).toBe('pass');
    expect(check(report, 'wireguard.handshake').status).toBe('pass');
    expect(check(report, 'wireguard.handshake').data['latestHandshakeAgeS']).toBeLessThan(60);
    expect(check(report, 'l2.dhcp').status).toBe('pass');
    expect(check(report, 'mtu.l3').data['pathMtu']).toBe(1420);
    expect(check(report, 'mtu.l2').data['pathMtu']).toBe(1370);
    for (const id of ['throughput.lan', 'throughput.tunnel', 'throughput.e2e']) {
      expect(check(report, id).data['downMbps'], id).toBeGreaterThan(30);
    }
    const counted = await l.execOk('router', 'iptables -L INPUT -v -n -x | grep homeward-count');
    expect(Number(counted.trim().split(/\s+/)[0]), counted).toBe(1);
    expect(report.verdict.findings.map((f) => f.id)).toEqual([]);
    expect(report.verdict.vrReady).toBe(true);
    expect(run.code).toBe(0);

    // The run landed in the history (a real SQLite file in the data dir), without secrets.
    const history = spawnSync(process.execPath, [cliPath, 'history', '--json'], {
      env: { ...process.env, HOMEWARD_DATA_DIR: data!.dir },
      encoding: 'utf8',
    });
    expect(history.status, history.stderr).toBe(0);
    const listed = JSON.parse(history.stdout) as {
      schema: string;
      runs: { id: number; vrReady: boolean }[];
    };
    expect(listed.schema).toBe('homeward.history/1');
    expect(listed.runs).toHaveLength(1);
    expect(listed.runs[0]?.vrReady).toBe(true);
    const shown = spawnSync(
      process.execPath,
      [cliPath, 'history', 'show', String(listed.runs[0]?.id), '--json'],
      {
        env: { ...process.env, HOMEWARD_DATA_DIR: data!.dir },
        encoding: 'utf8',
      },
    );
    expect(shown.status, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('homeward.doctor/1');
    expect(
      readFileSync(path.join(data!.dir, 'history.sqlite')).subarray(0, 16).toString('latin1'),
    ).toBe('SQLite format 3\0');
    expect(shown.stdout).not.toMatch(/PRIVATE KEY|private_key/);
  });

  it('a 50 Mbit WAN: tunnel and end-to-end goodput within 5 % of what the shaper allows', async () => {
    const l = await up('default');
    await l.impair('router-wan', { rateMbit: 50 });
    const run = await runDoctorCli(
      l,
      data!.dir,
      doctorArgs(l, data!.knownHosts, ['--json', '--duration', '4', '--target-mbps', '100']),
    );
    const report = run.json!;
    const expected = l.expectedGoodputMbit(50);
    for (const id of ['throughput.tunnel', 'throughput.e2e']) {
      const up = check(report, id).data['upMbps'] as number;
      expect(Math.abs(up - expected) / expected, `${id} up ${up} vs ${expected}`).toBeLessThan(
        0.05,
      );
    }
    expect(report.verdict.findings.map((f) => f.id)).toContain('throughput.below-target');
    expect(report.verdict.vrReady).toBe(false);
    expect(run.code).toBe(1);
  });

  it('with --home, starts its own iperf3 server at home over SSH and stops it afterwards', async () => {
    const l = await up('default');
    const before = processesInNode(l, 'home', ['iperf3']).length;
    const run = await runDoctorCli(
      l,
      data!.dir,
      doctorArgs(l, data!.knownHosts, [
        '--json',
        '--no-history',
        '--duration',
        '2',
        '--target-mbps',
        '30',
        '--home',
        '10.0.31.1',
        '--home-identity',
        l.keyPath,
      ]),
    );
    expect(run.json, run.stderr).toBeDefined();
    expect(check(run.json!, 'throughput.tunnel').status).toBe('pass');
    expect(check(run.json!, 'throughput.e2e').data['downMbps']).toBeGreaterThan(30);
    expect(processesInNode(l, 'home', ['iperf3'])).toHaveLength(before);
  });

  it('L2 black hole (clients at 1500 on the 1370 bridge): names mtu.l2-black-hole with the fix', async () => {
    const l = await up('default', { l2ClientMtu1500: true });
    const run = await runDoctorCli(
      l,
      data!.dir,
      doctorArgs(l, data!.knownHosts, ['--json', '--quick']),
    );
    const ids = run.json!.verdict.findings.map((f) => f.id);
    expect(ids).toContain('mtu.l2-black-hole');
    const finding = run.json!.verdict.findings.find((f) => f.id === 'mtu.l2-black-hole')!;
    expect(finding.fix).toContain('1370');
    expect(run.json!.verdict.vrReady).toBe(false);
    expect(run.code).toBe(1);
  });

  it('a changed router host key stops the doctor before any command runs', async () => {
    const l = await up('default');
    const target = await l.sshTarget('router');
    const host = l.lanAddress('router');
    // Pin a different key for the router's address than the one it presents.
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      data!.knownHosts,
      `${host} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJ4bmV4dGtleWZvcmhvbWV3YXJkdGVzdHMxMjM0NTY3\n`,
    );
    const run = await runDoctorCli(
      l,
      data!.dir,
      doctorArgs(l, data!.knownHosts, ['--json', '--quick']).filter(
        (a) => a !== '--accept-new-host-key',
      ),
    );
    expect(run.code).toBe(2);
    expect(run.json?.error?.kind).toBe('host-key-changed');
    expect(run.json?.error?.message).toContain(target.fingerprint);
  });
});

describeLab('doctor cancel', () => {
  it('SIGINT during the throughput tests leaves no iperf3, ping or udhcpc behind', async () => {
    const l = await up('default');
    const tools = ['iperf3', 'ping', 'udhcpc'];
    const nodes = ['laptop', 'router', 'home'];
    const baseline = Object.fromEntries(nodes.map((n) => [n, processesInNode(l, n, tools).length]));
    const args = doctorArgs(l, data!.knownHosts, ['--duration', '20', '--no-history']);
    const child = spawnCli(l, data!.dir, args);
    const done = new Promise<{ code: number | null }>((resolve) =>
      child.on('close', (code) => resolve({ code })),
    );
    let seen = '';
    await new Promise<void>((resolve, reject) => {
      let errors = '';
      child.stderr?.on('data', (d: Buffer) => (errors += d.toString()));
      const timer = setTimeout(() => reject(new Error(`no progress: ${seen} ${errors}`)), 60_000);
      child.stdout?.on('data', (d: Buffer) => {
        seen += d.toString();
        if (/mtu\.l2/.test(seen)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    // The LAN throughput test is running now: iperf3 server on the router, client on the laptop.
    await new Promise((r) => setTimeout(r, 2500));
    expect(processesInNode(l, 'router', ['iperf3']).length).toBeGreaterThan(baseline['router']!);
    child.kill('SIGINT');
    const result = await done;
    expect(result.code).not.toBe(0);
    for (const node of nodes) {
      expect(processesInNode(l, node, tools), `${node} after cancel`).toHaveLength(baseline[node]!);
    }
  });
});
