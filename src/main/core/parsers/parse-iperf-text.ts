import { toInteger, toNumber } from './text-lines';

export interface IperfTextLine {
  /** Stream id, or 'sum' for [SUM] lines (several parallel streams). */
  stream: number | 'sum';
  /** --bidir role tag: TX-C / RX-C on the client, TX-S / RX-S on the server. */
  role?: string;
  startS: number;
  endS: number;
  transferBytes: number;
  mbps: number;
  /** End-of-test summary lines say which side measured them. */
  summary?: 'sender' | 'receiver';
  retransmits?: number;
  /** UDP interval lines count datagrams where TCP prints retransmits. */
  datagrams?: number;
  jitterMs?: number;
  lostPackets?: number;
  packets?: number;
  lossPercent?: number;
}

const line =
  /^\[\s*(\d+|SUM)\](?:\[([A-Z]{2}-[A-Z])\])?\s+([\d.]+)-([\d.]+)\s+sec\s+([\d.]+)\s+([KMGT]?)Bytes\s+([\d.]+)\s+([KMGT]?)bits\/sec(.*)$/;

// iperf3 prints transfer sizes in powers of 1024 and rates in powers of 1000.
const byteScale: Record<string, number> = {
  '': 1,
  K: 1024,
  M: 1024 ** 2,
  G: 1024 ** 3,
  T: 1024 ** 4,
};
const bitScale: Record<string, number> = { '': 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/**
 * One line of iperf3's human-readable output (live with --forceflush on 3.12). Returns undefined
 * for headers, separators and anything else.
 */
export function parseIperfTextInterval(
  text: string,
  protocol: 'tcp' | 'udp' = 'tcp',
): IperfTextLine | undefined {
  const match = line.exec(text.trimEnd());
  if (!match) return undefined;
  const startS = toNumber(match[3]);
  const endS = toNumber(match[4]);
  const transfer = toNumber(match[5]);
  const rate = toNumber(match[7]);
  if (startS === undefined || endS === undefined || transfer === undefined || rate === undefined) {
    return undefined;
  }
  const result: IperfTextLine = {
    stream: match[1] === 'SUM' ? 'sum' : Number(match[1]),
    startS,
    endS,
    transferBytes: Math.round(transfer * (byteScale[match[6] ?? ''] ?? 1)),
    mbps: (rate * (bitScale[match[8] ?? ''] ?? 1)) / 1e6,
  };
  if (match[2] !== undefined) result.role = match[2];

  let rest = match[9] ?? '';
  const summary = /\s(sender|receiver)\s*$/.exec(rest);
  if (summary) {
    result.summary = summary[1] as 'sender' | 'receiver';
    rest = rest.slice(0, summary.index);
  }
  const udp = /([\d.]+) ms\s+(\d+)\/(\d+)\s+\(([\d.e+-]+)%\)/.exec(rest);
  if (udp) {
    result.jitterMs = Number(udp[1]);
    result.lostPackets = Number(udp[2]);
    result.packets = Number(udp[3]);
    const percent = toNumber(udp[4]);
    if (percent !== undefined) result.lossPercent = percent;
    return result;
  }
  const count = toInteger(rest.trim().split(/\s+/)[0]);
  if (count !== undefined) {
    if (protocol === 'udp') result.datagrams = count;
    else result.retransmits = count;
  }
  return result;
}
