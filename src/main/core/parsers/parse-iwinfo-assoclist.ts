import type { WifiStandard } from './parse-iwinfo';
import { splitLines, toInteger, toNumber } from './text-lines';

export interface IwinfoRate {
  /** undefined when iwinfo prints `unknown` (no frame sent or received yet at a known rate). */
  mbps?: number;
  mcs?: number;
  nss?: number;
  widthMhz?: number;
  standard?: WifiStandard;
  shortGi?: boolean;
  packets?: number;
}

export interface IwinfoStation {
  mac: string;
  signalDbm?: number;
  noiseDbm?: number;
  snrDb?: number;
  inactiveMs?: number;
  rx: IwinfoRate;
  tx: IwinfoRate;
  expectedThroughputMbps?: number;
}

/** `iwinfo <if> assoclist`. "No station connected" is an empty list, not an error. */
export function parseIwinfoAssoclist(text: string): IwinfoStation[] {
  const stations: IwinfoStation[] = [];
  let current: IwinfoStation | undefined;
  for (const line of splitLines(text)) {
    const head = /^([0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5})\s+(.*)$/.exec(line);
    if (head?.[1]) {
      current = { mac: head[1].toUpperCase(), rx: {}, tx: {} };
      const rest = head[2] ?? '';
      const signal = toInteger(/(-?\d+) dBm \//.exec(rest)?.[1]);
      if (signal !== undefined) current.signalDbm = signal;
      const noise = toInteger(/\/ (-?\d+) dBm/.exec(rest)?.[1]);
      if (noise !== undefined) current.noiseDbm = noise;
      const snr = toInteger(/\(SNR (-?\d+)\)/.exec(rest)?.[1]);
      if (snr !== undefined) current.snrDb = snr;
      const inactive = toInteger(/(\d+) ms ago/.exec(rest)?.[1]);
      if (inactive !== undefined) current.inactiveMs = inactive;
      stations.push(current);
      continue;
    }
    if (!current) continue;
    const rate = /^\s+(RX|TX):\s*(.*)$/.exec(line);
    if (rate) {
      current[rate[1] === 'RX' ? 'rx' : 'tx'] = parseRate(rate[2] ?? '');
      continue;
    }
    const expected = toNumber(/expected throughput:\s*([\d.]+)\s*MBit\/s/.exec(line)?.[1]);
    if (expected !== undefined) current.expectedThroughputMbps = expected;
  }
  return stations;
}

function parseRate(text: string): IwinfoRate {
  const rate: IwinfoRate = {};
  const packets = toInteger(/(\d+) Pkts\./.exec(text)?.[1]);
  if (packets !== undefined) rate.packets = packets;
  const mbps = toNumber(/^([\d.]+) MBit\/s/.exec(text)?.[1]);
  if (mbps !== undefined) rate.mbps = mbps;
  const mcs = /(?:(VHT|HE|EHT)-)?MCS (\d+)/.exec(text);
  if (mcs) {
    rate.mcs = Number(mcs[2]);
    rate.standard = (mcs[1]?.toLowerCase() as WifiStandard | undefined) ?? 'ht';
  }
  const nss = toInteger(/(?:VHT|HE|EHT)-NSS (\d+)/.exec(text)?.[1]);
  if (nss !== undefined) rate.nss = nss;
  const width = /(\d+)MHz/.exec(text)?.[1];
  if (width !== undefined) rate.widthMhz = Number(width);
  if (/short GI/.test(text)) rate.shortGi = true;
  return rate;
}
