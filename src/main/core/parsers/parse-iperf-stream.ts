import { finiteNumber, list, parseJsonText, record, string } from './json-fields';
import {
  iperfError,
  parseIntervalSum,
  summarizeIperf,
  type IperfInterval,
  type IperfResult,
} from './parse-iperf';
import { splitLines } from './text-lines';

export type IperfStreamEvent =
  | {
      kind: 'start';
      protocol?: 'tcp' | 'udp';
      reverse?: boolean;
      bidir?: boolean;
      version?: string;
    }
  | { kind: 'interval'; interval: IperfInterval; bidirReverse?: IperfInterval }
  | { kind: 'end' }
  | { kind: 'error'; message: string; busy?: boolean };

/** One line of `iperf3 --json-stream` (3.17+); undefined for blank or unrecognized lines. */
export function parseIperfStreamLine(line: string): IperfStreamEvent | undefined {
  const event = decode(line);
  if (!event) return undefined;
  const data = record(event.data);
  switch (event.name) {
    case 'start': {
      const testStart = record(data?.test_start);
      const start: IperfStreamEvent = { kind: 'start' };
      const protocol = string(testStart?.protocol)?.toLowerCase();
      if (protocol === 'tcp' || protocol === 'udp') start.protocol = protocol;
      const reverse = finiteNumber(testStart?.reverse);
      if (reverse !== undefined) start.reverse = reverse === 1;
      const bidir = finiteNumber(testStart?.bidir);
      if (bidir !== undefined) start.bidir = bidir === 1;
      const version = string(data?.version);
      if (version !== undefined) start.version = version;
      return start;
    }
    case 'interval': {
      const interval = parseIntervalSum(record(data?.sum));
      if (!interval) return undefined;
      const reverse = parseIntervalSum(record(data?.sum_bidir_reverse));
      return reverse
        ? { kind: 'interval', interval, bidirReverse: reverse }
        : { kind: 'interval', interval };
    }
    case 'end':
      return { kind: 'end' };
    case 'error':
      return iperfError(string(event.data) ?? 'iperf3 reported an error');
    default:
      return undefined;
  }
}

/** A whole --json-stream capture, summarized exactly like -J output. */
export function parseIperfJsonStream(text: string): IperfResult {
  let start: unknown;
  let end: unknown;
  let error: string | undefined;
  const intervals: unknown[] = [];
  for (const line of splitLines(text)) {
    const event = decode(line);
    if (!event) continue;
    if (event.name === 'start') start = event.data;
    else if (event.name === 'interval') intervals.push(event.data);
    else if (event.name === 'end') end = event.data;
    else if (event.name === 'error') error ??= string(event.data) ?? 'iperf3 reported an error';
  }
  if (error !== undefined) return iperfError(error);
  if (end === undefined)
    return { kind: 'error', message: 'iperf3 --json-stream ended without an end event' };
  return summarizeIperf(start, list(intervals), end);
}

function decode(line: string): { name: string; data: unknown } | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return undefined;
  const parsed = parseJsonText(trimmed);
  if (parsed.kind === 'error') return undefined;
  const event = record(parsed.value);
  const name = string(event?.event);
  return event && name !== undefined ? { name, data: event.data } : undefined;
}
