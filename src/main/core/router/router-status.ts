import type { BridgeStatus, TunnelStatus } from '../../../shared/router';
import { staleHandshakeS } from '../../../shared/router';
import { parseIpJson } from '../parsers/parse-ip-json';
import type { IpLink } from '../parsers/parse-ip-json';
import { parseOpenwrtRelease } from '../parsers/parse-openwrt-release';
import { parseUbusSystemBoard } from '../parsers/parse-ubus-board';
import { handshakeAgeS, parseWgDump } from '../parsers/parse-wg-dump';
import { parseSysfsLinks, sysfsLinksCommand } from './parse-sysfs-links';

// The router card's reading of one SSH round trip: who the router is, the tunnel, the bridge.
// Interface names come from the router's own config (the service reads it), else the seed's.

export interface RouterNames {
  wgInterface: string;
  l2Bridge: string;
  vxlanInterface: string;
}

export const defaultRouterNames: RouterNames = {
  wgInterface: 'wg0',
  l2Bridge: 'br-lan2',
  vxlanInterface: 'vxlan0',
};

/** What the status command prints, each read-only; the service runs them in one round trip. */
export const routerStatusCommands = [
  'ubus call system board',
  'cat /etc/openwrt_release',
  'cat /proc/sys/kernel/hostname',
  'uci export network',
  'wg show all dump',
  'ip -j addr show',
  sysfsLinksCommand,
  'date +%s',
] as const;

export interface RouterStatusOutputs {
  board: string;
  release: string;
  hostname: string;
  wgDump: string;
  ipAddr: string;
  sysfsLinks: string;
  now: string;
}

export interface RouterReading {
  hostname?: string;
  model?: string;
  release?: string;
  tunnel: TunnelStatus;
  bridge: BridgeStatus;
}

/** A TUN device (wireguard-go) or a kernel wg device reports operstate UNKNOWN while working. */
function linkIsUp(link: IpLink | undefined): boolean {
  return link !== undefined && link.up && link.lowerUp && link.operstate !== 'DOWN';
}

export function tunnelStatus(
  wgDumpText: string,
  links: IpLink[],
  nowUnixS: number | undefined,
  name: string,
): TunnelStatus {
  const link = links.find((l) => l.ifname === name);
  const dump = wgDumpText.trim() ? parseWgDump(wgDumpText) : undefined;
  const iface = dump?.kind === 'ok' ? dump.interfaces.find((i) => i.name === name) : undefined;
  const present = link !== undefined || iface !== undefined;
  const up = linkIsUp(link);
  // A travel router has one peer: home. With several, the most recently handshaken one speaks.
  const peer = iface?.peers
    .slice()
    .sort((a, b) => (b.latestHandshakeS ?? 0) - (a.latestHandshakeS ?? 0))[0];
  const age = peer && nowUnixS !== undefined ? handshakeAgeS(peer, nowUnixS) : undefined;
  const state: TunnelStatus['state'] = !present
    ? 'absent'
    : !up
      ? 'down'
      : peer?.latestHandshakeS === undefined
        ? 'never'
        : age !== undefined && age <= staleHandshakeS
          ? 'connected'
          : 'stale';
  return {
    state,
    interfaceName: name,
    present,
    up,
    ...(peer?.endpoint ? { peerEndpoint: peer.endpoint } : {}),
    ...(peer?.latestHandshakeS !== undefined
      ? { latestHandshakeUnixS: peer.latestHandshakeS }
      : {}),
    ...(age !== undefined ? { handshakeAgeS: age } : {}),
    ...(peer ? { rxBytes: peer.rxBytes, txBytes: peer.txBytes } : {}),
  };
}

export function bridgeStatus(links: IpLink[], bridgeName: string, vxlanName: string): BridgeStatus {
  const bridge = links.find((l) => l.ifname === bridgeName);
  const vxlan = links.find((l) => l.ifname === vxlanName);
  const members = links.filter((l) => l.master === bridgeName).map((l) => l.ifname);
  const address = bridge?.addresses.find((a) => a.family === 'inet');
  const bridgeUp = linkIsUp(bridge);
  const vxlanUp = linkIsUp(vxlan) && vxlan?.master === bridgeName;
  return {
    state: !bridge || !vxlan ? 'absent' : bridgeUp && vxlanUp ? 'up' : 'down',
    bridge: {
      name: bridgeName,
      present: bridge !== undefined,
      up: bridgeUp,
      ...(bridge?.mtu !== undefined ? { mtu: bridge.mtu } : {}),
    },
    vxlan: {
      name: vxlanName,
      present: vxlan !== undefined,
      up: vxlanUp,
      ...(vxlan?.mtu !== undefined ? { mtu: vxlan.mtu } : {}),
    },
    memberPorts: members,
    ...(address ? { address: `${address.local}/${address.prefixlen}` } : {}),
  };
}

export function readRouterStatus(
  outputs: RouterStatusOutputs,
  names: RouterNames = defaultRouterNames,
): RouterReading {
  const board = parseUbusSystemBoard(outputs.board);
  const release = parseOpenwrtRelease(outputs.release);
  const ip = outputs.ipAddr.trim() ? parseIpJson(outputs.ipAddr) : undefined;
  const links =
    ip?.kind === 'ok' && ip.links.length > 0 ? ip.links : parseSysfsLinks(outputs.sysfsLinks);
  const now = Number(outputs.now.trim());
  const hostname =
    (board.kind === 'ok' ? board.hostname : undefined) ?? (outputs.hostname.trim() || undefined);
  const model = board.kind === 'ok' ? board.model : undefined;
  const releaseName =
    (board.kind === 'ok' ? board.release.description : undefined) ??
    (release.kind === 'ok' ? release.description : undefined);
  return {
    ...(hostname ? { hostname } : {}),
    ...(model ? { model } : {}),
    ...(releaseName ? { release: releaseName } : {}),
    tunnel: tunnelStatus(
      outputs.wgDump,
      links,
      outputs.now.trim() && Number.isInteger(now) ? now : undefined,
      names.wgInterface,
    ),
    bridge: bridgeStatus(links, names.l2Bridge, names.vxlanInterface),
  };
}
