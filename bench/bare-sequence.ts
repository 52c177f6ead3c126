// The doctor's full run done by hand with the bare tools, in the doctor's order, so the two wall
// times differ only by what the doctor adds (Node start-up, ssh2, parsing, waiting, deciding).
import type { Lab } from '../test/lab/index';
import { BareSsh, iperfArgv, parseIperfReceivedMbps, runInNetns } from './bare-tools';
import type { IperfArgs, IperfRun, ToolRun } from './bare-tools';

export interface BareTargets {
  /** the router's LAN address, as the laptop reaches it */
  routerHost: string;
  /** home's tunnel address: the iperf3 server and the ping target */
  homeHost: string;
  homePort: number;
  /** WireGuard endpoint (underlay probe target, probed from the router) */
  endpointHost: string;
  l3Target: string;
  l2Target: string;
  /** the doctor probes the L2 path from the router unless the laptop is on the L2 SSID */
  l2FromLaptop: boolean;
  l2Bridge: string;
  /** DF probe sizes per target, in order (the same count as the doctor's where possible) */
  probes: { underlay: number[]; l3: number[]; l2: number[] };
  udp: { mbps: number; packetBytes: number };
}

export interface Phase {
  name: string;
  ms: number;
}

export interface BareRun {
  totalMs: number;
  phases: Phase[];
  throughput: Record<'lan' | 'tunnel' | 'e2e', { downMbps?: number; upMbps?: number }>;
  errors: string[];
}

const routerIperfPort = 5299;
const pidFile = '/tmp/homeward-bench-iperf3.pid';
const udhcpcScript =
  '#!/bin/sh\ncase "$1" in bound|renew) echo "lease ip=$ip serverid=$serverid mtu=$mtu" ;; esac\nexit 0\n';

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function dfPing(target: string, size: number): string[] {
  return ['ping', '-4', '-n', '-c', '1', '-W', '1', '-s', String(size - 28), '-M', 'do', target];
}

function shellJoin(argv: string[]): string {
  return argv
    .map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}

/** Runs one iperf3 test on the laptop or (over ssh) on the router and reads the receiver's rate. */
export async function bareIperf(
  where: { laptop: string } | { ssh: BareSsh },
  args: IperfArgs,
): Promise<IperfRun> {
  const argv = iperfArgv(args);
  const timeoutMs = (args.durationS + 15) * 1000;
  const run: ToolRun =
    'laptop' in where
      ? await runInNetns(where.laptop, argv, { timeoutMs })
      : await where.ssh.exec(shellJoin(argv), { timeoutMs });
  return { ...parseIperfReceivedMbps(run.stdout), ms: run.ms };
}

/** Down (-R: the far end sends) then up, retrying briefly while a just-started server is not up. */
async function segment(
  where: { laptop: string } | { ssh: BareSsh },
  host: string,
  port: number,
  durationS: number,
  errors: string[],
  retryUntilUp = false,
): Promise<{ downMbps?: number; upMbps?: number }> {
  const once = async (reverse: boolean) => {
    let result = await bareIperf(where, { host, port, durationS, reverse });
    for (let i = 0; retryUntilUp && result.error && /connect/i.test(result.error) && i < 20; i++) {
      await sleep(150);
      result = await bareIperf(where, { host, port, durationS, reverse });
    }
    if (result.error) errors.push(`iperf3 ${host}:${port}${reverse ? ' -R' : ''}: ${result.error}`);
    return result.mbps;
  };
  const down = await once(true);
  const up = await once(false);
  return {
    ...(down !== undefined ? { downMbps: down } : {}),
    ...(up !== undefined ? { upMbps: up } : {}),
  };
}

export async function runBareSequence(
  lab: Lab,
  t: BareTargets,
  durationS: number,
): Promise<BareRun> {
  const laptop = lab.netns('laptop');
  const sshTarget = await lab.sshTarget('router');
  const phases: Phase[] = [];
  const errors: string[] = [];
  const throughput: BareRun['throughput'] = { lan: {}, tunnel: {}, e2e: {} };
  const started = performance.now();
  let mark = started;
  const phase = (name: string) => {
    const now = performance.now();
    phases.push({ name, ms: now - mark });
    mark = now;
  };
  const ssh = new BareSsh(laptop, t.routerHost, lab.keyPath, sshTarget.knownHostKey);
  try {
    const facts = await ssh.exec(
      'ubus call system board; cat /etc/openwrt_release; opkg list-installed; uci export network; uci export wireless; cat /proc/sys/kernel/hostname',
    );
    if (facts.code !== 0 && !facts.stdout.includes('model'))
      errors.push(`ssh router: ${facts.stderr.trim()}`);
    phase('ssh connect + router facts');

    await ssh.exec(`ping -c 2 -W 1 ${t.homeHost}`);
    await ssh.exec('wg show all dump; date +%s');
    phase('handshake (tunnel ping, wg show)');

    const dhcp = await ssh.exec(
      `printf '%s' '${udhcpcScript.replace(/'/g, `'\\''`)}' > /tmp/hw-bench-udhcpc.sh && chmod 755 /tmp/hw-bench-udhcpc.sh && udhcpc -f -q -n -i ${t.l2Bridge} -t 3 -T 2 -A 1 -O mtu -s /tmp/hw-bench-udhcpc.sh; rm -f /tmp/hw-bench-udhcpc.sh`,
      { timeoutMs: 15_000 },
    );
    if (!/lease ip=\S/.test(dhcp.stdout)) errors.push(`udhcpc: no lease (${dhcp.stdout.trim()})`);
    phase('L2 DHCP discover');

    for (const size of t.probes.underlay) await ssh.exec(shellJoin(dfPing(t.endpointHost, size)));
    for (const size of t.probes.l3) await runInNetns(laptop, dfPing(t.l3Target, size));
    for (const size of t.probes.l2) {
      if (t.l2FromLaptop) await runInNetns(laptop, dfPing(t.l2Target, size));
      else await ssh.exec(shellJoin(dfPing(t.l2Target, size)));
    }
    phase('DF probes (underlay, L3, L2)');

    await ssh.exec(`iperf3 -s -p ${routerIperfPort} -D -I ${pidFile}`);
    throughput.lan = await segment(
      { laptop },
      t.routerHost,
      routerIperfPort,
      durationS,
      errors,
      true,
    );
    await ssh.exec(`kill $(cat ${pidFile}); rm -f ${pidFile}`);
    phase('throughput.lan');

    await ssh.exec('cat /proc/stat');
    throughput.tunnel = await segment({ ssh }, t.homeHost, t.homePort, durationS, errors);
    await ssh.exec('cat /proc/stat');
    phase('throughput.tunnel + /proc/stat');

    await runInNetns(laptop, ['ping', '-4', '-n', '-c', '10', '-i', '0.2', '-W', '1', t.homeHost]);
    const loadedCount = Math.max(3, Math.floor((durationS - 1.5) / 0.2));
    const [, down] = await Promise.all([
      sleep(1000).then(() =>
        runInNetns(laptop, [
          'ping',
          '-4',
          '-n',
          '-c',
          String(loadedCount),
          '-i',
          '0.2',
          '-W',
          '1',
          t.homeHost,
        ]),
      ),
      bareIperf({ laptop }, { host: t.homeHost, port: t.homePort, durationS, reverse: true }),
    ]);
    const up = await bareIperf(
      { laptop },
      { host: t.homeHost, port: t.homePort, durationS, reverse: false },
    );
    for (const r of [down, up]) if (r.error) errors.push(`iperf3 e2e: ${r.error}`);
    throughput.e2e = {
      ...(down.mbps !== undefined ? { downMbps: down.mbps } : {}),
      ...(up.mbps !== undefined ? { upMbps: up.mbps } : {}),
    };
    phase('throughput.e2e + latency');

    const udp = await bareIperf(
      { laptop },
      { host: t.homeHost, port: t.homePort, durationS, reverse: true, udp: t.udp },
    );
    if (udp.error) errors.push(`iperf3 udp: ${udp.error}`);
    phase('udp.vr');

    await ssh.exec('iwinfo');
    phase('wifi (iwinfo)');
  } finally {
    await ssh.close();
    // a backstop for a run that failed between starting and stopping the LAN server
    await lab.exec('router', `[ -f ${pidFile} ] && kill $(cat ${pidFile}); rm -f ${pidFile}`);
  }
  phase('ssh close');
  return { totalMs: performance.now() - started, phases, throughput, errors };
}

/** Bare iperf3 only: the tunnel (router over ssh) and end-to-end (laptop) segments, down and up. */
export async function bareThroughput(
  lab: Lab,
  t: Pick<BareTargets, 'routerHost' | 'homeHost' | 'homePort'>,
  durationS: number,
): Promise<{
  tunnel: { downMbps?: number; upMbps?: number };
  e2e: { downMbps?: number; upMbps?: number };
  errors: string[];
}> {
  const laptop = lab.netns('laptop');
  const sshTarget = await lab.sshTarget('router');
  const ssh = new BareSsh(laptop, t.routerHost, lab.keyPath, sshTarget.knownHostKey);
  const errors: string[] = [];
  try {
    const tunnel = await segment({ ssh }, t.homeHost, t.homePort, durationS, errors);
    const e2e = await segment({ laptop }, t.homeHost, t.homePort, durationS, errors);
    return { tunnel, e2e, errors };
  } finally {
    await ssh.close();
  }
}
