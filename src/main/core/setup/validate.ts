import type { FieldError, SetupIntent, WifiSpec } from '../../../shared/setup';
import { minimumIpv4Mtu, mtuLadder } from './mtu';

const wgKeyPattern = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

export function isWireguardKey(value: string): boolean {
  return wgKeyPattern.test(value);
}

export function parseIpv4(value: string): number[] | undefined {
  const parts = value.split('.');
  if (parts.length !== 4) return undefined;
  const octets = parts.map((p) => (/^(0|[1-9]\d{0,2})$/.test(p) ? Number(p) : NaN));
  return octets.every((o) => o >= 0 && o <= 255) ? octets : undefined;
}

export function parseCidr(value: string): { address: number[]; prefix: number } | undefined {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(value.trim());
  if (!m) return undefined;
  const address = parseIpv4(m[1] ?? '');
  const prefix = Number(m[2]);
  if (!address || prefix > 32) return undefined;
  return { address, prefix };
}

function toInt(octets: number[]): number {
  return octets.reduce((acc, o) => acc * 256 + o, 0);
}

export function cidrContains(
  network: { address: number[]; prefix: number },
  address: number[],
): boolean {
  const size = 2 ** (32 - network.prefix);
  return Math.floor(toInt(network.address) / size) === Math.floor(toInt(address) / size);
}

export function isHostName(value: string): boolean {
  if (parseIpv4(value)) return true;
  if (/^[0-9a-fA-F:]+$/.test(value) && value.includes(':')) return true;
  return (
    value.length <= 253 &&
    /^(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/.test(
      value,
    )
  );
}

export function utf8Length(value: string): number {
  let bytes = 0;
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

function hasControl(value: string): boolean {
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 32 || code === 127) return true;
  }
  return false;
}

function validateWifi(spec: WifiSpec, field: string, errors: FieldError[]): void {
  const ssidBytes = utf8Length(spec.ssid);
  if (ssidBytes < 1 || ssidBytes > 32) {
    errors.push({
      field: `${field}.ssid`,
      message: `The network name is ${ssidBytes} bytes long; Wi-Fi allows 1 to 32 bytes (a Chinese character takes 3).`,
      fix: 'Use a shorter network name.',
    });
  } else if (hasControl(spec.ssid)) {
    errors.push({
      field: `${field}.ssid`,
      message: 'The network name contains a control character (a line break or tab).',
      fix: 'Remove line breaks and tabs from the network name.',
    });
  }
  const pw = spec.password;
  const hex64 = /^[0-9a-fA-F]{64}$/.test(pw);
  if (!hex64 && (pw.length < 8 || pw.length > 63 || !/^[\x20-\x7e]*$/.test(pw))) {
    errors.push({
      field: `${field}.password`,
      message:
        'A WPA2/WPA3 password must be 8 to 63 printable ASCII characters (or 64 hex digits).',
      fix: 'Choose a password of 8 to 63 characters without accents, Chinese characters or line breaks.',
    });
  }
  if (spec.band === '2g' && spec.widthMhz > 40) {
    errors.push({
      field: `${field}.widthMhz`,
      message: `${spec.widthMhz} MHz is not available on 2.4 GHz (at most 40 MHz).`,
      fix: 'Pick 20 or 40 MHz for 2.4 GHz, or use 5 GHz for VR.',
    });
  }
}

function validatePort(value: number, field: string, errors: FieldError[]): void {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    errors.push({
      field,
      message: `${value} is not a port number.`,
      fix: 'Use a whole number from 1 to 65535.',
    });
  }
}

/** Every problem at once, each naming its field and the fix. Empty means the intent is valid. */
export function validateIntent(intent: SetupIntent): FieldError[] {
  const errors: FieldError[] = [];
  const { home, travel } = intent;
  if (!isHostName(home.endpointHost)) {
    errors.push({
      field: 'home.endpointHost',
      message: `"${home.endpointHost}" is not a host name or IP address.`,
      fix: "Enter the home router's public name (e.g. a DDNS name) or address.",
    });
  }
  validatePort(home.endpointPort, 'home.endpointPort', errors);
  for (const [field, key] of [
    ['home.publicKey', home.publicKey],
    ['travel.privateKey', travel.privateKey],
    ['travel.publicKey', travel.publicKey],
  ] as const) {
    if (!isWireguardKey(key)) {
      errors.push({
        field,
        message: 'This is not a WireGuard key (44 characters of base64 ending in "=").',
        fix: 'Paste the key exactly as `wg genkey` / `wg pubkey` print it, or let Homeward generate the keys.',
      });
    }
  }
  if (
    intent.presharedKey !== undefined &&
    intent.presharedKey !== '' &&
    !isWireguardKey(intent.presharedKey)
  ) {
    errors.push({
      field: 'presharedKey',
      message: 'This is not a WireGuard preshared key.',
      fix: 'Paste the key as `wg genpsk` prints it, or leave it empty.',
    });
  }
  if (travel.publicKey === home.publicKey && isWireguardKey(home.publicKey)) {
    errors.push({
      field: 'travel.publicKey',
      message: 'Both ends have the same public key.',
      fix: 'Each router needs its own key pair; generate a new one for the travel router.',
    });
  }
  const homeNet = parseCidr(home.tunnelAddress);
  const travelNet = parseCidr(travel.tunnelAddress);
  if (!homeNet) {
    errors.push({
      field: 'home.tunnelAddress',
      message: `"${home.tunnelAddress}" is not an IPv4 address with prefix.`,
      fix: 'Write it like 10.0.31.1/24.',
    });
  }
  if (!travelNet) {
    errors.push({
      field: 'travel.tunnelAddress',
      message: `"${travel.tunnelAddress}" is not an IPv4 address with prefix.`,
      fix: 'Write it like 10.0.31.103/32.',
    });
  }
  if (homeNet && travelNet) {
    if (toInt(homeNet.address) === toInt(travelNet.address)) {
      errors.push({
        field: 'travel.tunnelAddress',
        message: 'The travel router and home have the same tunnel address.',
        fix: `Pick another address in ${home.tunnelAddress}, e.g. one ending in .103.`,
      });
    } else if (!cidrContains(homeNet, travelNet.address)) {
      errors.push({
        field: 'travel.tunnelAddress',
        message: `${travel.tunnelAddress} is outside home's tunnel network ${home.tunnelAddress}.`,
        fix: "Pick an address inside home's tunnel network.",
      });
    }
  }
  for (const [field, value] of [
    ['home.lanCidr', home.lanCidr],
    ['travel.lanCidr', travel.lanCidr],
  ] as const) {
    if (value !== undefined && !parseCidr(value)) {
      errors.push({
        field,
        message: `"${value}" is not a network like 192.168.35.0/24.`,
        fix: 'Write it as address/prefix.',
      });
    }
  }
  if (travel.lanAddress !== undefined) {
    const lan = parseCidr(travel.lanAddress);
    const size = lan ? 2 ** (32 - lan.prefix) : 0;
    const offset = lan ? toInt(lan.address) % size : 0;
    if (!lan || lan.prefix < 8 || lan.prefix > 30 || offset === 0 || offset === size - 1) {
      errors.push({
        field: 'travel.lanAddress',
        message: `"${travel.lanAddress}" is not a router address with a LAN prefix.`,
        fix: 'Write the router address and prefix, like 192.168.9.1/24.',
      });
    }
  }
  if (intent.routeHomeLan && !home.lanCidr) {
    errors.push({
      field: 'home.lanCidr',
      message: 'Routing the home LAN over the tunnel needs the home LAN network.',
      fix: 'Enter the home LAN, e.g. 192.168.35.0/24, or turn off routing the home LAN.',
    });
  }
  if (!intent.l3Nat && !travel.lanCidr) {
    errors.push({
      field: 'travel.lanCidr',
      message: 'Without NAT, home must route back to the travel LAN, so its network is needed.',
      fix: 'Enter the travel LAN (e.g. 192.168.8.0/24) or turn NAT on.',
    });
  }
  if (!Number.isInteger(intent.keepaliveS) || intent.keepaliveS < 0 || intent.keepaliveS > 65535) {
    errors.push({
      field: 'keepaliveS',
      message: `${intent.keepaliveS} is not a keepalive interval.`,
      fix: 'Use 25 seconds (0 turns keepalive off, which breaks NAT traversal).',
    });
  }
  if (!Number.isInteger(intent.vxlan.vid) || intent.vxlan.vid < 0 || intent.vxlan.vid > 16777215) {
    errors.push({
      field: 'vxlan.vid',
      message: `${intent.vxlan.vid} is not a VXLAN id.`,
      fix: 'Use a whole number from 0 to 16777215 (e.g. 8).',
    });
  }
  validatePort(intent.vxlan.port, 'vxlan.port', errors);
  if (
    !Number.isInteger(intent.underlayMtu) ||
    intent.underlayMtu < 1280 ||
    intent.underlayMtu > 9000
  ) {
    errors.push({
      field: 'underlayMtu',
      message: `${intent.underlayMtu} is not a usable underlay MTU.`,
      fix: 'Use the measured value, or 1500 when unsure (at least 1280).',
    });
  } else {
    const ladder = mtuLadder(intent.underlayMtu, intent.l2MtuStrategy);
    if (ladder.vxlan < minimumIpv4Mtu) {
      errors.push({
        field: 'underlayMtu',
        message: `With an underlay of ${intent.underlayMtu} the bridged segment would get MTU ${ladder.vxlan}, below ${minimumIpv4Mtu}.`,
        fix: 'Use the VXLAN-at-1500 strategy (fragmentation) on this uplink.',
      });
    }
  }
  validateWifi(intent.wifi.l3, 'wifi.l3', errors);
  validateWifi(intent.wifi.l2, 'wifi.l2', errors);
  if (intent.wifi.l3.ssid === intent.wifi.l2.ssid) {
    errors.push({
      field: 'wifi.l2.ssid',
      message: 'The two SSIDs have the same name, so devices could not tell them apart.',
      fix: 'Give the bridged SSID its own name, e.g. add "-home".',
    });
  }
  if (
    intent.wifi.l3.band === intent.wifi.l2.band &&
    intent.wifi.l3.widthMhz !== intent.wifi.l2.widthMhz
  ) {
    errors.push({
      field: 'wifi.l2.widthMhz',
      message: 'Both SSIDs share one radio on this band, and a radio has one channel width.',
      fix: `Use the same width for both (${intent.wifi.l3.widthMhz} MHz) or put them on different bands.`,
    });
  }
  for (const [field, name] of [
    ['home.name', home.name],
    ['travel.name', travel.name],
  ] as const) {
    if (hasControl(name) || name.length > 64) {
      errors.push({
        field,
        message: 'The name has line breaks or is over 64 characters.',
        fix: 'Use a short single-line name.',
      });
    }
  }
  return errors;
}
