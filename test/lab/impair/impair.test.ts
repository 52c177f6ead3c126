import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applyImpairment, applyImpairments, type Impairment } from './index';

// Topology: a (198.18.1.2) --ar0/ra0-- r --rc0/cr0-- c (198.18.2.2); r routes.
// Impairments sit on r's egress toward c (rc0), so every a<->c and r<->c round trip
// crosses them exactly once, as forwarded or as locally sent traffic.
const P = `hwimp${process.pid}`;
const NS = { a: `${P}-a`, r: `${P}-r`, c: `${P}-c` } as const;
const C_ADDR = '198.18.2.2';
const A_ADDR = '198.18.1.2';
const RC0 = { netns: NS.r, dev: 'rc0' };
const REPO = fileURLToPath(new URL('../../..', import.meta.url));

const execFileAsync = promisify(execFile);
const sh = async (cmd: string): Promise<string> =>
  (await execFileAsync('sh', ['-c', cmd], { timeout: 60_000 })).stdout;
const inNs = (ns: string, cmd: string): Promise<string> => sh(`ip netns exec ${ns} ${cmd}`);

const hasTools = ['ip', 'tc', 'iptables', 'ip6tables', 'iperf3', 'ping'].every((t) =>
  ['/usr/sbin', '/usr/bin', '/sbin', '/bin'].some((d) => existsSync(`${d}/${t}`)),
);
const canRun =
  process.platform === 'linux' &&
  process.getuid?.() === 0 &&
  hasTools &&
  existsSync('/usr/bin/python3') &&
  existsSync('/dev/net/tun');

interface PingResult {
  sent: number;
  received: number;
  lossPercent: number;
  min: number;
  avg: number;
  max: number;
  mdev: number;
}

function parsePing(out: string): PingResult {
  const counts = /(\d+) packets transmitted, (\d+) received/.exec(out);
  const rtt = /= ([\d.]+)\/([\d.]+)\/([\d.]+)\/([\d.]+) ms/.exec(out);
  if (!counts) throw new Error(`unparsed ping output: ${out}`);
  const sent = Number(counts[1]);
  const received = Number(counts[2]);
  const [min, avg, max, mdev] = rtt ? rtt.slice(1).map(Number) : [NaN, NaN, NaN, NaN];
  return {
    sent,
    received,
    lossPercent: ((sent - received) / sent) * 100,
    min: min ?? NaN,
    avg: avg ?? NaN,
    max: max ?? NaN,
    mdev: mdev ?? NaN,
  };
}

async function ping(
  from: string,
  to: string,
  count: number,
  interval: number,
): Promise<PingResult> {
  // ping exits 1 when some replies are missing; the summary is still what we want.
  const out = await inNs(from, `ping -n -q -c ${count} -i ${interval} -W 1 ${to} || true`);
  return parsePing(out);
}

/** Warms the neighbour cache so the measured pings do not pay for an ARP round trip. */
const warm = async (): Promise<void> => {
  await ping(NS.a, C_ADDR, 3, 0.01);
  await ping(NS.r, C_ADDR, 3, 0.01);
};

let iperfPort = 5301;
async function iperfMbit(seconds: number): Promise<number> {
  const port = String(iperfPort++);
  const server = spawn(
    'ip',
    ['netns', 'exec', NS.c, 'iperf3', '-s', '-1', '--forceflush', '-B', C_ADDR, '-p', port],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`iperf3 server silent: ${out}`)), 5_000);
      server.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Server listening')) {
          clearTimeout(timer);
          resolve();
        }
      });
      server.once('exit', (code) => reject(new Error(`iperf3 server exited ${code}`)));
    });
    // cubic, not this host's default BBR: BBR ignores random loss, typical clients do not.
    const { stdout } = await execFileAsync(
      'ip',
      ['netns', 'exec', NS.a, 'iperf3', '-c', C_ADDR, '-p', port, '-t', String(seconds)].concat([
        '-C',
        'cubic',
        '-J',
        '--connect-timeout',
        '2000',
      ]),
      { timeout: (seconds + 10) * 1000 },
    );
    const result = JSON.parse(stdout) as { end: { sum_received: { bits_per_second: number } } };
    return result.end.sum_received.bits_per_second / 1e6;
  } finally {
    await stop(server);
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

function processGone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // PID 1 here reaps orphans lazily: a zombie has exited.
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

async function until(check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

/** What an impairment may leave on rc0 or in r: empty when everything is cleared. */
async function leftovers(): Promise<string[]> {
  const found: string[] = [];
  const qdiscs = await sh(`tc -n ${NS.r} qdisc show dev rc0`);
  if (/tbf|clsact/.test(qdiscs)) found.push(qdiscs.trim());
  const links = await sh(`ip -n ${NS.r} -o link show`);
  if (links.includes('hwdelay')) found.push(links.trim());
  for (const bin of ['iptables', 'ip6tables']) {
    const rules = await inNs(NS.r, `${bin} -S`);
    if (rules.includes('hwimp')) found.push(rules.trim());
  }
  return found;
}

async function teardown(): Promise<void> {
  const names = (await sh('ip netns list')).split('\n').map((l) => l.split(' ')[0] ?? '');
  for (const name of names.filter((n) => n.startsWith(`${P}-`))) {
    await sh(`ip netns del ${name}`);
  }
}

describe.skipIf(!canRun && process.env['CI'] !== 'true')('link impairment in namespaces', () => {
  const live: Impairment[] = [];
  const track = <T extends Impairment>(i: T): T => {
    live.push(i);
    return i;
  };

  beforeAll(async () => {
    await teardown();
    for (const ns of Object.values(NS)) {
      await sh(`ip netns add ${ns} && ip -n ${ns} link set lo up`);
    }
    await sh(`ip link add ar0 netns ${NS.a} type veth peer name ra0 netns ${NS.r}`);
    await sh(`ip link add rc0 netns ${NS.r} type veth peer name cr0 netns ${NS.c}`);
    await sh(
      [
        `ip -n ${NS.a} addr add ${A_ADDR}/24 dev ar0`,
        `ip -n ${NS.a} link set ar0 up`,
        `ip -n ${NS.a} route add default via 198.18.1.1`,
        `ip -n ${NS.r} addr add 198.18.1.1/24 dev ra0`,
        `ip -n ${NS.r} addr add 198.18.2.1/24 dev rc0`,
        `ip -n ${NS.r} link set ra0 up`,
        `ip -n ${NS.r} link set rc0 up`,
        `ip netns exec ${NS.r} sysctl -qw net.ipv4.ip_forward=1`,
        `ip -n ${NS.c} addr add ${C_ADDR}/24 dev cr0`,
        `ip -n ${NS.c} link set cr0 up`,
        `ip -n ${NS.c} route add default via 198.18.2.1`,
      ].join(' && '),
    );
  });

  afterEach(async () => {
    await Promise.allSettled(live.splice(0).map((i) => i.clear()));
  });

  afterAll(async () => {
    await Promise.allSettled(live.splice(0).map((i) => i.clear()));
    await teardown();
  });

  it('starts clean and fast', async () => {
    await warm();
    const base = await ping(NS.a, C_ADDR, 50, 0.01);
    expect(base.received).toBe(50);
    expect(base.avg).toBeLessThan(1);
    expect(await leftovers()).toEqual([]);
  });

  it('adds one-way delay to forwarded and locally sent traffic, and clear() removes it', async () => {
    const imp = track(await applyImpairment(RC0, { delayMs: 20 }));
    expect(imp.delayLine).toBeDefined();
    await warm();
    const forwarded = await ping(NS.a, C_ADDR, 100, 0.01);
    const local = await ping(NS.r, C_ADDR, 100, 0.01);
    const otherWay = await ping(NS.r, A_ADDR, 50, 0.01);
    console.info('delay 20 ms:', { forwarded, local, otherWay });
    for (const p of [forwarded, local]) {
      expect(p.received).toBe(100);
      expect(p.min).toBeGreaterThanOrEqual(20);
      expect(p.avg).toBeGreaterThanOrEqual(20);
      expect(p.avg).toBeLessThan(22);
      // No jitter asked for: the delay line must not add its own.
      expect(p.mdev).toBeLessThan(1.5);
    }
    expect(otherWay.avg).toBeLessThan(2);

    const pid = imp.delayLine?.pid ?? 0;
    await imp.clear();
    expect(processGone(pid)).toBe(true);
    expect(await leftovers()).toEqual([]);
    const after = await ping(NS.a, C_ADDR, 50, 0.01);
    expect(after.received).toBe(50);
    expect(after.avg).toBeLessThan(2);
  });

  it('spreads delay by the jitter (uniform +/- jitter: stddev = jitter / sqrt 3)', async () => {
    track(await applyImpairment(RC0, { delayMs: 20, jitterMs: 10 }));
    await warm();
    // Pings further apart than the jitter range, so keeping order never holds one back.
    const p = await ping(NS.a, C_ADDR, 200, 0.03);
    console.info('delay 20 ms jitter 10 ms:', p);
    expect(p.received).toBe(200);
    expect(p.min).toBeGreaterThanOrEqual(10);
    expect(p.max).toBeLessThan(32);
    expect(p.avg).toBeGreaterThan(18.5);
    expect(p.avg).toBeLessThan(22.5);
    expect(p.mdev).toBeGreaterThan(4.3);
    expect(p.mdev).toBeLessThan(7.3);
  });

  it('drops about lossPercent of packets at random, and clear() stops it', async () => {
    const imp = track(await applyImpairment(RC0, { lossPercent: 10 }));
    await warm();
    // n=1000 at p=0.1: sd 0.95 points, so +/-4 points fails only for a broken knob.
    const lossy = await ping(NS.a, C_ADDR, 1000, 0.002);
    console.info('loss 10 %:', lossy.lossPercent);
    expect(lossy.lossPercent).toBeGreaterThan(6);
    expect(lossy.lossPercent).toBeLessThan(14);
    const localLossy = await ping(NS.r, C_ADDR, 500, 0.002);
    expect(localLossy.lossPercent).toBeGreaterThan(4);
    expect(localLossy.lossPercent).toBeLessThan(17);

    await imp.clear();
    expect(await leftovers()).toEqual([]);
    const clean = await ping(NS.a, C_ADDR, 300, 0.002);
    expect(clean.lossPercent).toBe(0);
  });

  it('shapes throughput with tbf, and clear() lifts it', async () => {
    const imp = track(await applyImpairment(RC0, { rateMbit: 20 }));
    const shaped = await iperfMbit(3);
    console.info('tbf 20 Mbit/s, TCP goodput:', shaped);
    // Goodput is the wire rate times the TCP payload share (1448 of 1514 bytes): 19.1.
    expect(shaped).toBeGreaterThan(16);
    expect(shaped).toBeLessThan(20.5);
    await imp.clear();
    expect(await leftovers()).toEqual([]);
    expect(await iperfMbit(2)).toBeGreaterThan(100);
  });

  it('carries more than 100 Mbit/s through the delay line', async () => {
    track(await applyImpairment(RC0, { delayMs: 5 }));
    await warm();
    const mbit = await iperfMbit(3);
    console.info('delay line 5 ms, TCP cubic throughput:', mbit);
    expect(mbit).toBeGreaterThan(100);
  });

  it('composes rate, delay, jitter and loss on one egress', async () => {
    track(await applyImpairment(RC0, { rateMbit: 50, delayMs: 10, jitterMs: 2, lossPercent: 0.5 }));
    await warm();
    const p = await ping(NS.a, C_ADDR, 200, 0.01);
    console.info('50 Mbit/s + 10 +/- 2 ms + 0.5 %:', p);
    expect(p.avg).toBeGreaterThan(9.5);
    expect(p.avg).toBeLessThan(13);
    expect(p.lossPercent).toBeLessThan(5);
    const mbit = await iperfMbit(3);
    console.info('50 Mbit/s + 10 +/- 2 ms + 0.5 %, TCP cubic:', mbit);
    expect(mbit).toBeLessThan(50);
    expect(mbit).toBeGreaterThan(1);
  });

  it('applies to both ends of a link as a group', async () => {
    const group = await applyImpairments([RC0, { netns: NS.c, dev: 'cr0' }], { delayMs: 10 });
    live.push(...group.impairments);
    await ping(NS.a, C_ADDR, 3, 0.01);
    const p = await ping(NS.a, C_ADDR, 100, 0.01);
    expect(p.avg).toBeGreaterThanOrEqual(20);
    expect(p.avg).toBeLessThan(23);
    await group.clear();
    expect(await leftovers()).toEqual([]);
    expect(await sh(`tc -n ${NS.c} qdisc show dev cr0`)).not.toMatch(/clsact|tbf/);
  });

  it('refuses a second impairment on the same device until the first is cleared', async () => {
    const first = track(await applyImpairment(RC0, { rateMbit: 10 }));
    await expect(applyImpairment(RC0, { delayMs: 1 })).rejects.toThrow(/already impaired/);
    await first.clear();
    await first.clear();
    track(await applyImpairment(RC0, { delayMs: 1 }));
  });

  it('clears cleanly after its device is gone', async () => {
    await sh(`ip -n ${NS.r} link add x0 type veth peer name x1 && ip -n ${NS.r} link set x0 up`);
    const imp = await applyImpairment(
      { netns: NS.r, dev: 'x0' },
      { rateMbit: 5, delayMs: 5, lossPercent: 1 },
    );
    const pid = imp.delayLine?.pid ?? 0;
    await sh(`ip -n ${NS.r} link del x0`);
    await imp.clear();
    expect(processGone(pid)).toBe(true);
    expect(await leftovers()).toEqual([]);
  });

  it('takes the delay line down when its owning process dies', async () => {
    const owner = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/lab/impair/owner-fixture.ts', NS.r, 'rc0'],
      { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        owner.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve(out.split('\n')[0] ?? '');
        });
        owner.once('exit', (code) => reject(new Error(`owner exited ${code}`)));
      });
      const { pid, tap } = JSON.parse(line) as { pid: number; tap: string };
      expect(processGone(pid)).toBe(false);
      expect(await sh(`ip -n ${NS.r} -o link show`)).toContain(tap);

      await stop(owner);
      expect(await until(() => processGone(pid), 3_000)).toBe(true);
      expect(
        await until(async () => !(await sh(`ip -n ${NS.r} -o link show`)).includes(tap), 3_000),
      ).toBe(true);
    } finally {
      await stop(owner);
      // The dead owner never cleared: its filter now redirects into a missing device.
      await sh(`tc -n ${NS.r} qdisc del dev rc0 clsact 2>/dev/null || true`);
    }
    expect(await leftovers()).toEqual([]);
  });
});
