import { parseArgs } from 'node:util';
import { formatAge, routerSchema } from '../../shared/router';
import type {
  BridgeStatus,
  RouterList,
  RouterStatus,
  RouterStatusRequest,
  TunnelStatus,
} from '../../shared/router';
import type { Result } from '../../shared/result';
import type { Output } from '../output';
import { printError, UsageError } from '../output';

export const routerUsage = `Usage:
  homeward router list [--json]
      The routers Homeward has reached (sign-in, setup, doctor), most recent first
  homeward router status [--host HOST] [--port N] [--user NAME] [--identity FILE]
                         [--known-hosts FILE] [--json]
      One SSH connection with the pinned host key: name, model, release, key sign-in,
      the WireGuard tunnel (handshake age, peer, bytes) and the L2 bridge (br-lan2, vxlan0).
      Default: the most recently seen remembered router; --host picks another
      (its remembered port, user and key unless given).

Exit status (status): 0 tunnel connected and the bridge up (or not set up), 1 signed out,
tunnel without a recent handshake or bridge down, 2 usage or connection error.`;

export interface RouterCliDeps {
  output: Output;
  list(): Promise<Result<RouterList>>;
  status(request: RouterStatusRequest): Promise<Result<RouterStatus>>;
}

const options = {
  json: { type: 'boolean' },
  host: { type: 'string' },
  port: { type: 'string' },
  user: { type: 'string' },
  identity: { type: 'string' },
  'known-hosts': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function port(value: string): number {
  const n = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw new UsageError(`--port must be a port number from 1 to 65535, got "${value}"`);
  return n;
}

function host(value: string): string {
  const trimmed = value.trim();
  if (!trimmed || /[\s/\\'"`$;|&<>]/.test(trimmed) || trimmed.startsWith('-'))
    throw new UsageError(`--host must be a host name or IP address, got "${value}"`);
  return trimmed;
}

function bytes(n: number | undefined): string {
  if (n === undefined) return '-';
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = n / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

export function ageText(seconds: number): string {
  return formatAge(seconds)
    .map((part) => `${part.value} ${part.unit}`)
    .join(' ');
}

function tunnelLine(t: TunnelStatus): string {
  const peer = t.peerEndpoint ? ` with ${t.peerEndpoint}` : '';
  const traffic =
    t.rxBytes !== undefined ? ` (rx ${bytes(t.rxBytes)}, tx ${bytes(t.txBytes)})` : '';
  switch (t.state) {
    case 'connected':
      return `${t.interfaceName} connected: handshake ${ageText(t.handshakeAgeS ?? 0)} ago${peer}${traffic}`;
    case 'stale':
      return `${t.interfaceName} NO RECENT HANDSHAKE: the last was ${ageText(t.handshakeAgeS ?? 0)} ago${peer}${traffic}`;
    case 'never':
      return `${t.interfaceName} NO HANDSHAKE since it came up${peer}${traffic}`;
    case 'down':
      return `${t.interfaceName} is DOWN`;
    case 'absent':
      return `${t.interfaceName} does not exist (no WireGuard tunnel set up)`;
  }
}

function bridgeLine(b: BridgeStatus): string {
  const members = b.memberPorts.length > 0 ? b.memberPorts.join(', ') : 'no ports';
  const address = b.address ? `; address ${b.address}` : '';
  switch (b.state) {
    case 'up':
      return `${b.bridge.name} up: ${members}${address}`;
    case 'down':
      return `${b.bridge.name} DOWN (${b.bridge.name} ${b.bridge.up ? 'up' : 'down'}, ${b.vxlan.name} ${b.vxlan.up ? 'up' : 'down'}): ${members}${address}`;
    case 'absent':
      return `not set up (no ${b.bridge.present ? b.vxlan.name : b.bridge.name})`;
  }
}

export function formatStatus(s: RouterStatus): string {
  const name = s.hostname ?? s.host;
  const lines = [
    `Router ${name}${s.model ? ` (${s.model})` : ''}${s.release ? `, ${s.release}` : ''}`,
    `  Address    ${s.host}${s.port === 22 ? '' : `:${s.port}`} as ${s.user}, ${s.signedIn ? 'signed in with a key' : 'NOT signed in'}`,
  ];
  if (s.hostKeyFingerprint) lines.push(`  Host key   ${s.hostKeyFingerprint}`);
  if (!s.signedIn && s.signInProblem)
    lines.push(
      `  Sign-in    ${s.signInProblem.message}${s.signInProblem.fix ? ` (${s.signInProblem.fix})` : ''}`,
    );
  if (s.tunnel) lines.push(`  Tunnel     ${tunnelLine(s.tunnel)}`);
  if (s.bridge) lines.push(`  L2 bridge  ${bridgeLine(s.bridge)}`);
  return lines.join('\n');
}

export function formatRouterList(list: RouterList): string {
  if (list.routers.length === 0)
    return 'No router remembered yet; "homeward setup sign-in", "homeward setup apply" or "homeward doctor" adds one.';
  const header = ['Host', 'Port', 'User', 'Name', 'Model', 'Release', 'Last seen (UTC)', 'By'];
  const rows = list.routers.map((r) => [
    r.host,
    String(r.port),
    r.user,
    r.label ?? r.hostname ?? '-',
    r.model ?? '-',
    r.release ?? '-',
    r.lastSeen.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ''),
    r.seenBy,
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** 0: all well; 1: the router answered but something needs attention. */
export function statusExitCode(s: RouterStatus): 0 | 1 {
  if (!s.signedIn) return 1;
  if (s.tunnel?.state !== 'connected') return 1;
  return s.bridge?.state === 'down' ? 1 : 0;
}

export async function runRouterCommand(args: string[], deps: RouterCliDeps): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options,
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    deps.output.out(routerUsage);
    return 0;
  }
  const [sub, ...extra] = positionals;
  if (sub !== 'list' && sub !== 'status')
    throw new UsageError(
      sub === undefined
        ? 'router needs list or status; see "homeward router --help"'
        : `unknown router command "${sub}"; use list or status`,
    );
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const json = values.json ?? false;
  if (sub === 'list') {
    const misplaced = (['host', 'port', 'user', 'identity', 'known-hosts'] as const).find(
      (flag) => values[flag] !== undefined,
    );
    if (misplaced) throw new UsageError(`--${misplaced} applies to "router status" only`);
    const listed = await deps.list();
    if (!listed.ok) {
      printError(deps.output, json, routerSchema, listed.error);
      return 2;
    }
    if (!json)
      for (const notice of listed.value.notices) deps.output.err(`homeward: note: ${notice}`);
    deps.output.out(json ? JSON.stringify(listed.value, null, 2) : formatRouterList(listed.value));
    return 0;
  }
  if (values.host === undefined && (values.port ?? values.user ?? values.identity) !== undefined)
    throw new UsageError('--port, --user and --identity need --host');
  const request: RouterStatusRequest = {
    ...(values.host !== undefined ? { host: host(values.host) } : {}),
    ...(values.port !== undefined ? { port: port(values.port) } : {}),
    ...(values.user !== undefined ? { user: values.user } : {}),
    ...(values.identity !== undefined ? { identityFile: values.identity } : {}),
    ...(values['known-hosts'] !== undefined ? { knownHostsFile: values['known-hosts'] } : {}),
  };
  const status = await deps.status(request);
  if (!status.ok) {
    printError(deps.output, json, routerSchema, status.error);
    return 2;
  }
  deps.output.out(json ? JSON.stringify(status.value, null, 2) : formatStatus(status.value));
  return statusExitCode(status.value);
}
