import { assertHostArgument, formatNumber } from './argv-guard';

export interface IperfOptions {
  host: string;
  port?: number;
  durationS: number;
  /** -R: the server sends (home -> travel router is the VR direction). */
  reverse?: boolean;
  bidir?: boolean;
  udp?: boolean;
  bitrateMbps?: number;
  /** -l: UDP datagram payload or TCP write size. */
  lengthBytes?: number;
  json?: boolean;
  /** --json-stream exists from iperf3 3.17 on. */
  jsonStream?: boolean;
  /** Live per-second text lines on 3.12, which buffers its output otherwise. */
  forceflush?: boolean;
  /** -C, e.g. 'cubic': a 3.12 server keeps the previous test's algorithm unless told. */
  congestion?: string;
  omitS?: number;
  intervalS?: number;
  connectTimeoutMs?: number;
}

/** argv including the program name as argv[0]. */
export function buildIperfArgs(options: IperfOptions): string[] {
  const argv = ['iperf3', '-c', assertHostArgument(options.host)];
  if (options.port !== undefined) argv.push('-p', String(Math.round(options.port)));
  argv.push('-t', formatNumber(options.durationS));
  if (options.intervalS !== undefined) argv.push('-i', formatNumber(options.intervalS));
  if (options.omitS !== undefined && options.omitS > 0)
    argv.push('-O', formatNumber(options.omitS));
  if (options.udp) argv.push('-u');
  if (options.bitrateMbps !== undefined) argv.push('-b', `${formatNumber(options.bitrateMbps)}M`);
  if (options.lengthBytes !== undefined) argv.push('-l', String(Math.round(options.lengthBytes)));
  if (options.reverse) argv.push('-R');
  if (options.bidir) argv.push('--bidir');
  // -C is a TCP option.
  if (options.congestion !== undefined && !options.udp) {
    if (!/^[a-z0-9_]+$/i.test(options.congestion)) {
      throw new TypeError(`not a congestion control name: ${JSON.stringify(options.congestion)}`);
    }
    argv.push('-C', options.congestion);
  }
  if (options.connectTimeoutMs !== undefined) {
    argv.push('--connect-timeout', String(Math.round(options.connectTimeoutMs)));
  }
  if (options.jsonStream) argv.push('--json-stream');
  else if (options.json) argv.push('-J');
  if (options.forceflush) argv.push('--forceflush');
  return argv;
}
