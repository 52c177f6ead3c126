import type {
  DhcpDiscoverFacts,
  RouterReachFacts,
  RouterStationFacts,
  NotMeasured,
  WireguardFacts,
} from '../../core/doctor/facts';
import { parseOpenwrtRelease } from '../../core/parsers/parse-openwrt-release';
import { parseApkList, parseOpkgList } from '../../core/parsers/parse-package-list';
import { parseProcStat } from '../../core/parsers/parse-proc-stat';
import type { ProcStatResult } from '../../core/parsers/parse-proc-stat';
import { parseUbusSystemBoard } from '../../core/parsers/parse-ubus-board';
import { parseWgDump } from '../../core/parsers/parse-wg-dump';
import { parseIwinfo } from '../../core/parsers/parse-iwinfo';
import { shQuote } from '../../core/shell/quote';
import type { UciConfig } from '../../core/uci/model';
import { execSections } from './remote';
import type { RemoteShell } from './remote';
import { parseExport, routerLayout } from './router-config';
import type { RouterLayout } from './router-config';

export interface RouterBasics {
  reach: RouterReachFacts;
  network?: UciConfig;
  wireless?: UciConfig;
  layout: RouterLayout;
}

export async function readRouterBasics(
  shell: RemoteShell,
  signal?: AbortSignal,
): Promise<RouterBasics> {
  const sections = await execSections(
    shell,
    [
      'ubus call system board',
      'cat /etc/openwrt_release',
      'if command -v apk >/dev/null 2>&1; then echo apk; apk list --installed; else echo opkg; opkg list-installed; fi',
      'uci export network',
      'uci export wireless',
      'cat /proc/sys/kernel/hostname',
    ],
    { ...(signal ? { signal } : {}) },
  );
  if (!sections)
    return {
      reach: { kind: 'unreachable', message: 'The router did not answer commands over SSH.' },
      layout: {},
    };
  const [
    boardText = '',
    releaseText = '',
    packagesText = '',
    networkText,
    wirelessText,
    hostnameText = '',
  ] = sections;
  const board = parseUbusSystemBoard(boardText);
  const release = parseOpenwrtRelease(releaseText);
  const [managerLine = '', ...packageLines] = packagesText.split('\n');
  const packageManager = managerLine.trim() === 'apk' ? 'apk' : 'opkg';
  const packages = (
    packageManager === 'apk'
      ? parseApkList(packageLines.join('\n'))
      : parseOpkgList(packageLines.join('\n'))
  ).map((p) => p.name);
  const network = parseExport(networkText);
  const wireless = parseExport(wirelessText);
  const hostname =
    (board.kind === 'ok' ? board.hostname : undefined) ?? (hostnameText.trim() || undefined);
  const releaseName =
    (board.kind === 'ok' ? board.release.description : undefined) ??
    (release.kind === 'ok' ? release.description : undefined);
  return {
    reach: {
      kind: 'reached',
      ...(hostname ? { hostname } : {}),
      ...(board.kind === 'ok' && board.model ? { model: board.model } : {}),
      ...(board.kind === 'ok' && board.boardName ? { board: board.boardName } : {}),
      ...(board.kind === 'ok' && board.system ? { system: board.system } : {}),
      ...(releaseName ? { release: releaseName } : {}),
      packageManager,
      ...(packagesText.trim() ? { packages } : {}),
    },
    ...(network ? { network } : {}),
    ...(wireless ? { wireless } : {}),
    layout: routerLayout(network),
  };
}

export async function readWireguard(
  shell: RemoteShell,
  layout: RouterLayout,
  signal?: AbortSignal,
): Promise<WireguardFacts> {
  let tunnelPing: { target: string; answered: boolean; rttMs?: number } | undefined;
  if (layout.homeTunnelAddress) {
    const ping = await shell.exec(`ping -c 2 -W 1 ${shQuote(layout.homeTunnelAddress)}`, {
      timeoutMs: 6000,
      ...(signal ? { signal } : {}),
    });
    const rtt = /time[=<]([\d.]+)\s*ms/.exec(ping.stdout)?.[1];
    tunnelPing = {
      target: layout.homeTunnelAddress,
      answered: ping.code === 0,
      ...(rtt ? { rttMs: Number(rtt) } : {}),
    };
  }
  const sections = await execSections(shell, ['wg show all dump', 'date +%s'], {
    ...(signal ? { signal } : {}),
  });
  if (!sections) return { kind: 'error', message: 'Could not read the WireGuard state.' };
  const [dumpText = '', nowText = ''] = sections;
  if (!dumpText.trim())
    return {
      kind: 'error',
      message: 'No WireGuard interface is up on the router (wg show printed nothing).',
    };
  const dump = parseWgDump(dumpText);
  if (dump.kind === 'error') return { kind: 'error', message: dump.message };
  const wanted = layout.wgInterface;
  const iface = dump.interfaces.find((i) => i.name === wanted) ?? dump.interfaces[0];
  if (!iface) return { kind: 'error', message: 'No WireGuard interface found.' };
  const nowUnixS = Number(nowText.trim());
  return {
    kind: 'measured',
    interfaceName: iface.name,
    nowUnixS: Number.isFinite(nowUnixS) ? nowUnixS : Math.floor(Date.now() / 1000),
    peers: iface.peers.map((p) => ({
      publicKey: p.publicKey,
      ...(p.endpoint ? { endpoint: p.endpoint } : {}),
      latestHandshakeUnixS: p.latestHandshakeS ?? 0,
      rxBytes: p.rxBytes,
      txBytes: p.txBytes,
      ...(p.keepaliveS !== undefined ? { keepaliveS: p.keepaliveS } : {}),
      allowedIps: p.allowedIps,
    })),
    ...(tunnelPing ? { tunnelPing } : {}),
  };
}

const udhcpcScript = `#!/bin/sh
case "$1" in bound|renew) echo "HOMEWARD_LEASE ip=$ip serverid=$serverid mtu=$mtu subnet=$subnet" ;; esac
exit 0
`;

/** An active DHCP discover through the L2 bridge, answered by home's server across VXLAN. */
export async function discoverL2Dhcp(
  shell: RemoteShell,
  bridge: string,
  signal?: AbortSignal,
): Promise<DhcpDiscoverFacts & { subnet?: string }> {
  const script = '/tmp/homeward-udhcpc.sh';
  const written = await shell.writeFile(script, udhcpcScript, 0o755, {
    ...(signal ? { signal } : {}),
  });
  if (!written.ok)
    return {
      kind: 'error',
      message: `Could not write the DHCP probe script: ${written.error.message}`,
    };
  const result = await shell.exec(
    `udhcpc -f -q -n -i ${shQuote(bridge)} -t 3 -T 2 -A 1 -O mtu -s ${script}; rm -f ${script}`,
    { timeoutMs: 15_000, ...(signal ? { signal } : {}) },
  );
  if (result.cancelled) return { kind: 'error', message: 'cancelled' };
  const lease = /HOMEWARD_LEASE ip=(\S*) serverid=(\S*) mtu=(\S*) subnet=(\S*)/.exec(result.stdout);
  if (lease?.[1]) {
    const mtu = Number(lease[3]);
    return {
      kind: 'offer',
      address: lease[1],
      ...(lease[2] ? { server: lease[2] } : {}),
      ...(Number.isInteger(mtu) && mtu > 0 ? { mtuOption: mtu } : {}),
      ...(lease[4] ? { subnet: lease[4] } : {}),
    };
  }
  if (result.code === 127)
    return { kind: 'skipped', reason: 'udhcpc is not available on the router.' };
  return {
    kind: 'no-offer',
    reason: 'timeout',
    message: (result.stderr || result.stdout).trim().split('\n').pop() ?? '',
  };
}

export async function readProcStat(
  shell: RemoteShell,
  signal?: AbortSignal,
): Promise<ProcStatResult | undefined> {
  const result = await shell.exec('cat /proc/stat', {
    timeoutMs: 5000,
    ...(signal ? { signal } : {}),
  });
  if (result.code !== 0) return undefined;
  return parseProcStat(result.stdout);
}

export async function readRouterWifi(
  shell: RemoteShell,
  wireless: UciConfig | undefined,
  signal?: AbortSignal,
): Promise<RouterStationFacts | NotMeasured> {
  const result = await shell.exec('iwinfo', { timeoutMs: 8000, ...(signal ? { signal } : {}) });
  if (result.code === 127 || /not found/.test(result.stderr)) {
    return { kind: 'skipped', reason: 'The router has no iwinfo (no radio to inspect).' };
  }
  const parsedAll = parseIwinfo(result.stdout);
  const all = parsedAll.kind === 'ok' ? parsedAll.interfaces : [];
  const aps = all.filter((i) => !i.mode || /master|ap/i.test(i.mode));
  const blocks = aps.length > 0 ? aps : all;
  for (const parsed of blocks) {
    const radio = wireless?.sections.find(
      (s) => s.type === 'wifi-device' && parsed.phy?.includes(s.name?.replace('radio', '') ?? '-'),
    )?.name;
    if (parsed.band !== '5GHz' && blocks.length > 1) continue;
    return {
      kind: 'measured',
      ...(radio ? { radio } : {}),
      ...(parsed.htMode ? { htmode: parsed.htMode } : {}),
      ...(parsed.band
        ? { band: parsed.band === '2.4GHz' ? '2.4' : parsed.band === '5GHz' ? '5' : '6' }
        : {}),
      ...(parsed.frequencyMhz !== undefined ? { frequencyMhz: parsed.frequencyMhz } : {}),
      ...(parsed.widthMhz !== undefined ? { widthMhz: parsed.widthMhz } : {}),
      ...(parsed.signalDbm !== undefined ? { signalDbm: parsed.signalDbm } : {}),
      ...(parsed.noiseDbm !== undefined ? { noiseDbm: parsed.noiseDbm } : {}),
      ...(parsed.bitRateMbps !== undefined ? { bitrateMbps: parsed.bitRateMbps } : {}),
    };
  }
  return { kind: 'skipped', reason: 'iwinfo reported no wireless interface.' };
}

/** The MTU an interface on the router has right now (sysfs), if it exists. */
export async function readInterfaceMtu(
  shell: RemoteShell,
  name: string,
  signal?: AbortSignal,
): Promise<number | undefined> {
  const result = await shell.exec(`cat /sys/class/net/${shQuote(name)}/mtu`, {
    timeoutMs: 5000,
    ...(signal ? { signal } : {}),
  });
  const mtu = Number(result.stdout.trim());
  return result.code === 0 && Number.isInteger(mtu) && mtu > 0 ? mtu : undefined;
}
