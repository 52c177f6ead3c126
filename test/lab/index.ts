import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildLabTools } from './build';
import { expectedGoodputMbit, DEFAULT_OVERHEADS } from './goodput';
import { applyImpairments } from './impair';
import type { ImpairKnobs, ImpairmentGroup } from './impair';
import type { LabNodeInfo } from './node/config';
import {
  LABS_DIR,
  cleanStaleLabs,
  destroyLab,
  netnsInode,
  processStart,
  writeRecord,
} from './registry';
import type { LabRecord } from './registry';
import { startSshProxy } from './ssh-proxy';
import type { SshProxy } from './ssh-proxy';
import { readUciConfig } from './uci';

export { cleanStaleLabs, listLabs } from './registry';
export { expectedGoodputMbit as goodputForOverheads } from './goodput';

const LAB_DIR = dirname(fileURLToPath(import.meta.url));
const SCENARIOS_DIR = join(LAB_DIR, 'scenarios');
const PROJECT_DIR = join(LAB_DIR, '..', '..');
const UDHCPC_SCRIPT = join(LAB_DIR, 'assets', 'udhcpc.script');
const NODE_PATH = '/usr/sbin:/usr/bin:/sbin:/bin';
const OPENWRT_CONFIGS = ['network', 'wireless', 'firewall', 'dhcp', 'system'];

export type WanLink = 'router-wan' | 'home-wan';

/** Faults and variants a scenario or a test can ask for at start. */
export interface LabKnobs {
  /** MTU of the router's vxlan0 and br-lan2 (1500 = the seed's double fragmentation) */
  vxlanMtu?: number;
  /** home's DHCP without option 26: L2 stations keep MTU 1500 on the 1370 path */
  l2ClientMtu1500?: boolean;
  /** MTU of the router's WAN link, both ends (a hotel's 1280) */
  underlayMtu?: number;
  /** 1400 between inet and home with ICMP "frag needed" dropped: PMTUD black hole */
  underlayBlackHole?: boolean;
  /** inet drops UDP to port 51820 */
  blockWireguardUdp?: boolean;
  /** home's WireGuard stopped, or the router configured with a wrong peer key */
  wireguardPeer?: 'up' | 'down' | 'wrong-key';
  /** the router's package manager: 'apk' for OpenWrt 25 and later (default: the scenario's) */
  packageManager?: 'opkg' | 'apk';
  /** false: home's dnsmasq is stopped after boot */
  homeDhcp?: boolean;
  /**
   * The router accepts this root password over SSH (dropbear without -s, a sha512 hash in the
   * node's /etc/shadow) and reads root's keys from /etc/dropbear/authorized_keys as OpenWrt's
   * dropbear does: for password sign-in tests.
   */
  rootPassword?: string;
  /** initial impairment of the router's WAN link (both directions) */
  rateMbit?: number;
  delayMs?: number;
  jitterMs?: number;
  lossPercent?: number;
}

interface ScenarioNodeMeta {
  ports: string[];
  hosts: Record<string, string>;
  board: LabNodeInfo['board'];
  release: { version: string; revision: string };
  packageManager: 'opkg' | 'apk';
  packages: Record<string, string>;
}

interface ScenarioMeta {
  description: string;
  nodes: { router: ScenarioNodeMeta; home: ScenarioNodeMeta };
  stations: { name: string; ssid: string }[];
  knobs: LabKnobs;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface SshTarget {
  host: string;
  port: number;
  user: string;
  keyPath: string;
  /** 'ssh-ed25519 AAAA...' as in a known_hosts line */
  knownHostKey: string;
  /** 'SHA256:...' as ssh-keygen -l prints it */
  fingerprint: string;
  /** a known_hosts file holding this host and port */
  knownHostsPath: string;
}

export interface StationLease {
  ip: string;
  mask: number;
  router?: string;
  mtu?: number;
}

interface NodeHandle {
  name: string;
  pid: number;
  netns: string;
  dir: string;
  openwrt: boolean;
}

const WAN_ENDS: Record<WanLink, { node: string; dev: string }[]> = {
  'router-wan': [
    { node: 'router', dev: 'wan' },
    { node: 'inet', dev: 'eth-router' },
  ],
  'home-wan': [
    { node: 'home', dev: 'wan' },
    { node: 'inet', dev: 'eth-home' },
  ],
};

const liveLabs = new Set<Lab>();
let handlersInstalled = false;

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => {
    for (const lab of liveLabs) lab.destroyNow();
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      for (const lab of liveLabs) lab.destroyNow();
      process.exit(128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const)[sig]);
    });
  }
}

const REQUIRED_COMMANDS = [
  'ip',
  'tc',
  'iptables',
  'iptables-restore',
  'nsenter',
  'unshare',
  'wireguard-go',
  'wg',
  'dnsmasq',
  'busybox',
  'dropbear',
  'dropbearkey',
  'iperf3',
  'ssh-keygen',
  'tcpdump',
];

/** Why a lab cannot start on this machine, or undefined when it can. */
export function labUnavailableReason(): string | undefined {
  if (process.platform !== 'linux') return `the lab needs Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'the lab needs root (network namespaces, mounts)';
  const missing = REQUIRED_COMMANDS.filter(
    (c) => spawnSync('sh', ['-c', `command -v ${c}`], { stdio: 'ignore' }).status !== 0,
  );
  if (missing.length > 0) {
    return `missing commands: ${missing.join(', ')} (Debian: apt-get install wireguard-go wireguard-tools iperf3 dnsmasq-base busybox tcpdump iproute2 iptables dropbear-bin openssh-client)`;
  }
  if (!readFileSync('/proc/filesystems', 'utf8').includes('overlay')) {
    return 'the kernel has no overlayfs (needed for per-node /etc and /usr/sbin)';
  }
  return undefined;
}

export function scenarioNames(): string[] {
  return readdirSync(SCENARIOS_DIR).filter((n) =>
    existsSync(join(SCENARIOS_DIR, n, 'scenario.json')),
  );
}

function loadScenario(name: string): ScenarioMeta {
  const path = join(SCENARIOS_DIR, name, 'scenario.json');
  if (!existsSync(path)) {
    throw new Error(`lab: no scenario '${name}' (have: ${scenarioNames().join(', ')})`);
  }
  return JSON.parse(readFileSync(path, 'utf8')) as ScenarioMeta;
}

function sh(cmd: string, args: string[], input?: string): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input: input ?? '' });
  if (r.status !== 0) {
    throw new Error(
      `lab: ${cmd} ${args.join(' ')}: ${(r.stderr || r.error?.message || '').trim()}`,
    );
  }
  return r.stdout;
}

function shellQuote(s: string): string {
  return `'${s.split("'").join("'\\''")}'`;
}

function stationMac(lab: string, name: string): string {
  const h = createHash('sha256').update(`${lab}/${name}`).digest();
  return ['02', ...[...h.subarray(0, 5)].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

function hostnameOf(configDir: string, fallback: string): string {
  try {
    const sys = readUciConfig(configDir, 'system').sections.find((s) => s.type === 'system');
    const h = sys?.options['hostname'];
    return typeof h === 'string' ? h : fallback;
  } catch {
    return fallback;
  }
}

const HOLDER_SCRIPT = `
set -e
N="$1"; HOST="$2"; OPENWRT="$3"; KEEP="$4"
# The project (built lab tools, assets, node_modules) must stay visible in every node even when
# it lives under a path the node hides (a clone in /tmp or /root): hold it open now, bind it back
# after the private mounts.
case "$KEEP" in
  /tmp|/tmp/*|/root|/root/*|/run|/run/*|/var/run/*) exec 9<"$KEEP" ;;
  *) KEEP="" ;;
esac
if [ "$OPENWRT" = 1 ]; then
  mount -t overlay overlay -o "lowerdir=/etc,upperdir=$N/etc,workdir=$N/etc-work" /etc
  mount -t overlay overlay -o "ro,lowerdir=$N/tools:/usr/sbin" /usr/sbin
  mount -t overlay overlay -o "ro,lowerdir=$N/tools:/usr/bin" /usr/bin
  mount --bind "$N/root" /root
fi
umount -l /sys
mount -t sysfs sysfs /sys
mount --bind "$N/tmp" /tmp
mount --rbind "$N/run" /run
if [ -n "$KEEP" ]; then
  mkdir -p "$KEEP"
  mount --no-canonicalize --bind /proc/self/fd/9 "$KEEP"
  exec 9<&-
fi
echo "$HOST" > /proc/sys/kernel/hostname
ip link set lo up
for f in /proc/sys/net/bridge/bridge-nf-call-iptables /proc/sys/net/bridge/bridge-nf-call-ip6tables /proc/sys/net/bridge/bridge-nf-call-arptables; do
  [ -e "$f" ] && echo 0 > "$f"
done
echo 1 > /proc/sys/net/ipv4/ip_forward
echo ready
exec sleep infinity </dev/null >/dev/null 2>&1
`;

/** Starts the process that holds a node's network, mount and UTS namespaces for its lifetime. */
function spawnHolder(dir: string, hostname: string, openwrt: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'unshare',
      [
        '--net',
        '--mount',
        '--uts',
        '--propagation',
        'private',
        '--',
        '/bin/sh',
        '-c',
        HOLDER_SCRIPT,
        'holder',
        dir,
        hostname,
        openwrt ? '1' : '0',
        PROJECT_DIR,
      ],
      { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready') && child.pid !== undefined) {
        child.unref();
        resolve(child.pid);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      reject(new Error(`lab: node holder for ${hostname} exited (${code}): ${err.trim()}`)),
    );
  });
}

export class Lab {
  readonly leases = new Map<string, StationLease | undefined>();
  readonly timings = { startMs: 0, stopMs: 0 };
  private readonly proxies = new Map<string, SshProxy>();
  private readonly impairments = new Map<WanLink, ImpairmentGroup>();
  private readonly hostKeys = new Map<string, { key: string; fingerprint: string }>();
  private stopped = false;

  constructor(
    readonly id: string,
    readonly scenario: string,
    readonly dir: string,
    private readonly record: LabRecord,
    private readonly nodeMap: Map<string, NodeHandle>,
    readonly keyPath: string,
    readonly knobs: LabKnobs,
  ) {}

  get nodes(): string[] {
    return [...this.nodeMap.keys()];
  }

  get stations(): string[] {
    return [...this.nodeMap.values()]
      .filter((n) => n.name !== 'inet' && n.name !== 'jacks' && !n.openwrt)
      .map((n) => n.name);
  }

  /** The `ip netns` name of a node (for tools that take one, e.g. the impair module). */
  netns(node: string): string {
    return this.node(node).netns;
  }

  /** Host path of a node's private directory (its /tmp, /run, /etc upper layer live there). */
  nodeDir(node: string): string {
    return this.node(node).dir;
  }

  private node(name: string): NodeHandle {
    const n = this.nodeMap.get(name);
    if (n === undefined) throw new Error(`lab: no node '${name}' (have: ${this.nodes.join(', ')})`);
    return n;
  }

  private nsenterArgs(name: string): string[] {
    return ['-t', String(this.node(name).pid), '-n', '-m', '-u', '--'];
  }

  /** Runs a shell command line inside a node (its network, mounts, hostname). */
  exec(
    node: string,
    cmd: string,
    opts: { input?: string; timeoutMs?: number } = {},
  ): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      const child = spawn('nsenter', [...this.nsenterArgs(node), '/bin/sh', '-c', cmd], {
        cwd: '/',
        env: { PATH: NODE_PATH, HOME: '/root', LANG: 'C', TERM: 'dumb' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer =
        opts.timeoutMs === undefined
          ? undefined
          : setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
      child.on('error', reject);
      child.on('close', (code, signal) => {
        if (timer !== undefined) clearTimeout(timer);
        resolve({ stdout, stderr, code: code ?? (signal === null ? 1 : 128 + 9) });
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(opts.input ?? '');
    });
  }

  /** exec that throws with the node's stderr when the command fails. */
  async execOk(
    node: string,
    cmd: string,
    opts: { input?: string; timeoutMs?: number } = {},
  ): Promise<string> {
    const r = await this.exec(node, cmd, opts);
    if (r.code !== 0)
      throw new Error(`lab: ${node}: '${cmd}' exited ${r.code}: ${r.stderr.trim()}`);
    return r.stdout;
  }

  /** Starts a long-running command in a node; abort the signal (or stop the lab) to end it. */
  run(
    node: string,
    argv: string[],
    opts: { signal?: AbortSignal } = {},
  ): { child: ChildProcess; done: Promise<ExecResult> } {
    const child = spawn('nsenter', [...this.nsenterArgs(node), ...argv], {
      cwd: '/',
      env: { PATH: NODE_PATH, HOME: '/root', LANG: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
      signal: opts.signal,
      killSignal: 'SIGTERM',
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const done = new Promise<ExecResult>((resolve) => {
      child.on('error', () => undefined);
      child.on('close', (code, signal) =>
        resolve({ stdout, stderr, code: code ?? (signal === null ? 1 : 143) }),
      );
    });
    return { child, done };
  }

  /** Starts a daemon inside a node, detached, output appended to the node's /tmp/log/<logName>.log. */
  daemon(node: string, argv: string[], logName: string): number {
    const logDir = join(this.node(node).dir, 'tmp', 'log');
    mkdirSync(logDir, { recursive: true });
    const fd = openSync(join(logDir, `${logName}.log`), 'a');
    const child = spawn('nsenter', [...this.nsenterArgs(node), ...argv], {
      cwd: '/',
      env: { PATH: NODE_PATH, HOME: '/root', LANG: 'C' },
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    child.unref();
    return child.pid ?? -1;
  }

  /**
   * Where to point an SSH client (OpenSSH or ssh2) at a node: a loopback port carried into the lab
   * through the laptop (for the router: its LAN address, as Homeward on the laptop sees it) or,
   * for home, through home's own loopback.
   */
  async sshTarget(node: 'router' | 'home'): Promise<SshTarget> {
    let proxy = this.proxies.get(node);
    if (proxy === undefined) {
      if (node === 'router') {
        const lanIp = this.lanAddress('router');
        proxy = await startSshProxy(this.node('laptop').pid, lanIp, 22);
      } else {
        proxy = await startSshProxy(this.node(node).pid, '127.0.0.1', 22);
      }
      this.proxies.set(node, proxy);
    }
    const hk = this.hostKeys.get(node);
    if (hk === undefined) throw new Error(`lab: ${node} has no SSH host key`);
    const knownHostsPath = join(this.dir, `known_hosts.${node}`);
    writeFileSync(knownHostsPath, `[127.0.0.1]:${proxy.port} ${hk.key}\n`);
    return {
      host: '127.0.0.1',
      port: proxy.port,
      user: 'root',
      keyPath: this.keyPath,
      knownHostKey: hk.key,
      fingerprint: hk.fingerprint,
      knownHostsPath,
    };
  }

  /** The router's (or home's) LAN address from its committed network config. */
  lanAddress(node: 'router' | 'home'): string {
    const net = readUciConfig(join(this.node(node).dir, 'etc', 'config'), 'network');
    const lan = net.sections.find((s) => s.type === 'interface' && s.name === 'lan');
    const ipaddr = lan?.options['ipaddr'];
    const first = Array.isArray(ipaddr) ? ipaddr[0] : ipaddr;
    if (first === undefined) throw new Error(`lab: ${node} has no lan ipaddr`);
    return first.split('/')[0] as string;
  }

  /** Shapes/delays/drops both directions of a WAN link; replaces an earlier impairment of it. */
  async impair(link: WanLink, knobs: ImpairKnobs): Promise<void> {
    await this.impairments.get(link)?.clear();
    this.impairments.delete(link);
    const empty = Object.values(knobs).every((v) => v === undefined || v === 0);
    if (empty) return;
    const group = await applyImpairments(
      WAN_ENDS[link].map((e) => ({ netns: this.node(e.node).netns, dev: e.dev })),
      knobs,
    );
    this.impairments.set(link, group);
  }

  /** TCP goodput inside the tunnel for a WAN shaped to rateMbit, from the router's wg0 MTU. */
  expectedGoodputMbit(rateMbit: number): number {
    return expectedGoodputMbit(rateMbit, { ...DEFAULT_OVERHEADS, innerMtu: this.tunnelMtu });
  }

  tunnelMtu = DEFAULT_OVERHEADS.innerMtu;

  /** Runs busybox udhcpc once on a station's wlan0 (requests option 26, applies it). */
  async stationDhcp(
    station: string,
    timeoutS = 6,
  ): Promise<{ lease?: StationLease; output: string }> {
    const tries = Math.max(1, timeoutS);
    const r = await this.exec(
      station,
      `busybox udhcpc -n -q -f -t ${tries} -T 1 -i wlan0 -O mtu -s ${shellQuote(UDHCPC_SCRIPT)} 2>&1; cat /var/run/udhcpc-wlan0.lease 2>/dev/null`,
    );
    const m = /^ip=(\S+) mask=(\d+) router=(\S*) mtu=(\S*)/m.exec(r.stdout);
    const lease =
      m === null
        ? undefined
        : {
            ip: m[1] as string,
            mask: Number(m[2]),
            router: m[3] || undefined,
            mtu: m[4] ? Number(m[4]) : undefined,
          };
    this.leases.set(station, lease);
    return { lease, output: r.stdout };
  }

  /** Seconds since the router's (or home's) latest handshake on wg0; undefined = never. */
  async handshakeAge(node: 'router' | 'home', iface = 'wg0'): Promise<number | undefined> {
    const r = await this.exec(node, `wg show ${iface} latest-handshakes`);
    const ts = r.stdout
      .split('\n')
      .map((l) => Number(l.split('\t')[1]))
      .filter((n) => Number.isFinite(n) && n > 0);
    if (ts.length === 0) return undefined;
    return Math.floor(Date.now() / 1000) - Math.max(...ts);
  }

  setHostKey(node: string, key: string, fingerprint: string): void {
    this.hostKeys.set(node, { key, fingerprint });
  }

  /** Synchronous teardown, also used from exit and signal handlers. */
  destroyNow(): void {
    if (this.stopped) return;
    this.stopped = true;
    liveLabs.delete(this);
    destroyLab(this.dir, this.record);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    const t0 = Date.now();
    for (const g of this.impairments.values()) await g.clear().catch(() => undefined);
    this.impairments.clear();
    for (const p of this.proxies.values()) await p.close();
    this.proxies.clear();
    this.destroyNow();
    this.timings.stopMs = Date.now() - t0;
    process.stderr.write(
      `lab ${this.id} (${this.scenario}) down in ${(this.timings.stopMs / 1000).toFixed(2)} s\n`,
    );
  }
}

function writeOpenWrtNode(
  dir: string,
  scenarioDir: string,
  name: 'router' | 'home',
  meta: ScenarioNodeMeta,
  binDir: string,
  pubKey: string,
): void {
  const etc = join(dir, 'etc');
  mkdirSync(join(etc, 'config'), { recursive: true });
  for (const c of OPENWRT_CONFIGS) {
    const src = join(scenarioDir, name, c);
    if (existsSync(src)) cpSync(src, join(etc, 'config', c));
  }
  const hostname = hostnameOf(join(etc, 'config'), name);
  writeFileSync(
    join(etc, 'passwd'),
    'root:x:0:0:root:/root:/bin/ash\ndaemon:*:1:1:daemon:/var:/bin/false\nnetwork:*:101:101:network:/var:/bin/false\nnobody:*:65534:65534:nobody:/var:/bin/false\n',
  );
  writeFileSync(
    join(etc, 'shadow'),
    'root:*:19000:0:99999:7:::\ndaemon:*:0:0:99999:7:::\nnetwork:*:0:0:99999:7:::\nnobody:*:0:0:99999:7:::\n',
    { mode: 0o600 },
  );
  writeFileSync(join(etc, 'group'), 'root:x:0:\ndaemon:x:1:\nnetwork:x:101:\nnogroup:x:65534:\n');
  writeFileSync(join(etc, 'shells'), '/bin/ash\n/bin/sh\n');
  const hosts = ['127.0.0.1 localhost', ...Object.entries(meta.hosts).map(([h, a]) => `${a} ${h}`)];
  writeFileSync(join(etc, 'hosts'), `${hosts.join('\n')}\n`);
  const rel = meta.release;
  const target = meta.board.target;
  writeFileSync(
    join(etc, 'openwrt_release'),
    `DISTRIB_ID='OpenWrt'\nDISTRIB_RELEASE='${rel.version}'\nDISTRIB_REVISION='${rel.revision}'\nDISTRIB_TARGET='${target}'\nDISTRIB_ARCH='${target.startsWith('x86') ? 'x86_64' : 'mipsel_24kc'}'\nDISTRIB_DESCRIPTION='OpenWrt ${rel.version} ${rel.revision}'\nDISTRIB_TAINTS=''\n`,
  );
  writeFileSync(
    join(etc, 'board.json'),
    JSON.stringify({ model: { id: meta.board.boardName, name: meta.board.model } }, null, '\t'),
  );
  mkdirSync(join(etc, 'init.d'), { recursive: true });
  for (const svc of ['network', 'firewall', 'dnsmasq']) {
    writeFileSync(
      join(etc, 'init.d', svc),
      `#!/bin/sh\nexec ${shellQuote(join(binDir, svc))} "$@"\n`,
      { mode: 0o755 },
    );
  }
  mkdirSync(join(etc, 'dropbear'), { recursive: true, mode: 0o700 });
  sh('dropbearkey', ['-t', 'ed25519', '-f', join(etc, 'dropbear', 'dropbear_ed25519_host_key')]);
  writeFileSync(join(etc, 'dropbear', 'authorized_keys'), pubKey, { mode: 0o600 });
  mkdirSync(join(dir, 'root', '.ssh'), { recursive: true, mode: 0o700 });
  chmodSync(join(dir, 'root'), 0o700);
  writeFileSync(join(dir, 'root', '.ssh', 'authorized_keys'), pubKey, { mode: 0o600 });

  const tools = join(dir, 'tools');
  mkdirSync(tools, { recursive: true });
  const toolNames = ['uci', 'wifi', 'ubus', 'logread', meta.packageManager];
  for (const t of toolNames) symlinkSync(join(binDir, t), join(tools, t));
  for (const applet of ['ash', 'udhcpc']) symlinkSync('/usr/bin/busybox', join(tools, applet));
  writeFileSync(join(dir, 'hostname'), hostname);
}

function allowRootPassword(dir: string, password: string): void {
  const hash = sh('openssl', ['passwd', '-6', '-stdin'], `${password}\n`).trim();
  writeFileSync(
    join(dir, 'etc', 'shadow'),
    `root:${hash}:19000:0:99999:7:::\ndaemon:*:0:0:99999:7:::\nnetwork:*:0:0:99999:7:::\nnobody:*:0:0:99999:7:::\n`,
    { mode: 0o600 },
  );
  // Debian's dropbear reads ~/.ssh/authorized_keys; OpenWrt's reads /etc/dropbear for root.
  const keys = join(dir, 'root', '.ssh', 'authorized_keys');
  rmSync(keys, { force: true });
  symlinkSync('/etc/dropbear/authorized_keys', keys);
}

function hostKeyOf(dir: string): { key: string; fingerprint: string } {
  const out = sh('dropbearkey', [
    '-y',
    '-f',
    join(dir, 'etc', 'dropbear', 'dropbear_ed25519_host_key'),
  ]);
  const line = out.split('\n').find((l) => l.startsWith('ssh-'));
  if (line === undefined) throw new Error('lab: dropbearkey printed no public key');
  const [type = '', blob = ''] = line.split(' ');
  const fingerprint = `SHA256:${createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64').replace(/=+$/, '')}`;
  return { key: `${type} ${blob}`, fingerprint };
}

async function applyConfigKnobs(lab: Lab, knobs: LabKnobs): Promise<void> {
  const routerBatch: string[] = [];
  const homeBatch: string[] = [];
  if (knobs.vxlanMtu !== undefined) {
    const net = readUciConfig(join(lab.nodeDir('router'), 'etc', 'config'), 'network');
    const devices = net.sections.filter((s) => s.type === 'device');
    const idx = devices.findIndex((s) => s.options['name'] === 'br-lan2');
    routerBatch.push(`set network.vxlan0.mtu='${knobs.vxlanMtu}'`);
    if (idx >= 0) routerBatch.push(`set network.@device[${idx}].mtu='${knobs.vxlanMtu}'`);
  }
  if (knobs.wireguardPeer === 'wrong-key') {
    const wrong = sh('wg', ['pubkey'], sh('wg', ['genkey']));
    routerBatch.push(`set network.@wireguard_wg0[0].public_key='${wrong.trim()}'`);
  }
  if (knobs.l2ClientMtu1500 === true) homeBatch.push(`del_list dhcp.lan.dhcp_option='26,1370'`);
  for (const [node, batch] of [
    ['router', routerBatch],
    ['home', homeBatch],
  ] as const) {
    if (batch.length === 0) continue;
    await lab.execOk(node, 'uci batch && uci commit', { input: `${batch.join('\n')}\n` });
  }
}

export interface StartOptions extends LabKnobs {
  /** keep the lab after this process exits (the `npm run lab -- up` command) */
  persistent?: boolean;
  /** print progress lines */
  verbose?: boolean;
}

/** Builds the scenario's network in fresh namespaces and waits until it is ready to use. */
export async function startLab(scenario = 'default', options: StartOptions = {}): Promise<Lab> {
  const reason = labUnavailableReason();
  if (reason !== undefined) throw new Error(`lab: cannot start: ${reason}`);
  const t0 = Date.now();
  const meta = loadScenario(scenario);
  const knobs: LabKnobs = { ...meta.knobs, ...options };
  const log = (m: string): void => {
    if (options.verbose === true) process.stderr.write(`lab: ${m} (+${Date.now() - t0} ms)\n`);
  };
  cleanStaleLabs();
  const binDir = await buildLabTools();
  log('tools built');

  const id = `hwl${randomBytes(3).toString('hex')}`;
  const dir = join(LABS_DIR, id);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const record: LabRecord = {
    id,
    scenario,
    ownerPid: process.pid,
    ownerStart: processStart(process.pid) ?? 0,
    persistent: options.persistent === true,
    nodes: {},
    startedAt: Date.now(),
  };
  writeRecord(dir, record);
  installExitHandlers();

  const keyPath = join(dir, 'id_ed25519');
  sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `homeward-lab-${id}`, '-f', keyPath]);
  const pubKey = readFileSync(`${keyPath}.pub`, 'utf8');

  const scenarioDir = join(SCENARIOS_DIR, scenario);
  const stationNames = meta.stations.map((s) => s.name);
  // 'jacks' holds the far ends of unplugged ports (the kernel here has no dummy devices)
  const nodeNames = ['inet', 'home', 'router', 'jacks', ...stationNames];
  const nodeMap = new Map<string, NodeHandle>();
  const lab = new Lab(id, scenario, dir, record, nodeMap, keyPath, knobs);
  liveLabs.add(lab);

  try {
    const hostnames = new Map<string, string>();
    for (const name of nodeNames) {
      const ndir = join(dir, 'nodes', name);
      for (const sub of ['run', 'tmp', 'etc', 'etc-work', 'root'])
        mkdirSync(join(ndir, sub), { recursive: true });
      chmodSync(join(ndir, 'tmp'), 0o1777);
      if (name === 'router' || name === 'home') {
        if (name === 'router' && knobs.packageManager !== undefined) {
          meta.nodes.router.packageManager = knobs.packageManager;
        }
        writeOpenWrtNode(ndir, scenarioDir, name, meta.nodes[name], binDir, pubKey);
        if (name === 'router' && knobs.rootPassword !== undefined)
          allowRootPassword(ndir, knobs.rootPassword);
        hostnames.set(name, readFileSync(join(ndir, 'hostname'), 'utf8'));
      } else {
        hostnames.set(name, name);
      }
    }
    const pids = await Promise.all(
      nodeNames.map((name) =>
        spawnHolder(
          join(dir, 'nodes', name),
          hostnames.get(name) ?? name,
          name === 'router' || name === 'home',
        ),
      ),
    );
    nodeNames.forEach((name, i) => {
      const pid = pids[i] as number;
      const netns = `${id}-${name}`;
      nodeMap.set(name, {
        name,
        pid,
        netns,
        dir: join(dir, 'nodes', name),
        openwrt: name === 'router' || name === 'home',
      });
      record.nodes[name] = { pid, netnsInode: netnsInode(pid) ?? 0, netns };
    });
    writeRecord(dir, record);
    for (const n of nodeMap.values()) sh('ip', ['netns', 'attach', n.netns, String(n.pid)]);
    log('nodes up');

    const stationInfo = meta.stations.map((s) => ({
      name: s.name,
      ssid: s.ssid,
      pid: nodeMap.get(s.name)?.pid ?? 0,
      mac: stationMac(id, s.name),
    }));
    for (const name of ['router', 'home'] as const) {
      const m = meta.nodes[name];
      const info: LabNodeInfo = {
        node: name,
        stations: name === 'router' ? stationInfo : [],
        jacksPid: nodeMap.get('jacks')?.pid ?? 0,
        packages: Object.entries(m.packages).map(([n, v]) => ({ name: n, version: v })),
        packageManager: m.packageManager,
        board: m.board,
        udhcpcScript: UDHCPC_SCRIPT,
      };
      writeFileSync(
        join(dir, 'nodes', name, 'run', 'homeward-lab.json'),
        JSON.stringify(info, null, 1),
      );
      const jacks = nodeMap.get('jacks')?.pid;
      const ports = m.ports.filter((p) => p !== 'wan');
      const cmds = ports.map(
        (p) =>
          `ip link add ${p} type veth peer name ${name}-${p} netns ${jacks} && ip link set ${p} up`,
      );
      await lab.execOk(name, cmds.join(' && ') || 'true');
    }

    // the internet: two documentation subnets, DHCP for the router's WAN
    const inetCmds = [
      `ip link add eth-home type veth peer name wan netns ${nodeMap.get('home')?.pid}`,
      `ip link add eth-router type veth peer name wan netns ${nodeMap.get('router')?.pid}`,
      'ip addr add 192.0.2.1/24 dev eth-home',
      'ip addr add 203.0.113.1/24 dev eth-router',
      'ip link set eth-home up',
      'ip link set eth-router up',
    ];
    if (knobs.underlayMtu !== undefined)
      inetCmds.push(`ip link set eth-router mtu ${knobs.underlayMtu}`);
    if (knobs.underlayBlackHole === true) {
      inetCmds.push(
        'ip link set eth-home mtu 1400',
        'iptables -I OUTPUT -p icmp --icmp-type fragmentation-needed -j DROP',
        'iptables -I FORWARD -p icmp --icmp-type fragmentation-needed -j DROP',
      );
    }
    if (knobs.blockWireguardUdp === true)
      inetCmds.push('iptables -I FORWARD -p udp --dport 51820 -j DROP');
    await lab.execOk('inet', inetCmds.join(' && '));
    if (knobs.underlayMtu !== undefined)
      await lab.execOk('router', `ip link set wan mtu ${knobs.underlayMtu}`);
    if (knobs.underlayBlackHole === true) await lab.execOk('home', 'ip link set wan mtu 1400');
    lab.daemon(
      'inet',
      [
        'dnsmasq',
        '--keep-in-foreground',
        '--no-ping',
        '--conf-file=/dev/null',
        '--no-resolv',
        '--port=0',
        '--user=root',
        '--group=root',
        '--bind-interfaces',
        '--interface=eth-router',
        '--dhcp-range=203.0.113.10,203.0.113.60,255.255.255.0,12h',
        '--dhcp-option=3,203.0.113.1',
        '--dhcp-leasefile=/tmp/dnsmasq.leases',
        '--pid-file=/run/dnsmasq.pid',
        '--log-dhcp',
        '--log-facility=-',
      ],
      'dnsmasq',
    );
    log('inet up');

    await applyConfigKnobs(lab, knobs);

    // home first: the responder must listen before the router initiates (first handshake)
    for (const name of ['home', 'router'] as const) {
      const boot = await lab.exec(
        name,
        '/etc/init.d/network start; n=$?; /etc/init.d/firewall start; f=$?; /etc/init.d/dnsmasq start; d=$?; exit $((n + f + d))',
      );
      if (boot.code !== 0) throw new Error(`lab: ${name} boot failed:\n${boot.stderr.trim()}`);
      const passwords = name === 'router' && knobs.rootPassword !== undefined;
      lab.daemon(
        name,
        [
          'dropbear',
          '-F',
          '-E',
          ...(passwords ? [] : ['-s']),
          '-p',
          '22',
          '-r',
          '/etc/dropbear/dropbear_ed25519_host_key',
          '-P',
          '/var/run/dropbear.pid',
        ],
        'dropbear',
      );
      if (name === 'home') lab.daemon('home', ['iperf3', '-s'], 'iperf3');
      lab.setHostKey(
        name,
        hostKeyOf(join(dir, 'nodes', name)).key,
        hostKeyOf(join(dir, 'nodes', name)).fingerprint,
      );
      log(`${name} booted`);
    }
    const wgMtu = (await lab.exec('router', 'cat /sys/class/net/wg0/mtu')).stdout.trim();
    if (/^\d+$/.test(wgMtu)) lab.tunnelMtu = Number(wgMtu);

    // stations associated by wifi ask for a lease, the way a phone would after joining
    const associated: string[] = [];
    for (const s of stationNames) {
      if ((await lab.exec(s, 'ip link show wlan0')).code === 0) associated.push(s);
    }
    const wantTunnel =
      knobs.wireguardPeer !== 'wrong-key' &&
      knobs.wireguardPeer !== 'down' &&
      knobs.blockWireguardUdp !== true;
    const waitHandshake = async (): Promise<void> => {
      if (
        !wantTunnel ||
        (await lab.exec('router', 'test -e /var/run/wireguard/wg0.sock')).code !== 0
      )
        return;
      for (let i = 0; i < 100; i++) {
        if ((await lab.handshakeAge('router')) !== undefined) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('lab: no WireGuard handshake within 10 s');
    };
    // without a tunnel only the laptop's lease can come; do not wait the full DHCP timeout for the rest
    await Promise.all([
      waitHandshake(),
      ...associated.map((s) => lab.stationDhcp(s, wantTunnel || s === 'laptop' ? 6 : 2)),
    ]);
    log('stations have leases');

    if (knobs.homeDhcp === false) await lab.execOk('home', '/etc/init.d/dnsmasq stop');
    if (knobs.wireguardPeer === 'down') {
      const state = JSON.parse(
        readFileSync(join(dir, 'nodes', 'home', 'run', 'lab-netifd.json'), 'utf8'),
      ) as { wireguard: Record<string, number> };
      const pid = state.wireguard['wg0'];
      // wireguard-go leaves on SIGTERM in its own time; until it has, `wg show` still answers.
      if (pid !== undefined)
        await lab.execOk(
          'home',
          `kill ${pid}; i=0; while kill -0 ${pid} 2>/dev/null; do i=$((i+1)); [ $i -gt 200 ] && exit 1; sleep 0.05; done; rm -f /var/run/wireguard/wg0.sock`,
        );
    }
    const impairKnobs: ImpairKnobs = {
      rateMbit: knobs.rateMbit,
      delayMs: knobs.delayMs,
      jitterMs: knobs.jitterMs,
      lossPercent: knobs.lossPercent,
    };
    await lab.impair('router-wan', impairKnobs);
    if (options.persistent === true) liveLabs.delete(lab);
    lab.timings.startMs = Date.now() - t0;
    process.stderr.write(
      `lab ${id} (${scenario}) up in ${(lab.timings.startMs / 1000).toFixed(2)} s\n`,
    );
    return lab;
  } catch (e) {
    await lab.stop().catch(() => lab.destroyNow());
    throw e;
  }
}

export { destroyLab };
