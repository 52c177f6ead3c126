// ubus on a lab node: the few objects Homeward reads, in the shape OpenWrt's daemons return.
import { readFileSync } from 'node:fs';
import { release } from 'node:os';
import { labInfo, loadSections, opt } from '../node/config';
import { interfaceStatus } from '../node/netifd';
import { exitQuietlyOnEpipe, run } from '../node/sh';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function osRelease(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync('/etc/openwrt_release', 'utf8').split('\n')) {
    const m = /^(\w+)=['"]?(.*?)['"]?$/.exec(line);
    if (m?.[1] !== undefined) out[m[1]] = m[2] ?? '';
  }
  return out;
}

function board(): Json {
  const info = labInfo();
  const r = osRelease();
  return {
    kernel: info.board.kernel ?? release(),
    hostname: readFileSync('/proc/sys/kernel/hostname', 'utf8').trim(),
    system: info.board.system ?? 'lab',
    model: info.board.model,
    board_name: info.board.boardName,
    rootfs_type: 'squashfs',
    release: {
      distribution: r['DISTRIB_ID'] ?? 'OpenWrt',
      version: r['DISTRIB_RELEASE'] ?? '',
      revision: r['DISTRIB_REVISION'] ?? '',
      target: r['DISTRIB_TARGET'] ?? info.board.target,
      description: r['DISTRIB_DESCRIPTION'] ?? '',
    },
  };
}

interface RouteJson {
  dst: string;
  gateway?: string;
  dev: string;
  protocol?: string;
  metric?: number;
  prefsrc?: string;
}

function ifaceStatus(name: string): Json | undefined {
  const section = loadSections('network').find((s) => s.type === 'interface' && s.name === name);
  if (section === undefined) return undefined;
  const st = interfaceStatus(name);
  const proto = opt(section, 'proto') ?? 'none';
  const dev = st.device;
  const addrs: Json[] = [];
  const routes: Json[] = [];
  if (st.up && dev !== undefined) {
    const a = JSON.parse(run('ip', ['-j', '-4', 'addr', 'show', 'dev', dev]).stdout || '[]') as {
      addr_info: { local: string; prefixlen: number }[];
    }[];
    for (const x of a[0]?.addr_info ?? []) addrs.push({ address: x.local, mask: x.prefixlen });
    const rs = JSON.parse(
      run('ip', ['-j', '-4', 'route', 'show', 'dev', dev]).stdout || '[]',
    ) as RouteJson[];
    for (const r of rs.filter((x) => x.protocol === 'static' || x.protocol === 'dhcp')) {
      const [target = '', mask = '0'] =
        r.dst === 'default'
          ? ['0.0.0.0', '0']
          : r.dst.includes('/')
            ? r.dst.split('/')
            : [r.dst, '32'];
      routes.push({
        target,
        mask: Number(mask),
        nexthop: r.gateway ?? '0.0.0.0',
        source: '0.0.0.0/0',
      });
    }
  }
  const uptime = st.since === undefined ? 0 : Math.floor((Date.now() - st.since) / 1000);
  const out: Record<string, Json> = {
    up: st.up,
    pending: false,
    available: true,
    autostart: opt(section, 'auto') !== '0',
    dynamic: false,
  };
  if (st.up) out['uptime'] = uptime;
  if (st.up && dev !== undefined) out['l3_device'] = dev;
  out['proto'] = proto;
  if (proto !== 'wireguard' && proto !== 'vxlan' && opt(section, 'device') !== undefined) {
    out['device'] = opt(section, 'device') as string;
  }
  Object.assign(out, {
    updated: ['addresses', 'routes'],
    metric: Number(opt(section, 'metric') ?? 0),
    dns_metric: 0,
    delegation: true,
    'ipv4-address': addrs,
    'ipv6-address': [],
    'ipv6-prefix': [],
    'ipv6-prefix-assignment': [],
    route: routes,
    'dns-server': [],
    'dns-search': [],
    neighbors: [],
    inactive: {
      'ipv4-address': [],
      'ipv6-address': [],
      route: [],
      'dns-server': [],
      'dns-search': [],
      neighbors: [],
    },
    data: {},
  });
  return out;
}

/** ubus prints JSON with tab indentation. */
function print(value: Json): void {
  process.stdout.write(`${JSON.stringify(value, null, '\t')}\n`);
}

function main(argv: string[]): number {
  const args = argv.filter((a, i) => !(a === '-t' || argv[i - 1] === '-t' || a === '-S'));
  const [cmd, path, method] = args;
  const interfaces = loadSections('network')
    .filter((s) => s.type === 'interface')
    .map((s) => s.name);
  if (cmd === 'list') {
    const objects = [
      'network',
      'network.device',
      'network.interface',
      ...interfaces.map((i) => `network.interface.${i}`),
      'system',
    ];
    for (const o of objects.filter(
      (x) =>
        path === undefined || x === path || (path.endsWith('*') && x.startsWith(path.slice(0, -1))),
    )) {
      process.stdout.write(`${o}\n`);
    }
    return 0;
  }
  if (cmd !== 'call' || path === undefined || method === undefined) {
    process.stderr.write('Usage: ubus [<options>] <command> [arguments...]\n');
    return 1;
  }
  if (path === 'system' && method === 'board') {
    print(board());
    return 0;
  }
  if (path === 'system' && method === 'info') {
    const up = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    print({ localtime: Math.floor(Date.now() / 1000), uptime: Math.floor(up), load: [0, 0, 0] });
    return 0;
  }
  if (path === 'network.interface' && method === 'dump') {
    print({
      interface: interfaces.map((i) => ({
        interface: i,
        ...(ifaceStatus(i) as Record<string, Json>),
      })),
    });
    return 0;
  }
  const m = /^network\.interface\.(.+)$/.exec(path);
  if (m?.[1] !== undefined && method === 'status') {
    const st = ifaceStatus(m[1]);
    if (st !== undefined) {
      print(st);
      return 0;
    }
  }
  process.stderr.write('Command failed: Not found\n');
  return 4;
}

exitQuietlyOnEpipe();
process.exitCode = main(process.argv.slice(2));
