import type {
  LocalNetwork,
  NetworkInterfaceSummary,
  WifiConnectionSummary,
} from '../../shared/model';

// What systeminformation returns, reduced to the fields we read. Every field is optional: its
// output differs per OS and per locale, and Linux often leaves Wi-Fi fields empty.
export interface RawInterface {
  iface?: string;
  ifaceName?: string;
  ip4?: string;
  ip4subnet?: string;
  ip6?: string;
  mac?: string;
  mtu?: number | null;
  type?: string;
  virtual?: boolean;
  operstate?: string;
  internal?: boolean;
  default?: boolean;
}

export interface RawWifiConnection {
  ssid?: string;
  bssid?: string;
  channel?: number | null;
  frequency?: number | null;
  signalLevel?: number | null;
  txRate?: number | null;
}

export interface RawLocalNetwork {
  gateway?: string;
  defaultInterface?: string;
  interfaces: RawInterface[];
  wifi: RawWifiConnection[];
}

function text(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function finite(value: number | null | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function prefixLength(netmask: string | undefined): number | undefined {
  if (!netmask) return undefined;
  const parts = netmask.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    return undefined;
  }
  const bits = parts.map((p) => p.toString(2).padStart(8, '0')).join('');
  if (!/^1*0*$/.test(bits)) return undefined;
  return bits.indexOf('0') === -1 ? 32 : bits.indexOf('0');
}

function interfaceType(raw: RawInterface): NetworkInterfaceSummary['type'] {
  if (raw.virtual) return 'virtual';
  if (raw.type === 'wireless') return 'wireless';
  if (raw.type === 'wired') return 'wired';
  return 'other';
}

function summarizeWifi(raw: RawWifiConnection): WifiConnectionSummary {
  return {
    ssid: text(raw.ssid),
    bssid: text(raw.bssid),
    channel: finite(raw.channel),
    frequencyMhz: finite(raw.frequency),
    signalDbm: finite(raw.signalLevel),
    txRateMbps: finite(raw.txRate),
  };
}

export function summarizeLocalNetwork(raw: RawLocalNetwork): LocalNetwork {
  const interfaces = raw.interfaces
    .filter((i) => !i.internal && text(i.iface))
    .map((i): NetworkInterfaceSummary => ({
      name: text(i.iface) ?? '',
      ipv4: text(i.ip4),
      ipv4Cidr: prefixLength(i.ip4subnet),
      ipv6: text(i.ip6),
      mac: text(i.mac),
      mtu: finite(i.mtu),
      type: interfaceType(i),
      up: i.operstate === 'up' || i.operstate === 'unknown',
      isDefault: Boolean(i.default) || i.iface === raw.defaultInterface,
    }))
    .sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.name.localeCompare(b.name));
  const wifi = raw.wifi.map(summarizeWifi).find((w) => w.ssid ?? w.bssid);
  return {
    defaultGateway: text(raw.gateway),
    defaultInterface: text(raw.defaultInterface),
    interfaces,
    ...(wifi ? { wifi } : {}),
  };
}
