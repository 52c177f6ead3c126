import { parseArgs } from 'node:util';
import type { DoctorRequest } from '../../shared/doctor';
import { UsageError } from '../output';

export interface DoctorCliOptions {
  request: DoctorRequest;
  json: boolean;
}

function positiveNumber(
  flag: string,
  value: string | undefined,
  fallback: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > max) {
    throw new UsageError(`${flag} must be a number above 0 and at most ${max}, got "${value}"`);
  }
  return n;
}

function port(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw new UsageError(`${flag} must be a port number from 1 to 65535, got "${value}"`);
  }
  return n;
}

function host(flag: string, value: string): string {
  const trimmed = value.trim();
  if (!trimmed || /[\s/\\'"`$;|&<>]/.test(trimmed) || trimmed.startsWith('-')) {
    throw new UsageError(`${flag} must be a host name or IP address, got "${value}"`);
  }
  return trimmed;
}

/** HOST[:PORT], with [v6]:PORT for IPv6. */
function hostPort(
  flag: string,
  value: string,
  defaultPort: number,
): { host: string; port: number } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
  if (v6) return { host: host(flag, v6[1] ?? ''), port: port(flag, v6[2], defaultPort) };
  const parts = value.split(':');
  if (parts.length === 2)
    return { host: host(flag, parts[0] ?? ''), port: port(flag, parts[1], defaultPort) };
  return { host: host(flag, value), port: defaultPort };
}

export function parseDoctorArgs(args: string[]): DoctorCliOptions | 'help' {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      router: { type: 'string' },
      port: { type: 'string' },
      user: { type: 'string' },
      identity: { type: 'string' },
      'known-hosts': { type: 'string' },
      'accept-new-host-key': { type: 'boolean' },
      home: { type: 'string' },
      'home-port': { type: 'string' },
      'home-user': { type: 'string' },
      'home-identity': { type: 'string' },
      'home-iperf': { type: 'string' },
      'target-mbps': { type: 'string' },
      duration: { type: 'string' },
      'packet-bytes': { type: 'string' },
      quick: { type: 'boolean' },
      json: { type: 'boolean' },
      'no-history': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (!values.router)
    throw new UsageError(
      "--router HOST is required (the travel router's address, e.g. 192.168.8.1)",
    );
  if (values['home-identity'] && !values.home)
    throw new UsageError('--home-identity needs --home HOST');
  const request: DoctorRequest = {
    router: {
      host: host('--router', values.router),
      port: port('--port', values.port, 22),
      user: values.user ?? 'root',
      ...(values.identity ? { identityFile: values.identity } : {}),
      ...(values['known-hosts'] ? { knownHostsFile: values['known-hosts'] } : {}),
      acceptNewHostKey: values['accept-new-host-key'] ?? false,
    },
    ...(values.home
      ? {
          home: {
            host: host('--home', values.home),
            port: port('--home-port', values['home-port'], 22),
            user: values['home-user'] ?? 'root',
            ...(values['home-identity'] ? { identityFile: values['home-identity'] } : {}),
          },
        }
      : {}),
    ...(values['home-iperf']
      ? { homeIperf: hostPort('--home-iperf', values['home-iperf'], 5201) }
      : {}),
    targetMbps: positiveNumber('--target-mbps', values['target-mbps'], 100, 10_000),
    durationS: positiveNumber('--duration', values.duration, 5, 300),
    packetBytes: Math.round(positiveNumber('--packet-bytes', values['packet-bytes'], 1200, 9000)),
    quick: values.quick ?? false,
    saveHistory: !(values['no-history'] ?? false),
  };
  return { request, json: values.json ?? false };
}

export const doctorUsage = `Usage: homeward doctor --router HOST [options]

Checks the path for VR streaming, segment by segment, and says what to fix.

  --router HOST              the travel router (SSH)
  --port N                   its SSH port (22)
  --user NAME                SSH user (root)
  --identity FILE            private key file (else the SSH agent)
  --known-hosts FILE         pinned host keys (default: Homeward's own store)
  --accept-new-host-key      pin the router's key on first use
  --home HOST                SSH access to the home router, to start iperf3 there
  --home-identity FILE       its private key
  --home-iperf HOST[:PORT]   an iperf3 server at home (default: the WireGuard peer's tunnel address:5201)
  --target-mbps N            the VR bitrate to check against (100)
  --duration S               seconds per throughput test (5)
  --packet-bytes N           the streamer's UDP packet size (1200)
  --quick                    skip the throughput, UDP and loaded-latency tests
  --json                     one JSON object (schema homeward.doctor/1)
  --no-history               do not store this run

Exit code: 0 VR-ready, 1 not VR-ready, 2 usage or connection error.`;
