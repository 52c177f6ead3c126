import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import {
  ConfigError,
  bool,
  int,
  labInfo,
  list,
  loadSections,
  opt,
  readState,
  staticAddresses,
  writeState,
} from './config';
import type { UciSection } from './config';
import {
  CommandError,
  ip,
  ipv4Addrs,
  isAlive,
  linkExists,
  links,
  logLine,
  run,
  runOk,
  sleepMs,
  startDaemon,
} from './sh';

const STATE_PATH = '/var/run/lab-netifd.json';

export type Proto = 'static' | 'dhcp' | 'none' | 'dhcpv6' | 'wireguard' | 'vxlan';
const SUPPORTED_PROTOS: readonly string[] = [
  'static',
  'dhcp',
  'none',
  'dhcpv6',
  'wireguard',
  'vxlan',
];

export interface BridgeSpec {
  name: string;
  ports: string[];
  mtu?: number;
  macaddr?: string;
  empty: boolean;
}

export interface DeviceSettings {
  name: string;
  mtu?: number;
  macaddr?: string;
}

export interface PeerSpec {
  publicKey: string;
  presharedKey?: string;
  endpointHost?: string;
  endpointPort: number;
  allowedIps: string[];
  routeAllowedIps: boolean;
  keepalive?: number;
}

export interface WireguardSpec {
  name: string;
  privateKey: string;
  listenPort?: number;
  addresses: string[];
  mtu: number;
  peers: PeerSpec[];
}

export interface VxlanSpec {
  name: string;
  vid: number;
  port: number;
  remote?: string;
  local?: string;
  tunlink?: string;
  mtu?: number;
  macaddr?: string;
  ttl?: number;
  learning: boolean;
  fdb: string[];
}

export interface L3Spec {
  name: string;
  proto: 'static' | 'dhcp' | 'none' | 'dhcpv6';
  device: string;
  addresses: string[];
  gateway?: string;
  metric: number;
  defaultroute: boolean;
  mtu?: number;
  macaddr?: string;
}

export interface RouteSpec {
  dst: string;
  dev: string;
  via?: string;
  metric?: number;
}

export interface NetworkPlan {
  bridges: BridgeSpec[];
  devices: DeviceSettings[];
  wireguard: WireguardSpec[];
  vxlan: VxlanSpec[];
  l3: L3Spec[];
  routes: RouteSpec[];
  errors: string[];
}

interface NetState {
  bridges: string[];
  vxlan: Record<string, string>;
  wireguard: Record<string, number>;
  dhcp: Record<string, { pid: number; signature: string }>;
  addrs: Record<string, string[]>;
  routes: RouteSpec[];
  endpointRoutes: RouteSpec[];
  up: Record<string, { since: number; device: string; proto: string }>;
}

const EMPTY_STATE: NetState = {
  bridges: [],
  vxlan: {},
  wireguard: {},
  dhcp: {},
  addrs: {},
  routes: [],
  endpointRoutes: [],
  up: {},
};

function mtuOf(s: UciSection): number | undefined {
  const mtu = int(s, 'mtu');
  if (mtu !== undefined && (mtu < 68 || mtu > 65535)) {
    throw new ConfigError(`${s.name}.mtu: ${mtu} is out of range`);
  }
  return mtu;
}

/** Reads /etc/config/network into what the lab's netifd will build. */
export function planNetwork(sections: UciSection[]): NetworkPlan {
  const plan: NetworkPlan = {
    bridges: [],
    devices: [],
    wireguard: [],
    vxlan: [],
    l3: [],
    routes: [],
    errors: [],
  };
  const guard = (what: string, fn: () => void): void => {
    try {
      fn();
    } catch (e) {
      plan.errors.push(`${what}: ${(e as Error).message}`);
    }
  };

  for (const s of sections.filter((x) => x.type === 'device')) {
    guard(`device ${opt(s, 'name') ?? s.name}`, () => {
      const name = opt(s, 'name');
      if (name === undefined) throw new ConfigError("a device section needs option 'name'");
      const type = opt(s, 'type');
      if (type === 'bridge') {
        plan.bridges.push({
          name,
          ports: list(s, 'ports'),
          mtu: mtuOf(s),
          macaddr: opt(s, 'macaddr'),
          empty: bool(s, 'bridge_empty', false),
        });
      } else if (type === undefined) {
        plan.devices.push({ name, mtu: mtuOf(s), macaddr: opt(s, 'macaddr') });
      } else {
        throw new ConfigError(`device type '${type}' is not supported by the lab`);
      }
    });
  }

  const bridgeNames = new Set(plan.bridges.map((b) => b.name));
  for (const s of sections.filter((x) => x.type === 'interface')) {
    guard(`interface ${s.name}`, () => {
      if (bool(s, 'disabled', false) || !bool(s, 'auto', true)) return;
      const proto = opt(s, 'proto') ?? 'none';
      if (!SUPPORTED_PROTOS.includes(proto)) {
        throw new ConfigError(`proto '${proto}' is not supported by the lab`);
      }
      if (opt(s, 'ifname') !== undefined) {
        throw new ConfigError("option 'ifname' (pre-21.02 syntax) is not supported: use 'device'");
      }
      if (opt(s, 'type') !== undefined) {
        throw new ConfigError(
          "option 'type' on an interface is not supported: use a device section",
        );
      }
      if (proto === 'wireguard') {
        const privateKey = opt(s, 'private_key');
        if (privateKey === undefined) throw new ConfigError('wireguard needs private_key');
        const peers: PeerSpec[] = [];
        for (const p of sections.filter((x) => x.type === `wireguard_${s.name}`)) {
          if (bool(p, 'disabled', false)) continue;
          const publicKey = opt(p, 'public_key');
          if (publicKey === undefined) throw new ConfigError(`peer ${p.name} needs public_key`);
          peers.push({
            publicKey,
            presharedKey: opt(p, 'preshared_key'),
            endpointHost: opt(p, 'endpoint_host'),
            endpointPort: int(p, 'endpoint_port') ?? 51820,
            allowedIps: list(p, 'allowed_ips'),
            routeAllowedIps: bool(p, 'route_allowed_ips', false),
            keepalive: int(p, 'persistent_keepalive'),
          });
        }
        plan.wireguard.push({
          name: s.name,
          privateKey,
          listenPort: int(s, 'listen_port'),
          addresses: list(s, 'addresses'),
          mtu: mtuOf(s) ?? 1420,
          peers,
        });
        for (const p of peers.filter((x) => x.routeAllowedIps)) {
          for (const dst of p.allowedIps)
            plan.routes.push({ dst: normalizeCidr(dst), dev: s.name });
        }
        return;
      }
      if (proto === 'vxlan') {
        const vid = int(s, 'vid');
        if (vid === undefined) throw new ConfigError('vxlan needs vid');
        const fdb = sections
          .filter((x) => x.type === 'vxlan_peer' && opt(x, 'vxlan') === s.name)
          .map((x) => {
            const dst = opt(x, 'dst');
            if (dst === undefined) throw new ConfigError(`vxlan_peer ${x.name} needs dst`);
            if (opt(x, 'lladdr') !== undefined) {
              throw new ConfigError(`vxlan_peer ${x.name}: lladdr is not supported by the lab`);
            }
            return dst;
          });
        plan.vxlan.push({
          name: s.name,
          vid,
          port: int(s, 'port') ?? 4789,
          remote: opt(s, 'peeraddr'),
          local: opt(s, 'ipaddr'),
          tunlink: opt(s, 'tunlink'),
          mtu: mtuOf(s),
          macaddr: opt(s, 'macaddr'),
          ttl: int(s, 'ttl'),
          learning: bool(s, 'learning', true),
          fdb,
        });
        return;
      }
      const device = opt(s, 'device');
      if (device === undefined) {
        if (proto === 'none') return;
        throw new ConfigError("needs option 'device'");
      }
      if (device.startsWith('@')) {
        throw new ConfigError(`alias device '${device}' is not supported by the lab`);
      }
      const addresses = proto === 'static' ? staticAddresses(s) : [];
      if (proto === 'static' && addresses.length === 0) {
        throw new ConfigError('proto static needs ipaddr');
      }
      const l3: L3Spec = {
        name: s.name,
        proto: proto as L3Spec['proto'],
        device,
        addresses,
        gateway: opt(s, 'gateway'),
        metric: int(s, 'metric') ?? 0,
        defaultroute: bool(s, 'defaultroute', true),
        mtu: mtuOf(s),
        macaddr: opt(s, 'macaddr'),
      };
      plan.l3.push(l3);
      if (proto === 'static' && l3.gateway !== undefined && l3.gateway !== '0.0.0.0') {
        plan.routes.push({ dst: 'default', dev: device, via: l3.gateway, metric: l3.metric });
      }
      if (bridgeNames.has(device) || device === 'lo') return;
    });
  }

  for (const s of sections.filter((x) => x.type === 'route')) {
    guard(`route ${s.name}`, () => {
      const iface = opt(s, 'interface');
      const target = opt(s, 'target');
      if (iface === undefined || target === undefined) {
        throw new ConfigError('a route needs interface and target');
      }
      const dev = deviceOfInterface(sections, iface);
      if (dev === undefined) throw new ConfigError(`interface '${iface}' has no device`);
      const netmask = opt(s, 'netmask');
      const dst = target.includes('/')
        ? target
        : `${target}/${netmask === undefined ? 32 : maskBits(netmask)}`;
      plan.routes.push({
        dst: normalizeCidr(dst),
        dev,
        via: opt(s, 'gateway'),
        metric: int(s, 'metric'),
      });
    });
  }
  for (const s of sections) {
    if (
      !['interface', 'device', 'route', 'globals', 'vxlan_peer', 'switch', 'switch_vlan'].includes(
        s.type,
      ) &&
      !s.type.startsWith('wireguard_')
    ) {
      plan.errors.push(`section type '${s.type}' (${s.name}) is not supported by the lab`);
    }
  }
  return plan;
}

function maskBits(mask: string): number {
  return mask
    .split('.')
    .map(Number)
    .reduce((acc, o) => acc + (o.toString(2).match(/1/g)?.length ?? 0), 0);
}

export function normalizeCidr(cidr: string): string {
  if (cidr === '0.0.0.0/0') return 'default';
  if (!cidr.includes('/')) return `${cidr}/32`;
  const [addr = '', bits = '32'] = cidr.split('/');
  const prefix = Number(bits);
  const n = addr.split('.').reduce((acc, o) => ((acc << 8) | Number(o)) >>> 0, 0);
  const masked = prefix === 0 ? 0 : (n & ((0xffffffff << (32 - prefix)) >>> 0)) >>> 0;
  if (prefix === 0) return 'default';
  return `${[24, 16, 8, 0].map((sh) => (masked >>> sh) & 255).join('.')}/${prefix}`;
}

/** The Linux device an OpenWrt interface name stands for. */
export function deviceOfInterface(sections: UciSection[], iface: string): string | undefined {
  const s = sections.find((x) => x.type === 'interface' && x.name === iface);
  if (s === undefined) return undefined;
  const proto = opt(s, 'proto');
  if (proto === 'wireguard' || proto === 'vxlan') return s.name;
  return opt(s, 'device');
}

function cidrContains(cidr: string, addr: string): boolean {
  if (cidr === 'default') return true;
  const [net = '', bits = '32'] = cidr.split('/');
  const toN = (a: string): number =>
    a.split('.').reduce((acc, o) => ((acc << 8) | Number(o)) >>> 0, 0);
  const prefix = Number(bits);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return (toN(net) & mask) >>> 0 === (toN(addr) & mask) >>> 0;
}

function routeArgs(r: RouteSpec): string[] {
  const args = [r.dst];
  if (r.via !== undefined) args.push('via', r.via);
  args.push('dev', r.dev, 'proto', 'static');
  if (r.metric !== undefined && r.metric !== 0) args.push('metric', String(r.metric));
  return args;
}

const routeKey = (r: RouteSpec): string => routeArgs(r).join(' ');

function killAndWait(pid: number, gone: () => boolean): void {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let i = 0; i < 200 && (isAlive(pid) || !gone()); i++) sleepMs(10);
  if (isAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

function setLink(dev: string, mtu: number | undefined, macaddr: string | undefined): void {
  const current = links().find((l) => l.ifname === dev);
  if (mtu !== undefined && current?.mtu !== mtu) ip('link', 'set', 'dev', dev, 'mtu', String(mtu));
  if (macaddr !== undefined && current?.address?.toLowerCase() !== macaddr.toLowerCase()) {
    ip('link', 'set', 'dev', dev, 'address', macaddr);
  }
}

function wgSocket(name: string): string {
  return `/var/run/wireguard/${name}.sock`;
}

function udhcpcArgs(l3: L3Spec, script: string): string[] {
  const hostname = readFileSync('/proc/sys/kernel/hostname', 'utf8').trim();
  return [
    'udhcpc',
    '-f',
    '-i',
    l3.device,
    '-p',
    `/var/run/udhcpc-${l3.device}.pid`,
    '-s',
    script,
    '-t',
    '3',
    '-T',
    '1',
    '-A',
    '1',
    '-x',
    `hostname:${hostname}`,
  ];
}

async function resolveHost(host: string): Promise<string> {
  if (isIP(host) === 4) return host;
  const r = await lookup(host, { family: 4 });
  return r.address;
}

function routeTo(addr: string): { dev?: string; gateway?: string } | undefined {
  const r = run('ip', ['-j', 'route', 'get', addr]);
  if (r.code !== 0) return undefined;
  const parsed = JSON.parse(r.stdout) as { dev?: string; gateway?: string }[];
  return parsed[0];
}

export interface ApplyResult {
  errors: string[];
}

export function stopNetwork(): void {
  const state = readState<NetState>(STATE_PATH, EMPTY_STATE);
  for (const [dev, d] of Object.entries(state.dhcp)) {
    killAndWait(d.pid, () => true);
    run('ip', ['-4', 'addr', 'flush', 'dev', dev]);
  }
  for (const r of [...state.routes, ...state.endpointRoutes])
    run('ip', ['route', 'del', ...routeArgs(r)]);
  for (const [dev, addrs] of Object.entries(state.addrs)) {
    for (const a of addrs) run('ip', ['addr', 'del', a, 'dev', dev]);
  }
  for (const name of Object.keys(state.vxlan)) run('ip', ['link', 'del', name]);
  for (const [name, pid] of Object.entries(state.wireguard)) {
    killAndWait(pid, () => !linkExists(name));
  }
  for (const name of state.bridges) run('ip', ['link', 'del', name]);
  writeState(STATE_PATH, EMPTY_STATE);
  logLine('netifd', 'Network stopped');
}

/** Brings the node's links to what /etc/config/network says, changing only what differs. */
export async function applyNetwork(): Promise<ApplyResult> {
  const sections = loadSections('network');
  const plan = planNetwork(sections);
  const errors = [...plan.errors];
  const state = readState<NetState>(STATE_PATH, EMPTY_STATE);
  const info = labInfo();
  const step = (what: string, fn: () => void): void => {
    try {
      fn();
    } catch (e) {
      errors.push(`${what}: ${(e as Error).message}`);
    }
  };
  const next: NetState = { ...EMPTY_STATE, up: {} };

  // 1. take down what is no longer configured
  const wantedWg = new Set(plan.wireguard.map((w) => w.name));
  for (const [name, pid] of Object.entries(state.wireguard)) {
    if (!wantedWg.has(name)) {
      killAndWait(pid, () => !linkExists(name));
      logLine('netifd', `Interface '${name}' is now down`);
    }
  }
  const wantedVx = new Map(plan.vxlan.map((v) => [v.name, v]));
  for (const name of Object.keys(state.vxlan)) {
    if (!wantedVx.has(name)) step(`vxlan ${name}`, () => ip('link', 'del', name));
  }
  const wantedBr = new Set(plan.bridges.map((b) => b.name));
  for (const name of state.bridges) {
    if (!wantedBr.has(name) && linkExists(name))
      step(`bridge ${name}`, () => ip('link', 'del', name));
  }
  const wantedDhcp = new Map(
    plan.l3.filter((l) => l.proto === 'dhcp').map((l) => [l.device, l] as const),
  );
  for (const [dev, d] of Object.entries(state.dhcp)) {
    const l3 = wantedDhcp.get(dev);
    const signature =
      l3 === undefined ? '' : JSON.stringify([udhcpcArgs(l3, info.udhcpcScript), l3.defaultroute]);
    if (l3 === undefined || signature !== d.signature || !isAlive(d.pid)) {
      killAndWait(d.pid, () => true);
      run('ip', ['-4', 'addr', 'flush', 'dev', dev]);
      run('ip', ['route', 'flush', 'dev', dev, 'proto', 'dhcp']);
    } else {
      next.dhcp[dev] = d;
    }
  }

  // 2. plain devices and bridges
  for (const d of plan.devices) {
    step(`device ${d.name}`, () => {
      if (!linkExists(d.name)) throw new ConfigError(`device '${d.name}' does not exist`);
      setLink(d.name, d.mtu, d.macaddr);
    });
  }
  for (const b of plan.bridges) {
    step(`bridge ${b.name}`, () => {
      if (!linkExists(b.name)) {
        ip('link', 'add', b.name, 'type', 'bridge', 'stp_state', '0', 'mcast_snooping', '0');
      }
      const previousMtu = readState<Record<string, number>>('/var/run/lab-bridge-mtu.json', {})[
        b.name
      ];
      setLink(b.name, b.mtu ?? (previousMtu !== undefined ? 1500 : undefined), b.macaddr);
      ip('link', 'set', 'dev', b.name, 'up');
      next.bridges.push(b.name);
    });
  }
  writeState(
    '/var/run/lab-bridge-mtu.json',
    Object.fromEntries(plan.bridges.filter((b) => b.mtu !== undefined).map((b) => [b.name, b.mtu])),
  );

  // 3. L3 interfaces on physical devices and bridges (DHCP first: tunnels depend on the WAN)
  for (const l3 of plan.l3) {
    step(`interface ${l3.name}`, () => {
      if (!linkExists(l3.device)) throw new ConfigError(`device '${l3.device}' does not exist`);
      setLink(l3.device, l3.mtu, l3.macaddr);
      ip('link', 'set', 'dev', l3.device, 'up');
      if (l3.proto === 'static') {
        const have = ipv4Addrs(l3.device);
        for (const a of l3.addresses) {
          if (!have.includes(normalizeHost(a))) ip('addr', 'add', a, 'dev', l3.device);
        }
        const addrs = [...(next.addrs[l3.device] ?? []), ...l3.addresses];
        next.addrs[l3.device] = addrs;
      } else if (l3.proto === 'dhcp' && next.dhcp[l3.device] === undefined) {
        const args = udhcpcArgs(l3, info.udhcpcScript);
        const pid = startDaemon('busybox', args, `udhcpc-${l3.device}`, {
          LAB_DEFAULTROUTE: l3.defaultroute ? '1' : '0',
          LAB_APPLY_MTU: '0',
          LAB_METRIC: String(l3.metric),
        });
        next.dhcp[l3.device] = { pid, signature: JSON.stringify([args, l3.defaultroute]) };
      }
      next.up[l3.name] = {
        since: state.up[l3.name]?.since ?? Date.now(),
        device: l3.device,
        proto: l3.proto,
      };
    });
  }
  for (const [dev, addrs] of Object.entries(state.addrs)) {
    const keep = new Set(next.addrs[dev] ?? []);
    for (const a of addrs) {
      if (!keep.has(a)) run('ip', ['addr', 'del', a, 'dev', dev]);
    }
  }

  // 4. WireGuard: one wireguard-go per interface, configured with wg syncconf
  for (const w of plan.wireguard) {
    try {
      await applyWireguard(w, state, next);
      next.up[w.name] = {
        since: state.up[w.name]?.since ?? Date.now(),
        device: w.name,
        proto: 'wireguard',
      };
    } catch (e) {
      errors.push(`interface ${w.name}: ${(e as Error).message}`);
      if (next.wireguard[w.name] === undefined && state.wireguard[w.name] !== undefined) {
        next.wireguard[w.name] = state.wireguard[w.name] as number;
      }
    }
  }

  // 5. VXLAN over whatever routes reach the peer
  for (const v of plan.vxlan) {
    step(`interface ${v.name}`, () => {
      applyVxlan(v, state, next);
      next.up[v.name] = {
        since: state.up[v.name]?.since ?? Date.now(),
        device: v.name,
        proto: 'vxlan',
      };
    });
  }

  // 6. bridge ports (after the virtual devices exist)
  const wifiPorts = new Set(
    readState<{ ports: string[] }>('/var/run/lab-wifi.json', { ports: [] }).ports,
  );
  const all = links();
  for (const b of plan.bridges) {
    step(`bridge ${b.name}`, () => {
      for (const port of b.ports) {
        const l = all.find((x) => x.ifname === port);
        if (l === undefined) throw new ConfigError(`port '${port}' does not exist`);
        if (l.master !== b.name) ip('link', 'set', 'dev', port, 'master', b.name);
        ip('link', 'set', 'dev', port, 'up');
      }
      for (const l of all.filter((x) => x.master === b.name)) {
        if (!b.ports.includes(l.ifname) && !wifiPorts.has(l.ifname)) {
          ip('link', 'set', 'dev', l.ifname, 'nomaster');
        }
      }
      // a bridge with an explicit MTU keeps it when ports join
      if (b.mtu !== undefined) setLink(b.name, b.mtu, undefined);
    });
  }

  // 7. routes: add what is configured, drop what we added before and is gone
  const wanted = new Map(plan.routes.map((r) => [routeKey(r), r]));
  for (const r of state.routes) {
    if (!wanted.has(routeKey(r))) run('ip', ['route', 'del', ...routeArgs(r)]);
  }
  for (const r of wanted.values()) {
    step(`route ${r.dst}`, () => {
      if (!linkExists(r.dev)) throw new ConfigError(`device '${r.dev}' does not exist`);
      runOk('ip', ['route', 'replace', ...routeArgs(r)]);
      next.routes.push(r);
    });
  }

  writeState(STATE_PATH, next);
  for (const name of Object.keys(next.up)) {
    if (state.up[name] === undefined) logLine('netifd', `Interface '${name}' is now up`);
  }
  return { errors };
}

function normalizeHost(a: string): string {
  return a.includes('/') ? a : `${a}/32`;
}

async function applyWireguard(w: WireguardSpec, state: NetState, next: NetState): Promise<void> {
  let pid = state.wireguard[w.name];
  if (pid === undefined || !isAlive(pid) || !existsSync(wgSocket(w.name))) {
    if (pid !== undefined) killAndWait(pid, () => !linkExists(w.name));
    pid = startDaemon('wireguard-go', ['-f', w.name], `wireguard-go-${w.name}`, {
      LOG_LEVEL: 'verbose',
    });
    for (let i = 0; i < 300 && !existsSync(wgSocket(w.name)); i++) sleepMs(10);
    if (!existsSync(wgSocket(w.name))) throw new CommandError('wireguard-go did not start');
  }
  next.wireguard[w.name] = pid;

  const endpoints: { peer: PeerSpec; addr?: string }[] = [];
  for (const p of w.peers) {
    if (p.endpointHost === undefined) {
      endpoints.push({ peer: p });
      continue;
    }
    endpoints.push({ peer: p, addr: await resolveHost(p.endpointHost) });
  }

  // netifd brings a tunnel up only once its endpoints are reachable (host dependency)
  for (const e of endpoints) {
    if (e.addr === undefined) continue;
    const previous = state.endpointRoutes.find((r) => r.dst === `${e.addr}/32`);
    let path: { dev?: string; gateway?: string } | undefined =
      previous === undefined ? undefined : { dev: previous.dev, gateway: previous.via };
    for (let i = 0; i < 200 && path === undefined; i++) {
      const r = routeTo(e.addr);
      if (r?.dev !== undefined && r.dev !== w.name) path = r;
      else sleepMs(25);
    }
    if (path?.dev === undefined) throw new CommandError(`no route to endpoint ${e.addr}`);
    const covered =
      e.peer.routeAllowedIps &&
      e.peer.allowedIps.some((c) => cidrContains(normalizeCidr(c), e.addr as string));
    if (covered) {
      const r: RouteSpec = { dst: `${e.addr}/32`, dev: path.dev, via: path.gateway };
      runOk('ip', ['route', 'replace', ...routeArgs(r)]);
      next.endpointRoutes.push(r);
    }
  }

  const conf = ['[Interface]', `PrivateKey = ${w.privateKey}`];
  if (w.listenPort !== undefined) conf.push(`ListenPort = ${w.listenPort}`);
  for (const e of endpoints) {
    conf.push('', '[Peer]', `PublicKey = ${e.peer.publicKey}`);
    if (e.peer.presharedKey !== undefined) conf.push(`PresharedKey = ${e.peer.presharedKey}`);
    if (e.addr !== undefined) conf.push(`Endpoint = ${e.addr}:${e.peer.endpointPort}`);
    if (e.peer.allowedIps.length > 0) conf.push(`AllowedIPs = ${e.peer.allowedIps.join(', ')}`);
    if (e.peer.keepalive !== undefined) conf.push(`PersistentKeepalive = ${e.peer.keepalive}`);
  }

  setLink(w.name, w.mtu, undefined);
  const have = ipv4Addrs(w.name);
  for (const a of w.addresses) {
    if (!have.includes(normalizeHost(a))) ip('addr', 'add', a, 'dev', w.name);
  }
  for (const a of have) {
    if (!w.addresses.map(normalizeHost).includes(a)) ip('addr', 'del', a, 'dev', w.name);
  }
  ip('link', 'set', 'dev', w.name, 'up');
  // peers last: the first handshake's packets then find the link up
  const confPath = `/var/run/lab-${w.name}.conf`;
  writeFileSync(confPath, `${conf.join('\n')}\n`, { mode: 0o600 });
  runOk('wg', ['syncconf', w.name, confPath]);
}

function applyVxlan(v: VxlanSpec, state: NetState, next: NetState): void {
  let local = v.local;
  if (local === undefined && v.tunlink !== undefined) {
    const dev = v.tunlink;
    const addr = ipv4Addrs(dev)[0];
    if (addr === undefined) throw new ConfigError(`tunlink '${v.tunlink}' has no IPv4 address`);
    local = addr.split('/')[0];
  }
  const signature = JSON.stringify([v.vid, v.port, v.remote, local, v.tunlink, v.ttl, v.learning]);
  if (linkExists(v.name) && state.vxlan[v.name] !== signature) ip('link', 'del', v.name);
  if (!linkExists(v.name)) {
    const args = [
      'link',
      'add',
      v.name,
      'type',
      'vxlan',
      'id',
      String(v.vid),
      'dstport',
      String(v.port),
    ];
    if (v.remote !== undefined) args.push('remote', v.remote);
    if (local !== undefined) args.push('local', local);
    if (v.tunlink !== undefined) args.push('dev', v.tunlink);
    if (v.ttl !== undefined) args.push('ttl', String(v.ttl));
    if (!v.learning) args.push('nolearning');
    ip(...args);
  }
  next.vxlan[v.name] = signature;
  setLink(v.name, v.mtu, v.macaddr);
  ip('link', 'set', 'dev', v.name, 'up');

  const fdb = JSON.parse(runOk('bridge', ['-j', 'fdb', 'show', 'dev', v.name])) as {
    mac: string;
    dst?: string;
  }[];
  const zero = fdb.filter((e) => e.mac === '00:00:00:00:00:00' && e.dst !== undefined);
  for (const e of zero) {
    if (!v.fdb.includes(e.dst as string) && e.dst !== v.remote) {
      runOk('bridge', ['fdb', 'del', '00:00:00:00:00:00', 'dev', v.name, 'dst', e.dst as string]);
    }
  }
  for (const dst of v.fdb) {
    if (!zero.some((e) => e.dst === dst)) {
      runOk('bridge', ['fdb', 'append', '00:00:00:00:00:00', 'dev', v.name, 'dst', dst]);
    }
  }
}

/** The device an interface runs on, and whether the lab's netifd has it up. */
export function interfaceStatus(name: string): {
  up: boolean;
  since?: number;
  device?: string;
  proto?: string;
} {
  const state = readState<NetState>(STATE_PATH, EMPTY_STATE);
  const s = state.up[name];
  if (s === undefined) return { up: false };
  return { up: linkExists(s.device), since: s.since, device: s.device, proto: s.proto };
}
