import type { PingOs } from './ping-args';
import { splitLines, toInteger, toNumber } from './text-lines';

export interface PingReply {
  seq?: number;
  bytes?: number;
  ttl?: number;
  timeMs: number;
  /** Windows prints `<1ms`; timeMs is then 0. */
  subMillisecond?: boolean;
  duplicate?: boolean;
  from?: string;
}

export interface PingUnreachable {
  type: 'host' | 'net' | 'port' | 'other';
  from?: string;
  count: number;
}

export interface PingOk {
  kind: 'ok';
  host: string;
  address?: string;
  transmitted: number;
  received: number;
  duplicates?: number;
  errors?: number;
  lossPercent: number;
  rttMinMs?: number;
  rttAvgMs?: number;
  rttMaxMs?: number;
  rttMdevMs?: number;
  replies: PingReply[];
  /** A router answered "fragmentation needed" (ICMP type 3 code 4) for a DF probe. */
  fragNeeded?: { mtu: number; from?: string };
  /** The local stack refused to send: the probe is larger than the cached or link MTU. */
  localMessageTooLong?: { mtu?: number };
  unreachable?: PingUnreachable;
  /** Local send failures such as `ping: sendmsg: Network is unreachable`. */
  sendErrors?: number;
}

export type PingErrorReason =
  'unknown-host' | 'network-unreachable' | 'permission-denied' | 'no-statistics' | 'empty';

export type PingResult = PingOk | { kind: 'error'; reason: PingErrorReason; message: string };

export function parsePing(os: PingOs, text: string): PingResult {
  const lines = splitLines(text);
  const nonEmpty = lines.filter((line) => line.trim() !== '');
  if (nonEmpty.length === 0)
    return { kind: 'error', reason: 'empty', message: 'ping printed nothing' };
  return os === 'win32' ? parseWindows(lines, nonEmpty) : parseUnix(lines, nonEmpty);
}

// ---------- Linux (iputils) and macOS (BSD): English, stable wording ----------

const unixStats =
  /(\d+) packets transmitted, (\d+)(?: packets)? received(.*?), ([\d.]+)% packet loss/;
const unixRtt = /= ([\d.]+)\/([\d.]+)\/([\d.]+)(?:\/([\d.]+))? ms/;
const unixReply =
  /^(\d+) bytes from (.+?): (?:icmp_seq|seq)=(\d+)(?: ttl=(\d+))?(?: hlim=(\d+))? time=([\d.]+) ms(.*)$/;

function parseUnix(lines: string[], nonEmpty: string[]): PingResult {
  const all = nonEmpty.join('\n');
  const stats = lines.map((line) => unixStats.exec(line)).find((match) => match !== null);
  if (!stats) return unixFailure(all);

  const header = /^PING (\S+?)\s*\((?:\S+ \()?([^()\s]+)\)*/.exec(nonEmpty[0] ?? '');
  const statsHost = /^--- (\S+) ping statistics ---/m.exec(all)?.[1];
  const host = header?.[1] ?? statsHost ?? '';
  const extras = stats[3] ?? '';
  const result: PingOk = {
    kind: 'ok',
    host,
    transmitted: Number(stats[1]),
    received: Number(stats[2]),
    lossPercent: Number(stats[4]),
    replies: [],
  };
  const address = header?.[2];
  if (address !== undefined) result.address = address;
  const duplicates = toInteger(/\+(\d+) duplicates/.exec(extras)?.[1]);
  if (duplicates !== undefined) result.duplicates = duplicates;
  const errors = toInteger(/\+(\d+) errors/.exec(extras)?.[1]);
  if (errors !== undefined) result.errors = errors;

  const rtt = lines.map((line) => unixRtt.exec(line)).find((match) => match !== null);
  if (rtt) {
    result.rttMinMs = Number(rtt[1]);
    result.rttAvgMs = Number(rtt[2]);
    result.rttMaxMs = Number(rtt[3]);
    const mdev = toNumber(rtt[4]);
    if (mdev !== undefined) result.rttMdevMs = mdev;
  }

  let sendErrors = 0;
  for (const line of lines) {
    const reply = unixReply.exec(line);
    if (reply) {
      result.replies.push(unixReplyFrom(reply));
      continue;
    }
    const frag = /^From (\S+) .*Frag needed and DF set \(mtu = (\d+)\)/.exec(line);
    if (frag && result.fragNeeded === undefined) {
      result.fragNeeded = { mtu: Number(frag[2]), from: frag[1] ?? '' };
      continue;
    }
    // Linux: "local error: message too long, mtu=1400"; macOS: "sendto: Message too long".
    const tooLong = /^ping\d?: .*message too long(?:, mtu=(\d+))?/i.exec(line);
    if (tooLong) {
      const mtu = toInteger(tooLong[1]);
      result.localMessageTooLong ??= mtu === undefined ? {} : { mtu };
      continue;
    }
    if (/^ping\d?: (?:sendmsg|sendto): /.test(line)) {
      sendErrors++;
      continue;
    }
    noteUnreachable(result, line);
  }
  if (sendErrors > 0) result.sendErrors = sendErrors;
  return result;
}

function unixReplyFrom(match: RegExpExecArray): PingReply {
  const reply: PingReply = {
    timeMs: Number(match[6]),
    bytes: Number(match[1]),
    seq: Number(match[3]),
  };
  const ttl = toInteger(match[4] ?? match[5]);
  if (ttl !== undefined) reply.ttl = ttl;
  // "one.one.one.one (2606:4700:4700::1111)" -> the address in parentheses.
  const from = match[2] ?? '';
  reply.from = /\(([^()]+)\)$/.exec(from)?.[1] ?? from;
  if ((match[7] ?? '').includes('(DUP!)')) reply.duplicate = true;
  return reply;
}

function noteUnreachable(result: PingOk, line: string): void {
  // Linux: "From 10.0.1.1 icmp_seq=1 Destination Host Unreachable";
  // macOS: "92 bytes from gw (192.168.1.220): Destination Host Unreachable".
  const match =
    /^From (\S+) .*Destination (Host|Net|Port) Unreachable/i.exec(line) ??
    /^\d+ bytes from (?:\S+ \()?([^():\s]+)\)?: Destination (Host|Net|Port) Unreachable/i.exec(
      line,
    );
  if (!match) return;
  const type = (match[2] ?? '').toLowerCase() as 'host' | 'net' | 'port';
  if (result.unreachable) {
    result.unreachable.count++;
    return;
  }
  result.unreachable = { type, count: 1 };
  if (match[1] !== undefined) result.unreachable.from = match[1];
}

function unixFailure(all: string): PingResult {
  const message = all.trim();
  if (
    /Name or service not known|Temporary failure in name resolution|cannot resolve|Unknown host|No address associated/i.test(
      message,
    )
  ) {
    return { kind: 'error', reason: 'unknown-host', message };
  }
  if (/Network is unreachable|No route to host/i.test(message)) {
    return { kind: 'error', reason: 'network-unreachable', message };
  }
  if (/Operation not permitted|Permission denied/i.test(message)) {
    return { kind: 'error', reason: 'permission-denied', message };
  }
  return { kind: 'error', reason: 'no-statistics', message };
}

// ---------- Windows: localized words, so only structure and numbers are trusted ----------

const ipv4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/;
const ipv6 = /\b[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?:%\d+)?/i;
const equalsNumber = /=\s*(\d+)/g;

function parseWindows(lines: string[], nonEmpty: string[]): PingResult {
  const headerIndex = lines.findIndex((line) => line.trim() !== '');
  const header = lines[headerIndex] ?? '';
  // Indented lines after the replies hold, in this order on every locale: the packet counts
  // (three "= N"), then min/max/avg (three "= N ms" in the local unit).
  const indented = lines.filter(
    (line) => /^\s+\S/.test(line) && (line.match(equalsNumber)?.length ?? 0) >= 3,
  );
  const counts = indented[0];
  if (counts === undefined) {
    return { kind: 'error', reason: 'no-statistics', message: nonEmpty.join('\n').trim() };
  }
  const [sent, received] = numbersAfterEquals(counts);
  const bracketed = /(\S+)\s*\[([^\]\s]+)\]/.exec(header);
  const address = bracketed?.[2] ?? firstAddress(header);
  const result: PingOk = {
    kind: 'ok',
    host: bracketed?.[1] ?? address ?? '',
    transmitted: sent ?? 0,
    received: received ?? 0,
    lossPercent: windowsLossPercent(lines, sent, received),
    replies: [],
  };
  if (address !== undefined) result.address = address;

  const rtt = indented[1];
  if (rtt !== undefined) {
    const [min, max, avg] = numbersAfterEquals(rtt);
    if (min !== undefined) result.rttMinMs = min;
    if (max !== undefined) result.rttMaxMs = max;
    if (avg !== undefined) result.rttAvgMs = avg;
  }

  const countsLine = lines.indexOf(counts);
  for (const line of lines.slice(headerIndex + 1, countsLine)) {
    const reply = windowsReply(line);
    if (reply) result.replies.push(reply);
  }
  return result;
}

function numbersAfterEquals(line: string): number[] {
  return [...line.matchAll(equalsNumber)].map((match) => Number(match[1]));
}

function windowsLossPercent(lines: string[], sent?: number, received?: number): number {
  for (const line of lines) {
    const percent = /\((\d+)\s*%/.exec(line);
    if (percent) return Number(percent[1]);
  }
  if (sent !== undefined && received !== undefined && sent > 0) {
    return Math.round(((sent - received) / sent) * 100);
  }
  return 100;
}

function findAddress(line: string): { text: string; index: number } | undefined {
  const v4 = ipv4.exec(line);
  if (v4) return { text: v4[0], index: v4.index };
  const v6 = ipv6.exec(line);
  if (!v6) return undefined;
  // "2a00:...::2003:" - the colon that ends the address is punctuation, not part of it.
  const text = v6[0].endsWith(':') && !v6[0].endsWith('::') ? v6[0].slice(0, -1) : v6[0];
  return { text, index: v6.index };
}

function firstAddress(line: string): string | undefined {
  return findAddress(line)?.text;
}

/**
 * A reply is an unindented line naming an address followed by ':' and carrying a time: a
 * number after '=' or '<' directly followed by a unit (ms, мс, ...). Lines with an address but no
 * time, such as "Destination host unreachable", are not replies.
 */
function windowsReply(line: string): PingReply | undefined {
  if (/^\s/.test(line)) return undefined;
  const address = findAddress(line);
  if (!address) return undefined;
  const from = address.text;
  const afterAddress = line.slice(address.index + from.length);
  const separator = /:\s/.exec(afterAddress);
  if (!separator) return undefined;
  const rest = afterAddress.slice(separator.index + 1);
  const time = /([=<])\s*(\d+)\s*(?:ms|мс|毫秒)/i.exec(rest);
  if (!time) return undefined;
  const reply: PingReply = { timeMs: time[1] === '<' ? 0 : Number(time[2]), from };
  if (time[1] === '<') reply.subMillisecond = true;
  const ttl = /TTL\s*=\s*(\d+)/i.exec(rest);
  if (ttl) reply.ttl = Number(ttl[1]);
  // The byte count is the unit-less "= N" that precedes the time.
  const beforeTime = rest.slice(0, time.index);
  const bytes = /=\s*(\d+)\s+\S/.exec(beforeTime) ?? /=\s*(\d+)\s*$/.exec(beforeTime);
  if (bytes) reply.bytes = Number(bytes[1]);
  return reply;
}
