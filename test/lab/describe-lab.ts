import { describe } from 'vitest';
import { labUnavailableReason } from './index';

/**
 * describe() for lab tests: outside CI a machine that cannot run the lab skips them and says why;
 * in CI (CI=true) they run, so startLab fails with the reason instead of passing silently.
 */
export function describeLab(name: string, fn: () => void): void {
  const reason = labUnavailableReason();
  const skip = reason !== undefined && process.env['CI'] !== 'true';
  describe.skipIf(skip)(skip ? `${name} (skipped: ${reason})` : name, fn);
}
