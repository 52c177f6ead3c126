import { splitLines, toInteger, toNumber } from './text-lines';

export interface TracepathHop {
  ttl: number;
  host?: string;
  rttMs?: number;
  /** A pmtu printed on this line: the MTU dropped at this hop. */
  pmtu?: number;
  noReply?: boolean;
  reached?: boolean;
  asymm?: number;
}

export interface TracepathOk {
  kind: 'ok';
  /** Path MTU: the Resume/"Too many hops" figure, else the last one printed. */
  pmtu?: number;
  /** The MTU tracepath started with (the first `1?: [LOCALHOST] pmtu N`). */
  localPmtu?: number;
  hops: TracepathHop[];
  reached: boolean;
  hopsToTarget?: number;
  hopsBack?: number;
}

export type TracepathResult = TracepathOk | { kind: 'error'; message: string };

export function parseTracepath(text: string): TracepathResult {
  const result: TracepathOk = { kind: 'ok', hops: [], reached: false };
  let lastPmtu: number | undefined;
  let summaryPmtu: number | undefined;
  for (const line of splitLines(text)) {
    const local = /^\s*\d+\?:\s*\[LOCALHOST\]\s+pmtu (\d+)/.exec(line);
    if (local) {
      const pmtu = Number(local[1]);
      result.localPmtu ??= pmtu;
      lastPmtu = pmtu;
      continue;
    }
    const summary = /^\s+(?:Resume|Too many hops): pmtu (\d+)(?: hops (\d+))?(?: back (\d+))?/.exec(
      line,
    );
    if (summary) {
      summaryPmtu = Number(summary[1]);
      const hops = toInteger(summary[2]);
      if (hops !== undefined) result.hopsToTarget = hops;
      const back = toInteger(summary[3]);
      if (back !== undefined) result.hopsBack = back;
      continue;
    }
    const hop = /^\s*(\d+):\s+(.*?)\s*$/.exec(line);
    if (!hop) continue;
    const parsed = parseHop(Number(hop[1]), hop[2] ?? '');
    if (parsed.pmtu !== undefined) lastPmtu = parsed.pmtu;
    if (parsed.reached) result.reached = true;
    result.hops.push(parsed);
  }
  if (result.hops.length === 0 && lastPmtu === undefined) {
    return {
      kind: 'error',
      message: text.trim() === '' ? 'tracepath printed nothing' : text.trim().slice(0, 200),
    };
  }
  const pmtu = summaryPmtu ?? lastPmtu;
  if (pmtu !== undefined) result.pmtu = pmtu;
  return result;
}

function parseHop(ttl: number, rest: string): TracepathHop {
  if (/^no reply$/.test(rest)) return { ttl, noReply: true };
  const hop: TracepathHop = { ttl };
  const host = /^(\S+)/.exec(rest)?.[1];
  if (host !== undefined) hop.host = host;
  const rtt = toNumber(/([\d.]+)ms/.exec(rest)?.[1]);
  if (rtt !== undefined) hop.rttMs = rtt;
  const pmtu = toInteger(/pmtu (\d+)/.exec(rest)?.[1]);
  if (pmtu !== undefined) hop.pmtu = pmtu;
  const asymm = toInteger(/asymm\s+(\d+)/.exec(rest)?.[1]);
  if (asymm !== undefined) hop.asymm = asymm;
  if (/\breached\b/.test(rest)) hop.reached = true;
  return hop;
}
