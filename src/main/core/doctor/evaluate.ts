import { checkIds, type CheckId, type CheckResult, type Verdict } from '../../../shared/doctor';
import { runChecks } from './checks';
import { diagnose, verdict } from './diagnose';
import type { DoctorFacts } from './facts';

export interface DoctorEvaluation {
  checks: CheckResult[];
  verdict: Verdict;
}

/** Everything the doctor concludes from one snapshot: the checks, the findings, the verdict. */
export function evaluateDoctor(
  facts: DoctorFacts,
  ids: readonly CheckId[] = checkIds,
): DoctorEvaluation {
  const checks = runChecks(facts, ids);
  return { checks, verdict: verdict(facts, checks, diagnose(facts, checks)) };
}
