import { splitLines } from './text-lines';

/** Tick counters of one `cpu` line of /proc/stat (USER_HZ units). */
export interface CpuTimes {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
}

export type ProcStatResult =
  { kind: 'ok'; total: CpuTimes; cores: CpuTimes[] } | { kind: 'error'; message: string };

export function parseProcStat(text: string): ProcStatResult {
  let total: CpuTimes | undefined;
  const cores: CpuTimes[] = [];
  for (const line of splitLines(text)) {
    const match = /^cpu(\d*)\s+(.*)$/.exec(line);
    if (!match) continue;
    const times = toTimes(match[2] ?? '');
    if (!times) return { kind: 'error', message: `unreadable /proc/stat line: ${line}` };
    if (match[1] === '') total = times;
    else cores[Number(match[1])] = times;
  }
  if (!total) return { kind: 'error', message: 'no aggregate cpu line in /proc/stat' };
  // A hot-unplugged core leaves a hole in the numbering; keep indexes equal to cpuN.
  return { kind: 'ok', total, cores: Array.from(cores, (core) => core ?? emptyTimes()) };
}

function toTimes(fields: string): CpuTimes | undefined {
  // guest and guest_nice are already counted in user and nice, so they are not read.
  const values = fields.trim().split(/\s+/).slice(0, 8).map(Number);
  if (values.length < 4 || values.some((value) => !Number.isFinite(value) || value < 0))
    return undefined;
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] =
    values;
  return { user, nice, system, idle, iowait, irq, softirq, steal };
}

function emptyTimes(): CpuTimes {
  return { user: 0, nice: 0, system: 0, idle: 0, iowait: 0, irq: 0, softirq: 0, steal: 0 };
}

function busyAndTotal(times: CpuTimes): { busy: number; total: number } {
  const total =
    times.user +
    times.nice +
    times.system +
    times.idle +
    times.iowait +
    times.irq +
    times.softirq +
    times.steal;
  return { busy: total - times.idle - times.iowait, total };
}

function percent(before: CpuTimes | undefined, after: CpuTimes | undefined): number | undefined {
  if (!before || !after) return undefined;
  const a = busyAndTotal(before);
  const b = busyAndTotal(after);
  const elapsed = b.total - a.total;
  // No ticks elapsed, or counters went backwards (a reboot between samples): no honest figure.
  if (elapsed <= 0 || b.busy < a.busy) return undefined;
  return Math.min(100, Math.max(0, ((b.busy - a.busy) / elapsed) * 100));
}

export interface CpuBusy {
  totalPercent?: number;
  /** Indexed like cpuN; undefined where a core has no usable sample. */
  corePercents: (number | undefined)[];
  busiestCorePercent?: number;
}

/** Busy share between two samples, overall and per core (busy = all but idle and iowait). */
export function cpuBusyPercent(
  before: { total: CpuTimes; cores: CpuTimes[] },
  after: { total: CpuTimes; cores: CpuTimes[] },
): CpuBusy {
  const count = Math.max(before.cores.length, after.cores.length);
  const corePercents = Array.from({ length: count }, (_, index) =>
    percent(before.cores[index], after.cores[index]),
  );
  const result: CpuBusy = { corePercents };
  const total = percent(before.total, after.total);
  if (total !== undefined) result.totalPercent = total;
  const known = corePercents.filter((value): value is number => value !== undefined);
  if (known.length > 0) result.busiestCorePercent = Math.max(...known);
  return result;
}
