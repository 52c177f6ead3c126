import type { CandidateProbe, DiscoveryResult } from '../../shared/discovery';
import { appError } from '../../shared/errors';
import type { LocalNetwork } from '../../shared/model';
import type { Result } from '../../shared/result';
import { fail, ok } from '../../shared/result';
import { discoveryCandidates } from '../core/discovery/candidates';
import { rankCandidates } from '../core/discovery/rank';
import type { RawLocalNetwork } from '../core/local-network';
import { ResourceOwner } from '../adapters/network/owner';
import type { ProbeOptions, ProbeOutcome } from '../adapters/network/probe';
import { defaultProbeTimeoutMs, probeCandidate } from '../adapters/network/probe';

export const defaultDiscoveryBudgetMs = 3000;
/** Time kept back from the budget for aborting, closing sockets and ranking. */
const closingMarginMs = 50;

export interface DiscoverOptions {
  localNetwork: RawLocalNetwork | LocalNetwork;
  signal?: AbortSignal;
  /** Total wall time, probes and clean-up included. */
  budgetMs?: number;
  /** The probe; tests pass a fake. */
  probe?: (address: string, options: ProbeOptions) => Promise<ProbeOutcome>;
  /** Receives the run's owner, so tests can check it holds nothing at the end. */
  onOwner?: (owner: ResourceOwner) => void;
}

const timedOut: Pick<ProbeOutcome, 'ssh' | 'http'> = {
  ssh: { kind: 'failed', failure: 'timeout' },
  http: { kind: 'failed', failure: 'timeout' },
};

/**
 * Probes the candidate addresses of the local subnets concurrently and ranks what answered.
 * Finishes within `budgetMs`; every socket and timer is closed (handles gone from the event
 * loop) before it returns.
 */
export async function discoverRouters(options: DiscoverOptions): Promise<Result<DiscoveryResult>> {
  const budgetMs = options.budgetMs ?? defaultDiscoveryBudgetMs;
  if (!Number.isFinite(budgetMs) || budgetMs < 200 || budgetMs > 60_000) {
    return fail(
      appError(
        'invalid-request',
        `The discovery time budget must be 200 to 60000 ms, got ${budgetMs}.`,
        {
          field: 'budgetMs',
        },
      ),
    );
  }
  const cancelled = () => fail(appError('cancelled', 'Discovery was cancelled.'));
  if (options.signal?.aborted) return cancelled();

  const started = performance.now();
  const candidates = discoveryCandidates(options.localNetwork);
  const probe = options.probe ?? probeCandidate;
  const owner = new ResourceOwner();
  options.onOwner?.(owner);
  const run = new AbortController();
  const stop = (): void => run.abort();
  options.signal?.addEventListener('abort', stop, { once: true });
  const deadline = owner.setTimeout(stop, budgetMs - closingMarginMs);
  // Resolves when the run is stopped, so a probe that ignores its signal cannot hold us.
  const stopped = new Promise<void>((resolve) => {
    if (run.signal.aborted) resolve();
    else run.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  const timeoutMs = Math.min(defaultProbeTimeoutMs, budgetMs - closingMarginMs);

  try {
    const probes = await Promise.all(
      candidates.map(async (candidate): Promise<CandidateProbe> => {
        const probeStarted = performance.now();
        const outcome = await Promise.race([
          probe(candidate.address, { signal: run.signal, timeoutMs, owner }).catch(
            (): ProbeOutcome => ({
              ssh: { kind: 'failed', failure: 'error' },
              http: { kind: 'failed', failure: 'error' },
              elapsedMs: performance.now() - probeStarted,
            }),
          ),
          stopped.then((): ProbeOutcome => ({
            ...timedOut,
            elapsedMs: performance.now() - probeStarted,
          })),
        ]);
        return { candidate, ...outcome };
      }),
    );
    if (options.signal?.aborted) return cancelled();
    return ok({
      candidates: rankCandidates(probes),
      budgetMs,
      elapsedMs: Math.round(performance.now() - started),
    });
  } finally {
    owner.clearTimeout(deadline);
    run.abort();
    options.signal?.removeEventListener('abort', stop);
    await owner.close(closingMarginMs);
  }
}
