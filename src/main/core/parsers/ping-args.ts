import { assertHostArgument, formatNumber } from './argv-guard';

export type PingOs = 'linux' | 'darwin' | 'win32';

export interface PingOptions {
  host: string;
  count: number;
  /** Seconds between probes; Windows ping has no such option and ignores it. */
  intervalS?: number;
  /** How long to wait for each reply. */
  timeoutS?: number;
  /** ICMP payload size: the IP packet is this + 28 bytes for IPv4, + 48 for IPv6. */
  payloadBytes?: number;
  /** true: set DF (path MTU probe); false: explicitly allow fragmentation; undefined: OS default. */
  dontFragment?: boolean;
  ipv6?: boolean;
}

/** argv including the program name as argv[0] (macOS needs `ping6` for IPv6). */
export function buildPingArgs(os: PingOs, options: PingOptions): string[] {
  const host = assertHostArgument(options.host);
  const count = String(Math.max(1, Math.round(options.count)));
  if (os === 'win32') return buildWindows(options, host, count);
  if (os === 'darwin') return buildDarwin(options, host, count);
  return buildLinux(options, host, count);
}

function buildLinux(options: PingOptions, host: string, count: string): string[] {
  const argv = ['ping', options.ipv6 ? '-6' : '-4', '-n', '-c', count];
  if (options.intervalS !== undefined) argv.push('-i', formatNumber(options.intervalS));
  // Whole seconds: iputils before 2021 rejects a fractional -W.
  if (options.timeoutS !== undefined)
    argv.push('-W', String(Math.max(1, Math.ceil(options.timeoutS))));
  if (options.payloadBytes !== undefined) argv.push('-s', String(Math.round(options.payloadBytes)));
  // iputils defaults to `-M want` (DF on whatever fits), which hides a black hole: be explicit.
  if (options.dontFragment !== undefined) argv.push('-M', options.dontFragment ? 'do' : 'dont');
  argv.push(host);
  return argv;
}

function buildDarwin(options: PingOptions, host: string, count: string): string[] {
  const argv = [options.ipv6 ? 'ping6' : 'ping', '-n', '-c', count];
  if (options.intervalS !== undefined) argv.push('-i', formatNumber(options.intervalS));
  if (options.timeoutS !== undefined) {
    // ping's -W is in milliseconds; ping6 has no per-reply wait option, so none is passed.
    if (!options.ipv6) argv.push('-W', String(Math.max(1, Math.round(options.timeoutS * 1000))));
  }
  if (options.payloadBytes !== undefined) argv.push('-s', String(Math.round(options.payloadBytes)));
  if (options.dontFragment === true) argv.push(options.ipv6 ? '-m' : '-D');
  argv.push(host);
  return argv;
}

function buildWindows(options: PingOptions, host: string, count: string): string[] {
  const argv = ['ping', options.ipv6 ? '-6' : '-4', '-n', count];
  if (options.timeoutS !== undefined)
    argv.push('-w', String(Math.max(1, Math.round(options.timeoutS * 1000))));
  if (options.payloadBytes !== undefined) argv.push('-l', String(Math.round(options.payloadBytes)));
  // -f exists for IPv4 only; IPv6 never fragments in transit anyway.
  if (options.dontFragment === true && !options.ipv6) argv.push('-f');
  argv.push(host);
  return argv;
}
