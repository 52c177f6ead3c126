import { finiteNumber, isRecord, list, parseJsonText, string, strings } from './json-fields';

export interface IpAddress {
  family: 'inet' | 'inet6';
  local: string;
  prefixlen: number;
  scope?: string;
}

export interface IpLink {
  ifname: string;
  ifindex?: number;
  mtu?: number;
  /** UP, DOWN, UNKNOWN (TUN and WireGuard devices report UNKNOWN while working), ... */
  operstate?: string;
  flags: string[];
  /** The administrative UP flag. */
  up: boolean;
  /** LOWER_UP: the device has carrier. */
  lowerUp: boolean;
  linkType?: string;
  address?: string;
  /** Bridge or bond the device is enslaved to. */
  master?: string;
  addresses: IpAddress[];
}

export type IpJsonResult = { kind: 'ok'; links: IpLink[] } | { kind: 'error'; message: string };

/** `ip -j addr show` or `ip -j link show` (iproute2 with JSON support, also on OpenWrt's ip-full). */
export function parseIpJson(text: string): IpJsonResult {
  const parsed = parseJsonText(text.trim() === '' ? '[]' : text);
  if (parsed.kind === 'error') return parsed;
  if (!Array.isArray(parsed.value))
    return { kind: 'error', message: 'ip -j output is not an array' };
  const links: IpLink[] = [];
  for (const item of parsed.value) {
    if (!isRecord(item)) continue;
    const ifname = string(item.ifname);
    // `ip -j addr` on older iproute2 emits empty objects for links without addresses.
    if (ifname === undefined) continue;
    const flags = strings(item.flags);
    const link: IpLink = {
      ifname,
      flags,
      up: flags.includes('UP'),
      lowerUp: flags.includes('LOWER_UP'),
      addresses: addresses(item.addr_info),
    };
    const ifindex = finiteNumber(item.ifindex);
    if (ifindex !== undefined) link.ifindex = ifindex;
    const mtu = finiteNumber(item.mtu);
    if (mtu !== undefined) link.mtu = mtu;
    const operstate = string(item.operstate);
    if (operstate !== undefined) link.operstate = operstate;
    const linkType = string(item.link_type);
    if (linkType !== undefined) link.linkType = linkType;
    const address = string(item.address);
    if (address !== undefined) link.address = address;
    const master = string(item.master);
    if (master !== undefined) link.master = master;
    links.push(link);
  }
  return { kind: 'ok', links };
}

function addresses(value: unknown): IpAddress[] {
  return list(value).flatMap((item) => {
    if (!isRecord(item)) return [];
    const family = string(item.family);
    const local = string(item.local);
    const prefixlen = finiteNumber(item.prefixlen);
    if ((family !== 'inet' && family !== 'inet6') || local === undefined || prefixlen === undefined)
      return [];
    const entry: IpAddress = { family, local, prefixlen };
    const scope = string(item.scope);
    if (scope !== undefined) entry.scope = scope;
    return [entry];
  });
}
