import { splitLines, toInteger } from './text-lines';

export interface WgPeer {
  publicKey: string;
  /** Whether a preshared key is set; the key itself is a secret and is not kept. */
  hasPresharedKey: boolean;
  endpoint?: string;
  allowedIps: string[];
  /** Unix seconds of the latest handshake; undefined when there has never been one (0). */
  latestHandshakeS?: number;
  rxBytes: number;
  txBytes: number;
  keepaliveS?: number;
}

export interface WgInterface {
  name: string;
  publicKey?: string;
  listenPort?: number;
  fwmark?: number;
  peers: WgPeer[];
}

export type WgDumpResult =
  { kind: 'ok'; interfaces: WgInterface[] } | { kind: 'error'; message: string };

/**
 * `wg show all dump`: tab-separated; an interface line has 5 fields (name, private key, public
 * key, listen port, fwmark), a peer line 9 (name, public key, preshared key, endpoint, allowed
 * ips, latest handshake, rx, tx, keepalive). `wg show <if> dump` drops the name column; pass the
 * interface name to parse that form. Private and preshared keys are never copied into the result.
 */
export function parseWgDump(text: string, interfaceName?: string): WgDumpResult {
  const interfaces = new Map<string, WgInterface>();
  const named = (name: string): WgInterface => {
    let entry = interfaces.get(name);
    if (!entry) {
      entry = { name, peers: [] };
      interfaces.set(name, entry);
    }
    return entry;
  };
  for (const line of splitLines(text)) {
    if (line.trim() === '') continue;
    let fields = line.split('\t');
    if (interfaceName !== undefined && (fields.length === 4 || fields.length === 8)) {
      fields = [interfaceName, ...fields];
    }
    const name = fields[0] ?? '';
    if (fields.length === 5) {
      const entry = named(name);
      const publicKey = fields[2];
      if (publicKey && publicKey !== '(none)') entry.publicKey = publicKey;
      const port = toInteger(fields[3]);
      if (port !== undefined && port > 0) entry.listenPort = port;
      const fwmark = fields[4] === 'off' ? undefined : Number.parseInt(fields[4] ?? '', 16);
      if (fwmark !== undefined && Number.isFinite(fwmark)) entry.fwmark = fwmark;
    } else if (fields.length === 9) {
      const peer = parsePeer(fields);
      if (!peer) return { kind: 'error', message: `unreadable peer line for ${name}` };
      named(name).peers.push(peer);
    } else {
      return { kind: 'error', message: `unexpected wg dump line with ${fields.length} fields` };
    }
  }
  if (interfaces.size === 0) return { kind: 'error', message: 'wg printed no interfaces' };
  return { kind: 'ok', interfaces: [...interfaces.values()] };
}

function parsePeer(fields: string[]): WgPeer | undefined {
  const [, publicKey, preshared, endpoint, allowed, handshake, rx, tx, keepalive] = fields;
  const latest = toInteger(handshake);
  const rxBytes = toInteger(rx);
  const txBytes = toInteger(tx);
  if (!publicKey || latest === undefined || rxBytes === undefined || txBytes === undefined)
    return undefined;
  const peer: WgPeer = {
    publicKey,
    hasPresharedKey: preshared !== undefined && preshared !== '(none)' && preshared !== '',
    allowedIps:
      allowed === undefined || allowed === '(none)' || allowed === '' ? [] : allowed.split(','),
    rxBytes,
    txBytes,
  };
  if (endpoint && endpoint !== '(none)') peer.endpoint = endpoint;
  if (latest > 0) peer.latestHandshakeS = latest;
  const keepaliveS = toInteger(keepalive);
  if (keepaliveS !== undefined && keepaliveS > 0) peer.keepaliveS = keepaliveS;
  return peer;
}

/** Seconds since the latest handshake, or undefined when there never was one. */
export function handshakeAgeS(peer: WgPeer, nowS: number): number | undefined {
  return peer.latestHandshakeS === undefined
    ? undefined
    : Math.max(0, nowS - peer.latestHandshakeS);
}
