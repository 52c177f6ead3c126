import type { CheckResult, DoctorProgress, DoctorReport } from '../../shared/doctor';
import { doctorSchema } from '../../shared/doctor';
import type { AppError } from '../../shared/errors';
import type { Result } from '../../shared/result';
import type { Output } from '../output';
import { doctorUsage, parseDoctorArgs } from './doctor-args';
import { fixCommandLine } from './fix';
import type { DoctorCliOptions } from './doctor-args';

export interface DoctorCliDeps {
  output: Output;
  run(
    options: DoctorCliOptions,
    onProgress: (p: DoctorProgress) => void,
    signal: AbortSignal,
  ): Promise<Result<DoctorReport, AppError>>;
  /** Stores the run; returns its id, or an error message that must not hide the report. */
  save?(report: DoctorReport): Promise<{ id?: number; error?: string }>;
  signal: AbortSignal;
  /** Whether live progress may redraw a line (a terminal). */
  interactive: boolean;
}

const statusMark: Record<CheckResult['status'], string> = {
  pass: 'PASS',
  warn: 'WARN',
  fail: 'FAIL',
  skip: 'SKIP',
  error: 'ERR ',
};

export function formatReport(report: DoctorReport): string {
  const lines: string[] = [];
  const r = report.router;
  lines.push(
    `Router ${r.hostname ?? r.host}${r.model ? ` (${r.model})` : ''}${r.release ? `, ${r.release}` : ''}`,
  );
  const v = report.verdict;
  lines.push('');
  lines.push(
    v.vrReady
      ? `Verdict: VR-ready at ${v.targetMbps} Mbps.`
      : `Verdict: not VR-ready at ${v.targetMbps} Mbps${v.limitingSegment ? `; the limit is the ${v.limitingSegment} segment` : ''}.`,
  );
  for (const f of v.findings) {
    lines.push(`  [${f.severity}] ${f.id}: ${f.cause}`);
    lines.push(`      Fix: ${f.fix}`);
    if (f.remedy)
      lines.push(`      Homeward can apply it: ${fixCommandLine(f.remedy, report.router.host)}`);
  }
  lines.push(`(${(report.durationMs / 1000).toFixed(1)} s)`);
  return lines.join('\n');
}

export async function runDoctorCommand(args: string[], deps: DoctorCliDeps): Promise<number> {
  const parsed = parseDoctorArgs(args);
  if (parsed === 'help') {
    deps.output.out(doctorUsage);
    return 0;
  }
  const { json } = parsed;
  let liveLine = false;
  const clearLive = () => {
    if (liveLine) deps.output.err('\r\x1b[2K');
    liveLine = false;
  };
  const onProgress = (p: DoctorProgress) => {
    if (json) return;
    if (p.kind === 'check-finished') {
      clearLive();
      deps.output.out(
        `${statusMark[p.result.status]}  ${p.result.id.padEnd(20)} ${p.result.summary}`,
      );
    } else if (p.kind === 'throughput' && deps.interactive) {
      liveLine = true;
      process.stderr.write(
        `\r\x1b[2K      ${p.id} ${p.direction === 'down' ? 'down' : 'up  '} ${p.second.toFixed(0).padStart(3)} s  ${p.mbps.toFixed(1)} Mbps`,
      );
    } else if (p.kind === 'note') {
      clearLive();
      deps.output.out(`      ${p.message}`);
    }
  };
  const result = await deps.run(parsed, onProgress, deps.signal);
  clearLive();
  if (!result.ok) {
    if (json)
      deps.output.out(JSON.stringify({ schema: doctorSchema, error: result.error }, null, 2));
    else
      deps.output.err(
        `homeward: ${result.error.message}${result.error.fix ? `\n  Fix: ${result.error.fix}` : ''}`,
      );
    return 2;
  }
  const report = result.value;
  let saveNote: string | undefined;
  if (parsed.request.saveHistory && deps.save) {
    const saved = await deps.save(report);
    if (saved.error) saveNote = `Not saved to history: ${saved.error}`;
  }
  if (json) deps.output.out(JSON.stringify(report, null, 2));
  else deps.output.out(`\n${formatReport(report)}`);
  if (saveNote) deps.output.err(`homeward: ${saveNote}`);
  return report.verdict.vrReady ? 0 : 1;
}
