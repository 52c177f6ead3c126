import type { PathMtuFacts, ThroughputFacts, UdpFacts } from '../../core/doctor/facts';
import { discoverPathMtu, icmpPayloadForPacket } from '../../core/doctor/pmtu';
import type { ProbeOutcome } from '../../core/doctor/pmtu';
import { buildIperfArgs } from '../../core/parsers/iperf-args';
import { parseIperfJson } from '../../core/parsers/parse-iperf';
import { parseIperfTextInterval } from '../../core/parsers/parse-iperf-text';
import { buildPingArgs } from '../../core/parsers/ping-args';
import type { PingOs } from '../../core/parsers/ping-args';
import { parsePing } from '../../core/parsers/parse-ping';
import type { PingResult } from '../../core/parsers/parse-ping';
import type { ToolRunner } from './runners';

export function pingOutcome(result: PingResult): ProbeOutcome {
  if (result.kind === 'error') return { kind: 'silent' };
  if (result.localMessageTooLong) {
    return { kind: 'local-too-long', mtu: result.localMessageTooLong.mtu ?? 0 };
  }
  if (result.fragNeeded) return { kind: 'frag-needed', mtu: result.fragNeeded.mtu };
  return result.received > 0 ? { kind: 'ok' } : { kind: 'silent' };
}

export async function measurePathMtu(
  run: ToolRunner,
  os: PingOs,
  target: string,
  options: {
    ceiling: number;
    candidates?: number[];
    signal?: AbortSignal;
    /** The sending interface's MTU, when known: larger probes cannot leave, so none is sent. */
    interfaceMtu?: number;
  },
): Promise<PathMtuFacts> {
  let missing: string | undefined;
  const probe = async (size: number): Promise<ProbeOutcome> => {
    // ping would wait its whole timeout after the local "message too long"; answer for it.
    if (options.interfaceMtu !== undefined && size > options.interfaceMtu) {
      return { kind: 'local-too-long', mtu: options.interfaceMtu };
    }
    const argv = buildPingArgs(os, {
      host: target,
      count: 1,
      timeoutS: 1,
      payloadBytes: icmpPayloadForPacket(size),
      dontFragment: true,
    });
    const out = await run(argv, {
      timeoutMs: 5000,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (
      out.failure?.kind === 'tool-missing' ||
      /invalid option|unrecognized option/.test(out.stderr)
    ) {
      missing =
        out.failure?.fix ?? 'Install iputils-ping (ping with -M do) on the router for DF probes.';
      throw new Error('ping-missing');
    }
    if (out.failure?.kind === 'cancelled') throw new Error('cancelled');
    return pingOutcome(parsePing(os, `${out.stdout}\n${out.stderr}`));
  };
  try {
    const search = await discoverPathMtu(probe, {
      ceiling: options.ceiling,
      ...(options.candidates ? { candidates: options.candidates } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { kind: 'measured', target, search };
  } catch (error) {
    if (missing) return { kind: 'skipped', reason: missing };
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
}

export interface LiveInterval {
  second: number;
  mbps: number;
}

export async function measureTcp(
  run: ToolRunner,
  options: {
    host: string;
    port: number;
    durationS: number;
    reverse: boolean;
    signal?: AbortSignal;
    onInterval?: (interval: LiveInterval) => void;
  },
): Promise<
  | { kind: 'ok'; mbps: number; retransmits?: number }
  | { kind: 'error'; message: string; busy?: boolean }
> {
  const argv = buildIperfArgs({
    host: options.host,
    port: options.port,
    durationS: options.durationS,
    reverse: options.reverse,
    forceflush: true,
    congestion: 'cubic',
    connectTimeoutMs: 3000,
  });
  let receiver: number | undefined;
  let retransmits: number | undefined;
  const out = await run(argv, {
    timeoutMs: (options.durationS + 15) * 1000,
    ...(options.signal ? { signal: options.signal } : {}),
    onLine: (text) => {
      const line = parseIperfTextInterval(text, 'tcp');
      if (!line || line.role !== undefined) return;
      if (line.summary === 'receiver') receiver = line.mbps;
      else if (line.summary === 'sender') retransmits = line.retransmits;
      else options.onInterval?.({ second: line.endS, mbps: line.mbps });
    },
  });
  if (out.failure && out.failure.kind !== 'tool-failed')
    return { kind: 'error', message: out.failure.message };
  if (receiver === undefined) {
    const text = `${out.stdout}\n${out.stderr}`;
    const error =
      /iperf3: error - (.*)/.exec(text)?.[1]?.trim() ??
      (text.trim().split('\n').pop() || 'iperf3 gave no result');
    return { kind: 'error', message: error, ...(/busy/.test(error) ? { busy: true } : {}) };
  }
  return { kind: 'ok', mbps: receiver, ...(retransmits !== undefined ? { retransmits } : {}) };
}

/** Downstream (the VR direction) first, then upstream; a busy server is retried once. */
export async function measureSegment(
  run: ToolRunner,
  options: {
    host: string;
    port: number;
    durationS: number;
    /** The travel side runs the client, so -R makes home (or the router) send: downstream. */
    signal?: AbortSignal;
    onInterval?: (direction: 'down' | 'up', interval: LiveInterval) => void;
  },
): Promise<ThroughputFacts> {
  const once = async (reverse: boolean) => {
    const request = {
      host: options.host,
      port: options.port,
      durationS: options.durationS,
      reverse,
      ...(options.signal ? { signal: options.signal } : {}),
      onInterval: (i: LiveInterval) => options.onInterval?.(reverse ? 'down' : 'up', i),
    };
    let result = await measureTcp(run, request);
    if (result.kind === 'error' && result.busy) {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      result = await measureTcp(run, request);
    }
    return result;
  };
  const down = await once(true);
  if (down.kind === 'error') return { kind: 'error', message: `downstream: ${down.message}` };
  if (options.signal?.aborted) return { kind: 'error', message: 'cancelled' };
  const up = await once(false);
  return {
    kind: 'measured',
    downMbps: down.mbps,
    ...(down.retransmits !== undefined ? { downRetransmits: down.retransmits } : {}),
    ...(up.kind === 'ok' ? { upMbps: up.mbps } : {}),
    ...(up.kind === 'ok' && up.retransmits !== undefined ? { upRetransmits: up.retransmits } : {}),
  };
}

export async function measureUdp(
  run: ToolRunner,
  options: {
    host: string;
    port: number;
    durationS: number;
    mbps: number;
    packetBytes: number;
    signal?: AbortSignal;
  },
): Promise<UdpFacts> {
  const argv = buildIperfArgs({
    host: options.host,
    port: options.port,
    durationS: options.durationS,
    reverse: true,
    udp: true,
    bitrateMbps: options.mbps,
    lengthBytes: options.packetBytes,
    json: true,
    connectTimeoutMs: 3000,
  });
  const out = await run(argv, {
    timeoutMs: (options.durationS + 15) * 1000,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (out.failure && out.failure.kind !== 'tool-failed')
    return { kind: 'error', message: out.failure.message };
  const parsed = parseIperfJson(out.stdout);
  if (parsed.kind === 'error') return { kind: 'error', message: parsed.message };
  return {
    kind: 'measured',
    offeredMbps: options.mbps,
    receivedMbps: parsed.receivedMbps,
    lossPercent: parsed.lossPercent ?? 0,
    jitterMs: parsed.jitterMs ?? 0,
    packetBytes: options.packetBytes,
  };
}

export async function measureRtt(
  run: ToolRunner,
  os: PingOs,
  host: string,
  options: { count: number; intervalS: number; signal?: AbortSignal },
): Promise<{ avgMs?: number; lossPercent?: number }> {
  const argv = buildPingArgs(os, {
    host,
    count: options.count,
    intervalS: options.intervalS,
    timeoutS: 1,
  });
  const out = await run(argv, {
    timeoutMs: (options.count * options.intervalS + 5) * 1000,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const parsed = parsePing(os, `${out.stdout}\n${out.stderr}`);
  if (parsed.kind === 'error') return {};
  return {
    ...(parsed.rttAvgMs !== undefined ? { avgMs: parsed.rttAvgMs } : {}),
    lossPercent: parsed.lossPercent,
  };
}
