import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscoveryResult, RankedCandidate } from '../../src/shared/discovery';
import type { Result } from '../../src/shared/result';

// Discovery against a lab, never the host's networks. Everything lives in namespaces this file
// creates, and the discovery code itself runs inside the laptop namespace:
//
//   laptop lan0 192.168.8.100/24 ---- router br-lan 192.168.8.1/24: dropbear :22, LuCI-like page
//                                      |  :80, mDNS "travel-router" (_ssh._tcp, _http._tcp)
//                                    gadget 192.168.8.57/24: dropbear :22, mDNS "travel-gadget";
//                                         found only through mDNS (no usual address)
//          lan1 10.0.0.50/24    ---- other  10.0.0.1/24    (a printer's web page, no SSH)
//          lan2 192.168.1.100/24 --- dark   (no address: 192.168.1.1 never answers ARP)
//          p2p0 10.99.0.2/32          (a /32, like a WireGuard address: nothing to look at)
//   laptop default route via 192.168.8.1
// The mDNS responders are python-zeroconf (Debian python3-zeroconf), an independent implementation;
// without it the mDNS parts are skipped and the gadget stays unfound.
const P = `hwdisc${process.pid}`;
const NS = {
  router: `${P}-router`,
  gadget: `${P}-gadget`,
  laptop: `${P}-laptop`,
  other: `${P}-other`,
  dark: `${P}-dark`,
} as const;
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const SCRIPT = path.join(REPO, 'test/integration/discovery/run-discovery.ts');
const RESPONDER = path.join(REPO, 'test/integration/discovery/mdns-responder.py');

const execFileAsync = promisify(execFile);
const run = async (file: string, args: string[]): Promise<string> =>
  (await execFileAsync(file, args, { timeout: 60_000, cwd: REPO })).stdout;
const ip = (...args: string[]): Promise<string> => run('ip', args);

const canRun =
  process.platform === 'linux' &&
  process.getuid?.() === 0 &&
  ['/usr/sbin/dropbear', '/usr/bin/dropbearkey', '/usr/bin/busybox'].every((f) => existsSync(f));

const hasZeroconf =
  canRun &&
  spawnSync('/usr/bin/python3', ['-c', 'import zeroconf'], { stdio: 'ignore' }).status === 0;

const children: ChildProcess[] = [];
let workDir = '';
let dropbearVersion = '';

let stopping = false;

/** A long-lived server inside a namespace; `timeout` kills it even if teardown never runs. */
function startInNs(ns: string, argv: string[]): ChildProcess {
  const child = spawn('ip', ['netns', 'exec', ns, 'timeout', '-s', 'KILL', '300', ...argv], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.resume();
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Only an exit the test did not ask for is news; its log then says why.
  child.on('exit', (code, signal) => {
    if (!stopping) process.stderr.write(`[${argv[0]}] exited (${code ?? signal}): ${stderr}\n`);
  });
  children.push(child);
  return child;
}

async function waitForListener(ns: string, port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const out = await ip('netns', 'exec', ns, 'ss', '-Hltn', `sport = :${port}`);
    if (out.trim() !== '') return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nothing listens on port ${port} in ${ns}`);
}

/** Resolves once the child prints `text` on stdout (the mDNS responder's "ready"). */
function waitForOutput(child: ChildProcess, text: string, ms = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no "${text}" within ${ms} ms`)), ms);
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

async function teardown(): Promise<void> {
  stopping = true;
  for (const child of children.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 1000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  for (const ns of Object.values(NS)) {
    await ip('netns', 'del', ns).catch(() => undefined);
  }
  if (workDir) rmSync(workDir, { recursive: true, force: true });
}

async function setup(): Promise<void> {
  workDir = mkdtempSync(path.join(tmpdir(), 'hwdisc-'));
  dropbearVersion = /Dropbear v(\S+)/.exec(
    (await execFileAsync('dropbear', ['-V'])).stderr,
  )?.[1] as string;

  for (const ns of Object.values(NS)) {
    await ip('netns', 'add', ns);
    await ip('-n', ns, 'link', 'set', 'lo', 'up');
  }
  // Both ends are created inside the namespaces: no interface ever appears on the host.
  const links: [string, string, string][] = [
    ['lan0', NS.router, 'lan'],
    ['lan1', NS.other, 'lan'],
    ['lan2', NS.dark, 'lan'],
  ];
  for (const [name, peerNs, peer] of links) {
    await ip(
      '-n',
      NS.laptop,
      'link',
      'add',
      name,
      'type',
      'veth',
      'peer',
      'name',
      peer,
      'netns',
      peerNs,
    );
    await ip('-n', NS.laptop, 'link', 'set', name, 'up');
    await ip('-n', peerNs, 'link', 'set', peer, 'up');
  }
  // The router bridges the laptop and the gadget, as its br-lan would.
  await ip('-n', NS.router, 'link', 'add', 'br-lan', 'type', 'bridge', 'mcast_snooping', '0');
  await ip(
    '-n',
    NS.router,
    'link',
    'add',
    'gad',
    'type',
    'veth',
    'peer',
    'name',
    'lan',
    'netns',
    NS.gadget,
  );
  for (const port of ['lan', 'gad']) {
    await ip('-n', NS.router, 'link', 'set', port, 'master', 'br-lan');
    await ip('-n', NS.router, 'link', 'set', port, 'up');
  }
  await ip('-n', NS.router, 'link', 'set', 'br-lan', 'up');
  await ip('-n', NS.gadget, 'link', 'set', 'lan', 'up');
  await ip('-n', NS.gadget, 'addr', 'add', '192.168.8.57/24', 'dev', 'lan');
  await ip('-n', NS.laptop, 'link', 'add', 'p2p0', 'type', 'veth', 'peer', 'name', 'p2p1');
  await ip('-n', NS.laptop, 'link', 'set', 'p2p0', 'up');
  await ip('-n', NS.laptop, 'link', 'set', 'p2p1', 'up');
  await ip('-n', NS.laptop, 'addr', 'add', '192.168.8.100/24', 'dev', 'lan0');
  await ip('-n', NS.laptop, 'addr', 'add', '10.0.0.50/24', 'dev', 'lan1');
  await ip('-n', NS.laptop, 'addr', 'add', '192.168.1.100/24', 'dev', 'lan2');
  await ip('-n', NS.laptop, 'addr', 'add', '10.99.0.2/32', 'dev', 'p2p0');
  await ip('-n', NS.laptop, 'route', 'add', 'default', 'via', '192.168.8.1');
  await ip('-n', NS.router, 'addr', 'add', '192.168.8.1/24', 'dev', 'br-lan');
  await ip('-n', NS.other, 'addr', 'add', '10.0.0.1/24', 'dev', 'lan');

  const hostKey = path.join(workDir, 'dropbear_ed25519_host_key');
  await run('dropbearkey', ['-t', 'ed25519', '-f', hostKey]);
  startInNs(NS.router, [
    'dropbear',
    '-F',
    '-E',
    '-s',
    '-p',
    '192.168.8.1:22',
    '-r',
    hostKey,
    '-P',
    path.join(workDir, 'dropbear.pid'),
  ]);

  // What uhttpd answers on / of an OpenWrt router with LuCI: a redirect page to /cgi-bin/luci.
  const routerWww = path.join(workDir, 'router-www');
  mkdirSync(routerWww);
  writeFileSync(
    path.join(routerWww, 'index.html'),
    '<!DOCTYPE html>\n<html><head>\n<meta http-equiv="refresh" content="0; URL=/cgi-bin/luci" />\n' +
      '</head><body><a href="/cgi-bin/luci">LuCI - Lua Configuration Interface</a></body></html>\n',
  );
  startInNs(NS.router, ['busybox', 'httpd', '-f', '-p', '192.168.8.1:80', '-h', routerWww]);

  const otherWww = path.join(workDir, 'other-www');
  mkdirSync(otherWww);
  writeFileSync(
    path.join(otherWww, 'index.html'),
    '<html><head><title>Office printer</title></head><body>Status: ready</body></html>\n',
  );
  startInNs(NS.other, ['busybox', 'httpd', '-f', '-p', '10.0.0.1:80', '-h', otherWww]);

  startInNs(NS.gadget, [
    'dropbear',
    '-F',
    '-E',
    '-s',
    '-p',
    '192.168.8.57:22',
    '-r',
    hostKey,
    '-P',
    path.join(workDir, 'dropbear-gadget.pid'),
  ]);
  if (hasZeroconf) {
    const responders = [
      startInNs(NS.router, [
        '/usr/bin/python3',
        RESPONDER,
        '192.168.8.1',
        'travel-router',
        'travel-router',
      ]),
      startInNs(NS.gadget, [
        '/usr/bin/python3',
        RESPONDER,
        '192.168.8.57',
        'travel-gadget',
        'travel-gadget',
      ]),
    ];
    await Promise.all(responders.map((child) => waitForOutput(child, 'ready')));
  }

  await waitForListener(NS.router, 22);
  await waitForListener(NS.router, 80);
  await waitForListener(NS.other, 80);
  await waitForListener(NS.gadget, 22);
}

interface ScriptOutput {
  result: Result<DiscoveryResult>;
  wallMs: number;
  ownerSize: number;
  handles: string[];
}

async function discoverInLaptop(budgetMs?: number): Promise<ScriptOutput> {
  const args = ['netns', 'exec', NS.laptop, process.execPath, '--import', 'tsx', SCRIPT, NS.laptop];
  if (budgetMs !== undefined) args.push(String(budgetMs));
  const stdout = await run('ip', args);
  return JSON.parse(stdout) as ScriptOutput;
}

function byAddress(candidates: RankedCandidate[], address: string): RankedCandidate | undefined {
  return candidates.find((c) => c.address === address);
}

// In CI a lab that cannot run is a failure, not a skip.
const inCi = process.env['CI'] === 'true';

describe.skipIf(!canRun && !inCi)('discovery in a namespace lab', () => {
  beforeAll(async () => {
    try {
      await setup();
    } catch (error) {
      await teardown();
      throw error;
    }
  });
  afterAll(teardown);

  it('finds the router ranked first as dropbear + LuCI, within 3 s, leaving no socket open', async () => {
    const out = await discoverInLaptop();
    expect(out.result.ok).toBe(true);
    if (!out.result.ok) return;
    const { candidates, budgetMs, elapsedMs } = out.result.value;

    // Only addresses inside the laptop's subnets, and no sweep: exactly these (the gadget only
    // when mDNS can find it).
    expect(candidates.map((c) => c.address).sort()).toEqual(
      ['10.0.0.1', '192.168.1.1', '192.168.8.1', ...(hasZeroconf ? ['192.168.8.57'] : [])].sort(),
    );

    const [first] = candidates;
    expect(first).toMatchObject({
      address: '192.168.8.1',
      interface: 'lan0',
      verdict: 'openwrt',
      ssh: { kind: 'banner', banner: { software: 'dropbear', version: dropbearVersion } },
      web: { kind: 'page', status: 200, page: { ui: 'luci' } },
    });
    expect(first?.reasons.map((r) => r.kind)).toEqual([
      'default-gateway',
      ...(hasZeroconf ? ['mdns'] : []),
      'well-known',
      'subnet-first-host',
    ]);
    expect(first?.summary).toBe(
      `OpenWrt (dropbear ${dropbearVersion}), LuCI answers on port 80; default gateway, ` +
        (hasZeroconf ? 'announces _http._tcp and _ssh._tcp over mDNS as "travel-router", ' : '') +
        'the usual GL.iNet address, first address of the lan0 subnet',
    );

    expect(byAddress(candidates, '10.0.0.1')).toMatchObject({
      verdict: 'web-host',
      ssh: { kind: 'failed', failure: 'refused' },
      web: { kind: 'page', page: { ui: 'other', title: 'Office printer' } },
    });
    expect(byAddress(candidates, '192.168.1.1')).toMatchObject({
      verdict: 'no-answer',
      score: 0,
      ssh: { kind: 'failed', failure: 'timeout' },
      web: { kind: 'failed', failure: 'timeout' },
    });
    expect(candidates.map((c) => c.address)).toEqual([
      '192.168.8.1',
      ...(hasZeroconf ? ['192.168.8.57'] : []),
      '10.0.0.1',
      '192.168.1.1',
    ]);

    expect(budgetMs).toBe(3000);
    expect(elapsedMs).toBeLessThanOrEqual(3000);
    expect(out.wallMs).toBeLessThanOrEqual(3000);
    // The silent address costs one probe time limit (1 s), not the kernel's ARP give-up.
    expect(out.wallMs).toBeGreaterThanOrEqual(950);
    expect(out.ownerSize).toBe(0);
    expect(out.handles).toEqual([]);
  });

  it.skipIf(!hasZeroconf && !inCi)(
    'finds a host that only mDNS names, and probes it too',
    async () => {
      const out = await discoverInLaptop();
      expect(out.result.ok).toBe(true);
      if (!out.result.ok) return;
      expect(byAddress(out.result.value.candidates, '192.168.8.57')).toMatchObject({
        interface: 'lan0',
        verdict: 'openwrt',
        reasons: [{ kind: 'mdns', services: ['_http._tcp', '_ssh._tcp'], name: 'travel-gadget' }],
        ssh: { kind: 'banner', banner: { software: 'dropbear' } },
        web: { kind: 'failed', failure: 'refused' },
        summary: `OpenWrt (dropbear ${dropbearVersion}); announces _http._tcp and _ssh._tcp over mDNS as "travel-gadget"`,
      });
      expect(out.wallMs).toBeLessThanOrEqual(3000);
      expect(out.handles).toEqual([]);
    },
  );

  it('a tight budget still holds, and the router still answers first', async () => {
    const out = await discoverInLaptop(400);
    expect(out.result.ok).toBe(true);
    if (!out.result.ok) return;
    expect(out.wallMs).toBeLessThanOrEqual(400);
    expect(out.result.value.candidates[0]).toMatchObject({
      address: '192.168.8.1',
      verdict: 'openwrt',
    });
    expect(out.ownerSize).toBe(0);
    expect(out.handles).toEqual([]);
  });

  it('the discovery script refuses to run outside its namespace', async () => {
    await expect(
      run('ip', [
        'netns',
        'exec',
        NS.other,
        process.execPath,
        '--import',
        'tsx',
        SCRIPT,
        NS.laptop,
      ]),
    ).rejects.toMatchObject({ code: 3 });
  });
});
