import { isHostName, isWireguardKey, parseCidr } from './validate';

// wg-quick(8) configuration files as people export them from a home router or a VPN panel:
// [Interface] and [Peer] sections, `Key = Value` lines, `#` comments, comma-separated lists.

export interface WgQuickPeer {
  publicKey: string;
  presharedKey?: string;
  allowedIps: string[];
  endpoint?: { host: string; port: number };
  persistentKeepalive?: number;
}

export interface WgQuickConfig {
  privateKey: string;
  addresses: string[];
  listenPort?: number;
  mtu?: number;
  dns: string[];
  peers: WgQuickPeer[];
}

export interface WgQuickError {
  kind: 'error';
  line?: number;
  message: string;
  fix: string;
  /** The same problem in Simplified Chinese (the line number is not repeated in it). */
  zh: { message: string; fix: string };
}

export type WgQuickResult = { kind: 'ok'; config: WgQuickConfig } | WgQuickError;

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

function parseEndpoint(value: string): { host: string; port: number } | undefined {
  const v6 = /^\[([^\]]+)\]:(\d+)$/.exec(value);
  const v4 = /^([^:\s]+):(\d+)$/.exec(value);
  const m = v6 ?? v4;
  if (!m) return undefined;
  const port = Number(m[2]);
  if (!isHostName(m[1] ?? '') || port < 1 || port > 65535) return undefined;
  return { host: m[1] ?? '', port };
}

export function parseWgQuick(text: string): WgQuickResult {
  let section: 'none' | 'interface' | 'peer' = 'none';
  let sawInterface = false;
  const config: Partial<WgQuickConfig> & {
    addresses: string[];
    dns: string[];
    peers: WgQuickPeer[];
  } = {
    addresses: [],
    dns: [],
    peers: [],
  };
  let peer: Partial<WgQuickPeer> & { allowedIps: string[]; line: number } = {
    allowedIps: [],
    line: 0,
  };
  const closePeer = (): WgQuickError | undefined => {
    if (section !== 'peer') return undefined;
    if (!peer.publicKey) {
      return {
        kind: 'error',
        line: peer.line,
        message: `The [Peer] at line ${peer.line} has no PublicKey.`,
        fix: "Add the home router's public key as PublicKey = ...",
        zh: {
          message: `第 ${peer.line} 行的 [Peer] 没有 PublicKey。`,
          fix: '把家里路由器的公钥写成 PublicKey = ...',
        },
      };
    }
    const { line: _line, ...rest } = peer;
    config.peers.push({ ...rest, publicKey: peer.publicKey, allowedIps: peer.allowedIps });
    return undefined;
  };
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i] ?? '';
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) continue;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) {
      const closeError = closePeer();
      if (closeError) return closeError;
      const name = (header[1] ?? '').toLowerCase();
      if (name === 'interface') {
        if (sawInterface)
          return {
            kind: 'error',
            line: lineNo,
            message: 'A second [Interface] section.',
            fix: 'A wg-quick file has exactly one [Interface].',
            zh: {
              message: '出现了第二个 [Interface] 节。',
              fix: '一个 wg-quick 文件只有一个 [Interface]。',
            },
          };
        section = 'interface';
        sawInterface = true;
      } else if (name === 'peer') {
        section = 'peer';
        peer = { allowedIps: [], line: lineNo };
      } else {
        return {
          kind: 'error',
          line: lineNo,
          message: `Unknown section [${header[1]}].`,
          fix: 'Only [Interface] and [Peer] belong in a wg-quick file.',
          zh: {
            message: `未知的节 [${header[1]}]。`,
            fix: 'wg-quick 文件里只有 [Interface] 和 [Peer]。',
          },
        };
      }
      continue;
    }
    const kv = /^([A-Za-z]+)\s*=\s*(.*)$/.exec(line);
    if (!kv)
      return {
        kind: 'error',
        line: lineNo,
        message: `Line ${lineNo} is not "Key = Value": ${line.slice(0, 40)}`,
        fix: 'Check that the file was copied whole.',
        zh: {
          message: `第 ${lineNo} 行不是“键 = 值”的格式：${line.slice(0, 40)}`,
          fix: '请确认文件是完整复制的。',
        },
      };
    if (section === 'none')
      return {
        kind: 'error',
        line: lineNo,
        message: `Line ${lineNo} comes before any [Interface] or [Peer].`,
        fix: 'The file must start with [Interface].',
        zh: {
          message: `第 ${lineNo} 行出现在任何 [Interface] 或 [Peer] 之前。`,
          fix: '文件必须以 [Interface] 开头。',
        },
      };
    const key = (kv[1] ?? '').toLowerCase();
    const value = (kv[2] ?? '').trim();
    const bad = (
      what: string,
      fix: string,
      zh: { message: string; fix: string },
    ): WgQuickError => ({
      kind: 'error',
      line: lineNo,
      message: `Line ${lineNo}: ${what}`,
      fix,
      zh: { message: `第 ${lineNo} 行：${zh.message}`, fix: zh.fix },
    });
    if (section === 'interface') {
      switch (key) {
        case 'privatekey':
          if (!isWireguardKey(value))
            return bad(
              'PrivateKey is not a WireGuard key.',
              'Paste the key as `wg genkey` prints it (44 characters ending in "=").',
              {
                message: 'PrivateKey 不是 WireGuard 密钥。',
                fix: '按 `wg genkey` 输出的样子粘贴密钥（44 个字符，以“=”结尾）。',
              },
            );
          config.privateKey = value;
          break;
        case 'address':
          for (const a of splitList(value)) {
            if (a.includes(':')) continue; // IPv6 tunnel addresses are kept out of this IPv4 setup
            const withPrefix = a.includes('/') ? a : `${a}/32`;
            if (!parseCidr(withPrefix))
              return bad(
                `Address "${a}" is not an IPv4 address.`,
                'Write it like 10.0.31.103/32.',
                {
                  message: `Address“${a}”不是 IPv4 地址。`,
                  fix: '写成 10.0.31.103/32 这样的形式。',
                },
              );
            config.addresses.push(withPrefix);
          }
          break;
        case 'listenport': {
          const port = Number(value);
          if (!Number.isInteger(port) || port < 1 || port > 65535)
            return bad(
              `ListenPort "${value}" is not a port.`,
              'Use 1 to 65535, or remove the line.',
              {
                message: `ListenPort“${value}”不是端口号。`,
                fix: '请使用 1 到 65535，或删除这一行。',
              },
            );
          config.listenPort = port;
          break;
        }
        case 'mtu': {
          const mtu = Number(value);
          if (!Number.isInteger(mtu) || mtu < 576 || mtu > 9000)
            return bad(`MTU "${value}" is not usable.`, 'Use e.g. 1420, or remove the line.', {
              message: `MTU“${value}”不可用。`,
              fix: '请使用例如 1420，或删除这一行。',
            });
          config.mtu = mtu;
          break;
        }
        case 'dns':
          config.dns.push(...splitList(value));
          break;
        case 'table':
        case 'preup':
        case 'postup':
        case 'predown':
        case 'postdown':
        case 'saveconfig':
        case 'fwmark':
          break; // wg-quick host hooks: meaningless on OpenWrt, ignored on purpose
        default:
          return bad(
            `Unknown [Interface] key "${kv[1]}".`,
            'Remove the line or check its spelling.',
            { message: `未知的 [Interface] 键“${kv[1]}”。`, fix: '删除这一行，或检查拼写。' },
          );
      }
    } else {
      switch (key) {
        case 'publickey':
          if (!isWireguardKey(value))
            return bad(
              'PublicKey is not a WireGuard key.',
              'Paste the home router\'s public key (44 characters ending in "=").',
              {
                message: 'PublicKey 不是 WireGuard 密钥。',
                fix: '粘贴家里路由器的公钥（44 个字符，以“=”结尾）。',
              },
            );
          peer.publicKey = value;
          break;
        case 'presharedkey':
          if (!isWireguardKey(value))
            return bad(
              'PresharedKey is not a WireGuard key.',
              'Paste it as `wg genpsk` prints it, or remove the line.',
              {
                message: 'PresharedKey 不是 WireGuard 密钥。',
                fix: '按 `wg genpsk` 输出的样子粘贴，或删除这一行。',
              },
            );
          peer.presharedKey = value;
          break;
        case 'allowedips':
          for (const a of splitList(value)) {
            if (a.includes(':')) continue;
            if (!parseCidr(a))
              return bad(
                `AllowedIPs entry "${a}" is not an IPv4 network.`,
                'Write networks like 10.0.31.1/32, separated by commas.',
                {
                  message: `AllowedIPs 中的“${a}”不是 IPv4 网络。`,
                  fix: '把网络写成 10.0.31.1/32 这样的形式，用逗号分隔。',
                },
              );
            peer.allowedIps.push(a);
          }
          break;
        case 'endpoint': {
          const endpoint = parseEndpoint(value);
          if (!endpoint)
            return bad(
              `Endpoint "${value}" is not host:port.`,
              'Write it like home.example.net:51820.',
              {
                message: `Endpoint“${value}”不是“主机:端口”的格式。`,
                fix: '写成 home.example.net:51820 这样的形式。',
              },
            );
          peer.endpoint = endpoint;
          break;
        }
        case 'persistentkeepalive': {
          const k = value === 'off' ? 0 : Number(value);
          if (!Number.isInteger(k) || k < 0 || k > 65535)
            return bad(
              `PersistentKeepalive "${value}" is not a number of seconds.`,
              'Use 25, or remove the line.',
              {
                message: `PersistentKeepalive“${value}”不是秒数。`,
                fix: '请使用 25，或删除这一行。',
              },
            );
          peer.persistentKeepalive = k;
          break;
        }
        default:
          return bad(`Unknown [Peer] key "${kv[1]}".`, 'Remove the line or check its spelling.', {
            message: `未知的 [Peer] 键“${kv[1]}”。`,
            fix: '删除这一行，或检查拼写。',
          });
      }
    }
  }
  const closeError = closePeer();
  if (closeError) return closeError;
  if (!sawInterface)
    return {
      kind: 'error',
      message: 'No [Interface] section.',
      fix: 'Export the whole wg-quick file, starting with [Interface].',
      zh: {
        message: '没有 [Interface] 节。',
        fix: '导出完整的 wg-quick 文件，以 [Interface] 开头。',
      },
    };
  if (!config.privateKey)
    return {
      kind: 'error',
      message: 'The [Interface] has no PrivateKey.',
      fix: "Export the file with the travel router's private key included.",
      zh: { message: '[Interface] 没有 PrivateKey。', fix: '导出时请包含旅行路由器的私钥。' },
    };
  if (config.addresses.length === 0)
    return {
      kind: 'error',
      message: 'The [Interface] has no IPv4 Address.',
      fix: 'Add Address = 10.0.31.103/32 (your tunnel address).',
      zh: {
        message: '[Interface] 没有 IPv4 Address。',
        fix: '加上 Address = 10.0.31.103/32（你的隧道地址）。',
      },
    };
  if (config.peers.length === 0)
    return {
      kind: 'error',
      message: 'No [Peer] section.',
      fix: 'The file needs the home router as a [Peer].',
      zh: { message: '没有 [Peer] 节。', fix: '文件需要把家里的路由器写成一个 [Peer]。' },
    };
  return {
    kind: 'ok',
    config: {
      privateKey: config.privateKey,
      addresses: config.addresses,
      ...(config.listenPort !== undefined ? { listenPort: config.listenPort } : {}),
      ...(config.mtu !== undefined ? { mtu: config.mtu } : {}),
      dns: config.dns,
      peers: config.peers,
    },
  };
}
