import { boolean, finiteNumber, list, parseJsonText, record, string, strings } from './json-fields';

export interface UbusAddress {
  address: string;
  mask: number;
}

export interface UbusRoute {
  target: string;
  mask: number;
  nexthop?: string;
  source?: string;
}

export interface UbusInterfaceStatus {
  kind: 'ok';
  /** Present in `network.interface dump` elements, absent from `network.interface.X status`. */
  interface?: string;
  up: boolean;
  pending?: boolean;
  available?: boolean;
  uptimeS?: number;
  l3Device?: string;
  device?: string;
  proto?: string;
  ipv4: UbusAddress[];
  ipv6: UbusAddress[];
  routes: UbusRoute[];
  dnsServers: string[];
  /** Protocol-specific extras (e.g. DHCP `leasetime`), left as JSON. */
  data: Record<string, unknown>;
}

export type UbusInterfaceResult = UbusInterfaceStatus | { kind: 'error'; message: string };

/** `ubus call network.interface.<name> status` (netifd), or one element of `... dump`. */
export function parseUbusInterfaceStatus(json: string): UbusInterfaceResult {
  const parsed = parseJsonText(json);
  if (parsed.kind === 'error') return parsed;
  const status = record(parsed.value);
  const up = boolean(status?.up);
  if (!status || up === undefined) {
    return { kind: 'error', message: 'not a netifd interface status (no boolean "up")' };
  }
  const result: UbusInterfaceStatus = {
    kind: 'ok',
    up,
    ipv4: addresses(status['ipv4-address']),
    ipv6: addresses(status['ipv6-address']),
    routes: routes(status.route),
    dnsServers: strings(status['dns-server']),
    data: record(status.data) ?? {},
  };
  const name = string(status.interface);
  if (name !== undefined) result.interface = name;
  const pending = boolean(status.pending);
  if (pending !== undefined) result.pending = pending;
  const available = boolean(status.available);
  if (available !== undefined) result.available = available;
  const uptime = finiteNumber(status.uptime);
  if (uptime !== undefined) result.uptimeS = uptime;
  const l3Device = string(status.l3_device);
  if (l3Device !== undefined) result.l3Device = l3Device;
  const device = string(status.device);
  if (device !== undefined) result.device = device;
  const proto = string(status.proto);
  if (proto !== undefined) result.proto = proto;
  return result;
}

function addresses(value: unknown): UbusAddress[] {
  return list(value).flatMap((item) => {
    const entry = record(item);
    const address = string(entry?.address);
    const mask = finiteNumber(entry?.mask);
    return address !== undefined && mask !== undefined ? [{ address, mask }] : [];
  });
}

function routes(value: unknown): UbusRoute[] {
  return list(value).flatMap((item) => {
    const entry = record(item);
    const target = string(entry?.target);
    const mask = finiteNumber(entry?.mask);
    if (target === undefined || mask === undefined) return [];
    const route: UbusRoute = { target, mask };
    const nexthop = string(entry?.nexthop);
    if (nexthop !== undefined) route.nexthop = nexthop;
    const source = string(entry?.source);
    if (source !== undefined) route.source = source;
    return [route];
  });
}
