import type { CheckId, DoctorReport } from '../../../shared/doctor';
import type { RunSummary, StoredRun } from '../../../shared/history';

export type { RunSummary, StoredRun } from '../../../shared/history';

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function checkNumber(report: DoctorReport, id: CheckId, field: string): number | undefined {
  const check = report.checks.find((c) => c.id === id);
  return check ? finite(check.data[field]) : undefined;
}

/** ISO 8601 in UTC when the text is a date, so stored timestamps sort as text; else unchanged. */
export function normalizeTimestamp(text: string): string {
  const time = Date.parse(text);
  return Number.isNaN(time) ? text : new Date(time).toISOString();
}

export function summarizeRun(run: StoredRun): RunSummary {
  const { report } = run;
  const summary: RunSummary = {
    id: run.id,
    startedAt: normalizeTimestamp(report.startedAt),
    durationMs: finite(report.durationMs) ?? 0,
    routerHost: report.router.host,
    vrReady: report.verdict.vrReady,
    targetMbps: finite(report.verdict.targetMbps) ?? 0,
    downMbps: {},
  };
  if (report.router.hostname !== undefined) summary.routerHostname = report.router.hostname;
  if (run.location !== undefined) summary.location = run.location;
  if (report.verdict.limitingSegment) summary.limitingSegment = report.verdict.limitingSegment;
  const lan = checkNumber(report, 'throughput.lan', 'downMbps');
  const tunnel = checkNumber(report, 'throughput.tunnel', 'downMbps');
  const e2e = checkNumber(report, 'throughput.e2e', 'downMbps');
  if (lan !== undefined) summary.downMbps.lan = lan;
  if (tunnel !== undefined) summary.downMbps.tunnel = tunnel;
  if (e2e !== undefined) summary.downMbps.e2e = e2e;
  const loaded = checkNumber(report, 'latency.loaded', 'loadedMs');
  if (loaded !== undefined) summary.loadedLatencyMs = loaded;
  const loss = checkNumber(report, 'udp.vr', 'lossPercent');
  if (loss !== undefined) summary.lossPercent = loss;
  return summary;
}
