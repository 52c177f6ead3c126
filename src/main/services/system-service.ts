import type { LocalNetwork } from '../../shared/model';
import type { Result } from '../../shared/result';
import { fail, ok } from '../../shared/result';
import { appError } from '../../shared/errors';
import { summarizeLocalNetwork } from '../core/local-network';
import type { RawLocalNetwork } from '../core/local-network';

export function createSystemService(fetchLocalNetwork: () => Promise<RawLocalNetwork>) {
  return {
    async localNetwork(): Promise<Result<LocalNetwork>> {
      try {
        return ok(summarizeLocalNetwork(await fetchLocalNetwork()));
      } catch (error) {
        return fail(
          appError(
            'system-info-failed',
            `Could not read this computer's network settings: ${error instanceof Error ? error.message : String(error)}`,
          ),
        );
      }
    },
  };
}
