import { finiteNumber, firstJsonObject, list, parseJsonText, record, string } from './json-fields';

export interface IperfInterval {
  startS: number;
  endS: number;
  mbps: number;
  omitted?: boolean;
}

export interface IperfDirection {
  /** The sender's rate. */
  sentMbps: number;
  /** The receiver's rate: what actually arrived. */
  receivedMbps: number;
  retransmits?: number;
  jitterMs?: number;
  lossPercent?: number;
  lostPackets?: number;
  packets?: number;
  intervals: IperfInterval[];
}

export interface IperfOk extends IperfDirection {
  kind: 'ok';
  protocol: 'tcp' | 'udp';
  /** true with -R: the server sent, the client received. */
  reverse: boolean;
  version?: string;
  durationS?: number;
  cpuLocalPercent?: number;
  cpuRemotePercent?: number;
  senderCongestion?: string;
  /** With --bidir: the server-to-client half (the forward half is the top level). */
  bidirReverse?: IperfDirection;
}

export type IperfResult = IperfOk | { kind: 'error'; message: string; busy?: boolean };

/** `iperf3 -J` output. Takes the first object when 3.17 prints it twice. */
export function parseIperfJson(text: string): IperfResult {
  const objectText = firstJsonObject(text);
  if (objectText === undefined) return { kind: 'error', message: describeNonJson(text) };
  const parsed = parseJsonText(objectText);
  if (parsed.kind === 'error') return { kind: 'error', message: parsed.message };
  const root = record(parsed.value);
  if (!root) return { kind: 'error', message: 'iperf3 output is not a JSON object' };
  return summarizeIperf(root.start, list(root.intervals), root.end, root.error);
}

export function iperfError(message: string): { kind: 'error'; message: string; busy?: boolean } {
  return /busy/i.test(message)
    ? { kind: 'error', message, busy: true }
    : { kind: 'error', message };
}

/** Shared by -J and --json-stream: both carry the same start / intervals / end objects. */
export function summarizeIperf(
  startValue: unknown,
  intervalValues: unknown[],
  endValue: unknown,
  errorValue?: unknown,
): IperfResult {
  const error = string(errorValue);
  if (error !== undefined) return iperfError(error);
  const start = record(startValue);
  const end = record(endValue);
  const testStart = record(start?.test_start);
  const sent = record(end?.sum_sent);
  const received = record(end?.sum_received);
  const sentBps = finiteNumber(sent?.bits_per_second);
  const receivedBps = finiteNumber(received?.bits_per_second);
  if (!end || sentBps === undefined || receivedBps === undefined) {
    return { kind: 'error', message: 'iperf3 output has no end.sum_sent / end.sum_received' };
  }
  const udp =
    string(testStart?.protocol)?.toUpperCase() === 'UDP' ||
    (testStart === undefined && finiteNumber(received?.jitter_ms) !== undefined);
  const result: IperfOk = {
    kind: 'ok',
    protocol: udp ? 'udp' : 'tcp',
    reverse: finiteNumber(testStart?.reverse) === 1,
    ...direction(sent, received, intervalValues, 'sum'),
  };
  const version = string(start?.version);
  if (version !== undefined) result.version = version;
  const duration = finiteNumber(testStart?.duration);
  if (duration !== undefined) result.durationS = duration;
  const cpu = record(end.cpu_utilization_percent);
  const local = finiteNumber(cpu?.host_total);
  if (local !== undefined) result.cpuLocalPercent = local;
  const remote = finiteNumber(cpu?.remote_total);
  if (remote !== undefined) result.cpuRemotePercent = remote;
  const congestion = string(end.sender_tcp_congestion);
  if (congestion !== undefined) result.senderCongestion = congestion;

  const reverseSent = record(end.sum_sent_bidir_reverse);
  const reverseReceived = record(end.sum_received_bidir_reverse);
  if (reverseSent && reverseReceived) {
    result.bidirReverse = direction(
      reverseSent,
      reverseReceived,
      intervalValues,
      'sum_bidir_reverse',
    );
  }
  return result;
}

function direction(
  sent: Record<string, unknown> | undefined,
  received: Record<string, unknown> | undefined,
  intervalValues: unknown[],
  sumKey: 'sum' | 'sum_bidir_reverse',
): IperfDirection {
  const result: IperfDirection = {
    sentMbps: toMbps(finiteNumber(sent?.bits_per_second)),
    receivedMbps: toMbps(finiteNumber(received?.bits_per_second)),
    intervals: intervalValues.flatMap((value) => {
      const interval = parseIntervalSum(record(record(value)?.[sumKey]));
      return interval ? [interval] : [];
    }),
  };
  const retransmits = finiteNumber(sent?.retransmits);
  if (retransmits !== undefined) result.retransmits = retransmits;
  // For UDP only the receiver's side knows about jitter and loss.
  const jitter = finiteNumber(received?.jitter_ms);
  if (jitter !== undefined) result.jitterMs = jitter;
  const loss = finiteNumber(received?.lost_percent);
  if (loss !== undefined) result.lossPercent = loss;
  const lost = finiteNumber(received?.lost_packets);
  if (lost !== undefined) result.lostPackets = lost;
  const packets = finiteNumber(received?.packets);
  if (packets !== undefined) result.packets = packets;
  return result;
}

export function parseIntervalSum(
  sum: Record<string, unknown> | undefined,
): IperfInterval | undefined {
  const startS = finiteNumber(sum?.start);
  const endS = finiteNumber(sum?.end);
  const bps = finiteNumber(sum?.bits_per_second);
  if (startS === undefined || endS === undefined || bps === undefined) return undefined;
  const interval: IperfInterval = { startS, endS, mbps: toMbps(bps) };
  if (sum?.omitted === true) interval.omitted = true;
  return interval;
}

function toMbps(bitsPerSecond: number | undefined): number {
  return bitsPerSecond === undefined ? 0 : bitsPerSecond / 1e6;
}

function describeNonJson(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return 'iperf3 printed nothing';
  // Without -J (or before JSON starts) iperf3 prints "iperf3: error - ...".
  const error = /iperf3: error - (.+)/.exec(trimmed)?.[1];
  return error ?? `iperf3 output is not JSON: ${trimmed.slice(0, 200)}`;
}
