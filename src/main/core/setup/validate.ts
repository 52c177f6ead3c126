import type { FieldError, FieldErrorText, SetupIntent, WifiSpec } from '../../../shared/setup';
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

/** A field's problem in English and in Simplified Chinese, written from the same values. */
export function fieldError(field: string, en: FieldErrorText, zh: FieldErrorText): FieldError {
  return { field, message: en.message, fix: en.fix, localized: { 'zh-CN': zh } };
}

function validateWifi(spec: WifiSpec, field: string, errors: FieldError[]): void {
  const ssidBytes = utf8Length(spec.ssid);
  if (ssidBytes < 1 || ssidBytes > 32) {
    errors.push(
      fieldError(
        `${field}.ssid`,
        {
          message: `The network name is ${ssidBytes} bytes long; Wi-Fi allows 1 to 32 bytes (a Chinese character takes 3).`,
          fix: 'Use a shorter network name.',
        },
        {
          message: `网络名称长 ${ssidBytes} 字节；Wi-Fi 允许 1 到 32 字节（一个汉字占 3 字节）。`,
          fix: '请换一个更短的网络名称。',
        },
      ),
    );
  } else if (hasControl(spec.ssid)) {
    errors.push(
      fieldError(
        `${field}.ssid`,
        {
          message: 'The network name contains a control character (a line break or tab).',
          fix: 'Remove line breaks and tabs from the network name.',
        },
        {
          message: '网络名称含有控制字符（换行或制表符）。',
          fix: '请删除网络名称中的换行和制表符。',
        },
      ),
    );
  }
  const pw = spec.password;
  const hex64 = /^[0-9a-fA-F]{64}$/.test(pw);
  if (!hex64 && (pw.length < 8 || pw.length > 63 || !/^[\x20-\x7e]*$/.test(pw))) {
    errors.push(
      fieldError(
        `${field}.password`,
        {
          message:
            'A WPA2/WPA3 password must be 8 to 63 printable ASCII characters (or 64 hex digits).',
          fix: 'Choose a password of 8 to 63 characters without accents, Chinese characters or line breaks.',
        },
        {
          message: 'WPA2/WPA3 密码必须是 8 到 63 个可打印的 ASCII 字符（或 64 位十六进制数）。',
          fix: '请选择 8 到 63 个字符的密码，不要包含带重音的字母、汉字或换行。',
        },
      ),
    );
  }
  if (spec.band === '2g' && spec.widthMhz > 40) {
    errors.push(
      fieldError(
        `${field}.widthMhz`,
        {
          message: `${spec.widthMhz} MHz is not available on 2.4 GHz (at most 40 MHz).`,
          fix: 'Pick 20 or 40 MHz for 2.4 GHz, or use 5 GHz for VR.',
        },
        {
          message: `2.4 GHz 上不能使用 ${spec.widthMhz} MHz（最多 40 MHz）。`,
          fix: '2.4 GHz 请选 20 或 40 MHz；VR 请改用 5 GHz。',
        },
      ),
    );
  }
}

function validatePort(value: number, field: string, errors: FieldError[]): void {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    errors.push(
      fieldError(
        field,
        { message: `${value} is not a port number.`, fix: 'Use a whole number from 1 to 65535.' },
        { message: `${value} 不是有效的端口号。`, fix: '请使用 1 到 65535 之间的整数。' },
      ),
    );
  }
}

/** Every problem at once, each naming its field and the fix. Empty means the intent is valid. */
export function validateIntent(intent: SetupIntent): FieldError[] {
  const errors: FieldError[] = [];
  const { home, travel } = intent;
  if (!isHostName(home.endpointHost)) {
    errors.push(
      fieldError(
        'home.endpointHost',
        {
          message: `"${home.endpointHost}" is not a host name or IP address.`,
          fix: "Enter the home router's public name (e.g. a DDNS name) or address.",
        },
        {
          message: `“${home.endpointHost}”不是主机名或 IP 地址。`,
          fix: '请输入家里路由器的公网名称（例如 DDNS 域名）或地址。',
        },
      ),
    );
  }
  validatePort(home.endpointPort, 'home.endpointPort', errors);
  for (const [field, key] of [
    ['home.publicKey', home.publicKey],
    ['travel.privateKey', travel.privateKey],
    ['travel.publicKey', travel.publicKey],
  ] as const) {
    if (!isWireguardKey(key)) {
      errors.push(
        fieldError(
          field,
          {
            message: 'This is not a WireGuard key (44 characters of base64 ending in "=").',
            fix: 'Paste the key exactly as `wg genkey` / `wg pubkey` print it, or let Homeward generate the keys.',
          },
          {
            message: '这不是 WireGuard 密钥（应为 44 个字符的 base64，以“=”结尾）。',
            fix: '请原样粘贴 `wg genkey` / `wg pubkey` 输出的密钥，或让 Homeward 生成密钥。',
          },
        ),
      );
    }
  }
  if (
    intent.presharedKey !== undefined &&
    intent.presharedKey !== '' &&
    !isWireguardKey(intent.presharedKey)
  ) {
    errors.push(
      fieldError(
        'presharedKey',
        {
          message: 'This is not a WireGuard preshared key.',
          fix: 'Paste the key as `wg genpsk` prints it, or leave it empty.',
        },
        {
          message: '这不是 WireGuard 预共享密钥。',
          fix: '请原样粘贴 `wg genpsk` 输出的密钥，或留空。',
        },
      ),
    );
  }
  if (travel.publicKey === home.publicKey && isWireguardKey(home.publicKey)) {
    errors.push(
      fieldError(
        'travel.publicKey',
        {
          message: 'Both ends have the same public key.',
          fix: 'Each router needs its own key pair; generate a new one for the travel router.',
        },
        {
          message: '两端的公钥相同。',
          fix: '每台路由器都需要自己的密钥对；请为旅行路由器生成一对新的。',
        },
      ),
    );
  }
  const homeNet = parseCidr(home.tunnelAddress);
  const travelNet = parseCidr(travel.tunnelAddress);
  if (!homeNet) {
    errors.push(
      fieldError(
        'home.tunnelAddress',
        {
          message: `"${home.tunnelAddress}" is not an IPv4 address with prefix.`,
          fix: 'Write it like 10.0.31.1/24.',
        },
        {
          message: `“${home.tunnelAddress}”不是带前缀长度的 IPv4 地址。`,
          fix: '请写成 10.0.31.1/24 这样的形式。',
        },
      ),
    );
  }
  if (!travelNet) {
    errors.push(
      fieldError(
        'travel.tunnelAddress',
        {
          message: `"${travel.tunnelAddress}" is not an IPv4 address with prefix.`,
          fix: 'Write it like 10.0.31.103/32.',
        },
        {
          message: `“${travel.tunnelAddress}”不是带前缀长度的 IPv4 地址。`,
          fix: '请写成 10.0.31.103/32 这样的形式。',
        },
      ),
    );
  }
  if (homeNet && travelNet) {
    if (toInt(homeNet.address) === toInt(travelNet.address)) {
      errors.push(
        fieldError(
          'travel.tunnelAddress',
          {
            message: 'The travel router and home have the same tunnel address.',
            fix: `Pick another address in ${home.tunnelAddress}, e.g. one ending in .103.`,
          },
          {
            message: '旅行路由器与家里的隧道地址相同。',
            fix: `请在 ${home.tunnelAddress} 中另选一个地址，例如以 .103 结尾的地址。`,
          },
        ),
      );
    } else if (!cidrContains(homeNet, travelNet.address)) {
      errors.push(
        fieldError(
          'travel.tunnelAddress',
          {
            message: `${travel.tunnelAddress} is outside home's tunnel network ${home.tunnelAddress}.`,
            fix: "Pick an address inside home's tunnel network.",
          },
          {
            message: `${travel.tunnelAddress} 不在家里的隧道网络 ${home.tunnelAddress} 之内。`,
            fix: '请在家里的隧道网络内选一个地址。',
          },
        ),
      );
    }
  }
  for (const [field, value] of [
    ['home.lanCidr', home.lanCidr],
    ['travel.lanCidr', travel.lanCidr],
  ] as const) {
    if (value !== undefined && !parseCidr(value)) {
      errors.push(
        fieldError(
          field,
          {
            message: `"${value}" is not a network like 192.168.35.0/24.`,
            fix: 'Write it as address/prefix.',
          },
          {
            message: `“${value}”不是 192.168.35.0/24 这样的网段。`,
            fix: '请按“地址/前缀长度”的格式填写。',
          },
        ),
      );
    }
  }
  if (travel.lanAddress !== undefined) {
    const lan = parseCidr(travel.lanAddress);
    const size = lan ? 2 ** (32 - lan.prefix) : 0;
    const offset = lan ? toInt(lan.address) % size : 0;
    if (!lan || lan.prefix < 8 || lan.prefix > 30 || offset === 0 || offset === size - 1) {
      errors.push(
        fieldError(
          'travel.lanAddress',
          {
            message: `"${travel.lanAddress}" is not a router address with a LAN prefix.`,
            fix: 'Write the router address and prefix, like 192.168.9.1/24.',
          },
          {
            message: `“${travel.lanAddress}”不是带局域网前缀长度的路由器地址。`,
            fix: '请填写路由器地址和前缀长度，例如 192.168.9.1/24。',
          },
        ),
      );
    }
  }
  if (intent.routeHomeLan && !home.lanCidr) {
    errors.push(
      fieldError(
        'home.lanCidr',
        {
          message: 'Routing the home LAN over the tunnel needs the home LAN network.',
          fix: 'Enter the home LAN, e.g. 192.168.35.0/24, or turn off routing the home LAN.',
        },
        {
          message: '要经隧道访问家里的局域网，需要填写家里局域网的网段。',
          fix: '请填写家里的局域网，例如 192.168.35.0/24，或关闭经隧道访问家里局域网。',
        },
      ),
    );
  }
  if (!intent.l3Nat && !travel.lanCidr) {
    errors.push(
      fieldError(
        'travel.lanCidr',
        {
          message: 'Without NAT, home must route back to the travel LAN, so its network is needed.',
          fix: 'Enter the travel LAN (e.g. 192.168.8.0/24) or turn NAT on.',
        },
        {
          message: '不做 NAT 时，家里必须有回到旅行局域网的路由，所以需要它的网段。',
          fix: '请填写旅行局域网（例如 192.168.8.0/24），或开启 NAT。',
        },
      ),
    );
  }
  if (!Number.isInteger(intent.keepaliveS) || intent.keepaliveS < 0 || intent.keepaliveS > 65535) {
    errors.push(
      fieldError(
        'keepaliveS',
        {
          message: `${intent.keepaliveS} is not a keepalive interval.`,
          fix: 'Use 25 seconds (0 turns keepalive off, which breaks NAT traversal).',
        },
        {
          message: `${intent.keepaliveS} 不是有效的保活间隔。`,
          fix: '请使用 25 秒（0 表示关闭保活，会导致 NAT 穿越失效）。',
        },
      ),
    );
  }
  if (!Number.isInteger(intent.vxlan.vid) || intent.vxlan.vid < 0 || intent.vxlan.vid > 16777215) {
    errors.push(
      fieldError(
        'vxlan.vid',
        {
          message: `${intent.vxlan.vid} is not a VXLAN id.`,
          fix: 'Use a whole number from 0 to 16777215 (e.g. 8).',
        },
        {
          message: `${intent.vxlan.vid} 不是有效的 VXLAN ID。`,
          fix: '请使用 0 到 16777215 之间的整数（例如 8）。',
        },
      ),
    );
  }
  validatePort(intent.vxlan.port, 'vxlan.port', errors);
  if (
    !Number.isInteger(intent.underlayMtu) ||
    intent.underlayMtu < 1280 ||
    intent.underlayMtu > 9000
  ) {
    errors.push(
      fieldError(
        'underlayMtu',
        {
          message: `${intent.underlayMtu} is not a usable underlay MTU.`,
          fix: 'Use the measured value, or 1500 when unsure (at least 1280).',
        },
        {
          message: `${intent.underlayMtu} 不是可用的底层 MTU。`,
          fix: '请使用测得的值，不确定时用 1500（至少 1280）。',
        },
      ),
    );
  } else {
    const ladder = mtuLadder(intent.underlayMtu, intent.l2MtuStrategy);
    if (ladder.vxlan < minimumIpv4Mtu) {
      errors.push(
        fieldError(
          'underlayMtu',
          {
            message: `With an underlay of ${intent.underlayMtu} the bridged segment would get MTU ${ladder.vxlan}, below ${minimumIpv4Mtu}.`,
            fix: 'Use the VXLAN-at-1500 strategy (fragmentation) on this uplink.',
          },
          {
            message: `底层 MTU 为 ${intent.underlayMtu} 时，桥接网段的 MTU 只有 ${ladder.vxlan}，低于 ${minimumIpv4Mtu}。`,
            fix: '在这条上行链路上请改用“VXLAN 用 1500，在隧道内分片”的策略。',
          },
        ),
      );
    }
  }
  validateWifi(intent.wifi.l3, 'wifi.l3', errors);
  validateWifi(intent.wifi.l2, 'wifi.l2', errors);
  if (intent.wifi.l3.ssid === intent.wifi.l2.ssid) {
    errors.push(
      fieldError(
        'wifi.l2.ssid',
        {
          message: 'The two SSIDs have the same name, so devices could not tell them apart.',
          fix: 'Give the bridged SSID its own name, e.g. add "-home".',
        },
        {
          message: '两个 SSID 名称相同，设备无法区分它们。',
          fix: '请给桥接 SSID 起一个不同的名称，例如加上“-home”。',
        },
      ),
    );
  }
  if (
    intent.wifi.l3.band === intent.wifi.l2.band &&
    intent.wifi.l3.widthMhz !== intent.wifi.l2.widthMhz
  ) {
    errors.push(
      fieldError(
        'wifi.l2.widthMhz',
        {
          message: 'Both SSIDs share one radio on this band, and a radio has one channel width.',
          fix: `Use the same width for both (${intent.wifi.l3.widthMhz} MHz) or put them on different bands.`,
        },
        {
          message: '两个 SSID 在这个频段上共用一个无线电，而一个无线电只有一种信道宽度。',
          fix: `请让两者使用相同的宽度（${intent.wifi.l3.widthMhz} MHz），或把它们放到不同的频段。`,
        },
      ),
    );
  }
  for (const [field, name] of [
    ['home.name', home.name],
    ['travel.name', travel.name],
  ] as const) {
    if (hasControl(name) || name.length > 64) {
      errors.push(
        fieldError(
          field,
          {
            message: 'The name has line breaks or is over 64 characters.',
            fix: 'Use a short single-line name.',
          },
          { message: '名称含有换行，或超过 64 个字符。', fix: '请使用简短的单行名称。' },
        ),
      );
    }
  }
  return errors;
}
