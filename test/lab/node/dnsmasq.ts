import { readFileSync } from 'node:fs';
import { ConfigError, bool, int, list, loadSections, opt } from './config';
import { deviceOfInterface } from './netifd';
import { isAlive, logLine, sleepMs, startDaemon } from './sh';

const PID_FILE = '/var/run/dnsmasq.pid';

function ipv4Of(
  network: ReturnType<typeof loadSections>,
  iface: string,
): { addr: string; prefix: number } | undefined {
  const s = network.find((x) => x.type === 'interface' && x.name === iface);
  if (s === undefined) return undefined;
  const first = list(s, 'ipaddr')[0];
  if (first === undefined) return undefined;
  if (first.includes('/')) {
    const [addr = '', p = '32'] = first.split('/');
    return { addr, prefix: Number(p) };
  }
  const mask = opt(s, 'netmask') ?? '255.255.255.0';
  const prefix = mask
    .split('.')
    .reduce((a, o) => a + (Number(o).toString(2).match(/1/g)?.length ?? 0), 0);
  return { addr: first, prefix };
}

function nthHost(addr: string, prefix: number, n: number): string {
  const v = addr.split('.').reduce((acc, o) => ((acc << 8) | Number(o)) >>> 0, 0);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const h = ((v & mask) + n) >>> 0;
  return [24, 16, 8, 0].map((s) => (h >>> s) & 255).join('.');
}

/** The dnsmasq command line OpenWrt's init script would build from /etc/config/dhcp. */
export function dnsmasqArgs(): { args: string[]; errors: string[] } {
  const dhcp = loadSections('dhcp');
  const network = loadSections('network');
  const errors: string[] = [];
  const args = [
    '--keep-in-foreground',
    '--no-ping',
    '--conf-file=/dev/null',
    '--no-resolv',
    '--bind-dynamic',
    '--user=root',
    '--group=root',
    `--pid-file=${PID_FILE}`,
    '--dhcp-leasefile=/tmp/dhcp.leases',
    '--log-dhcp',
    '--log-facility=-',
  ];
  const main = dhcp.find((s) => s.type === 'dnsmasq');
  if (main !== undefined) {
    if (bool(main, 'authoritative', false)) args.push('--dhcp-authoritative');
    const domain = opt(main, 'domain');
    if (domain !== undefined) args.push(`--domain=${domain}`);
  }
  const interfaces: string[] = [];
  for (const s of dhcp.filter((x) => x.type === 'dhcp')) {
    try {
      const iface = opt(s, 'interface') ?? s.name;
      if (bool(s, 'ignore', false)) continue;
      const dev = deviceOfInterface(network, iface);
      const net = ipv4Of(network, iface);
      if (dev === undefined || net === undefined) {
        throw new ConfigError(`interface '${iface}' has no static IPv4 address to serve`);
      }
      const start = int(s, 'start') ?? 100;
      const limit = int(s, 'limit') ?? 150;
      const lease = opt(s, 'leasetime') ?? '12h';
      const mask = [24, 16, 8, 0]
        .map(
          (sh) => ((net.prefix === 0 ? 0 : (0xffffffff << (32 - net.prefix)) >>> 0) >>> sh) & 255,
        )
        .join('.');
      args.push(
        `--dhcp-range=set:${iface},${nthHost(net.addr, net.prefix, start)},${nthHost(net.addr, net.prefix, start + limit - 1)},${mask},${lease}`,
      );
      for (const o of list(s, 'dhcp_option')) args.push(`--dhcp-option=tag:${iface},${o}`);
      for (const o of list(s, 'dhcp_option_force'))
        args.push(`--dhcp-option-force=tag:${iface},${o}`);
      interfaces.push(dev);
    } catch (e) {
      errors.push(`dhcp ${s.name}: ${(e as Error).message}`);
    }
  }
  for (const s of dhcp.filter((x) => x.type === 'host')) {
    const mac = opt(s, 'mac');
    const ip = opt(s, 'ip');
    if (mac !== undefined && ip !== undefined) args.push(`--dhcp-host=${mac},${ip}`);
  }
  if (interfaces.length === 0) args.push('--port=0', '--interface=lo');
  for (const i of interfaces) args.push(`--interface=${i}`);
  return { args, errors };
}

function runningPid(): number | undefined {
  try {
    const pid = Number(readFileSync(PID_FILE, 'utf8').trim());
    return pid > 0 && isAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function stopDnsmasq(): void {
  const pid = runningPid();
  if (pid === undefined) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 200 && isAlive(pid); i++) sleepMs(10);
  logLine('dnsmasq', 'exiting on receipt of SIGTERM');
}

export function startDnsmasq(): { errors: string[] } {
  const { args, errors } = dnsmasqArgs();
  stopDnsmasq();
  startDaemon('dnsmasq', args, 'dnsmasq');
  for (let i = 0; i < 200 && runningPid() === undefined; i++) sleepMs(10);
  if (runningPid() === undefined) errors.push('dnsmasq did not start (see /tmp/log/dnsmasq.log)');
  return { errors };
}
