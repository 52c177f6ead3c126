import type { CandidateProbe, DiscoveryResult } from '../../shared/discovery';
import { appError } from '../../shared/errors';
import type { LocalNetwork } from '../../shared/model';
import type { Result } from '../../shared/result';
import { fail, ok } from '../../shared/result';
import { discoveryCandidates, formatIpv4, localSubnets } from '../core/discovery/candidates';
import { mdnsFindings } from '../core/discovery/mdns';
import { rankCandidates } from '../core/discovery/rank';
import type { RawLocalNetwork } from '../core/local-network';
import { ResourceOwner } from '../adapters/network/owner';
import type { MdnsAnswer, MdnsQueryOptions } from '../adapters/network/mdns';
import { queryMdns } from '../adapters/network/mdns';
import type { ProbeOptions, ProbeOutcome } from '../adapters/network/probe';
import { defaultProbeTimeoutMs, probeCandidate } from '../adapters/network/probe';

export const defaultDiscoveryBudgetMs = 3000;
/** Time kept back from the budget for aborting, closing sockets and ranking. */
const closingMarginMs = 50;
/** How long mDNS answers are awaited; hosts found only this way are probed afterwards. */
const mdnsWindowMs = 700;

export interface DiscoverOptions {
  localNetwork: RawLocalNetwork | LocalNetwork;
  signal?: AbortSignal;
  /** Total wall time, probes and clean-up included. */
  budgetMs?: number;
  /** The probe; tests pass a fake. */
  probe?: (address: string, options: ProbeOptions) => Promise<ProbeOutcome>;
  /** The mDNS query; tests pass a fake (multicast only ever goes out in lab namespaces). */
  mdns?: (options: MdnsQueryOptions) => Promise<MdnsAnswer[]>;
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
  const staticCandidates = discoveryCandidates(options.localNetwork);
  const probe = options.probe ?? probeCandidate;
  const mdns = options.mdns ?? queryMdns;
  const owner = new ResourceOwner();
  options.onOwner?.(owner);
  const run = new AbortController();
  const stop = (): void => run.abort();
  options.signal?.addEventListener('abort', stop, { once: true });
  const deadlineMs = budgetMs - closingMarginMs;
  const deadline = owner.setTimeout(stop, deadlineMs);
  // Resolves when the run is stopped, so a probe that ignores its signal cannot hold us.
  const stopped = new Promise<void>((resolve) => {
    if (run.signal.aborted) resolve();
    else run.signal.addEventListener('abort', () => resolve(), { once: true });
  });

  const probeOne = async (address: string, timeoutMs: number): Promise<ProbeOutcome> => {
    const probeStarted = performance.now();
    const elapsed = (): number => performance.now() - probeStarted;
    if (timeoutMs <= 0 || run.signal.aborted) return { ...timedOut, elapsedMs: 0 };
    return Promise.race([
      probe(address, { signal: run.signal, timeoutMs, owner }).catch((): ProbeOutcome => ({
        ssh: { kind: 'failed', failure: 'error' },
        http: { kind: 'failed', failure: 'error' },
        elapsedMs: elapsed(),
      })),
      stopped.then((): ProbeOutcome => ({ ...timedOut, elapsedMs: elapsed() })),
    ]);
  };

  try {
    const outcomes = new Map<string, Promise<ProbeOutcome>>();
    const firstTimeout = Math.min(defaultProbeTimeoutMs, deadlineMs);
    for (const candidate of staticCandidates) {
      outcomes.set(candidate.address, probeOne(candidate.address, firstTimeout));
    }
    // mDNS runs alongside the first probes, on the same interfaces the candidates came from.
    // A /32 (a WireGuard address, say) has no link neighbours to answer.
    const interfaceAddresses = localSubnets(options.localNetwork)
      .filter((s) => s.prefix < 32)
      .map((s) => formatIpv4(s.address));
    const answers = await Promise.race([
      mdns({
        interfaceAddresses,
        timeoutMs: Math.min(mdnsWindowMs, Math.floor(deadlineMs / 3)),
        owner,
        signal: run.signal,
      }).catch((): MdnsAnswer[] => []),
      stopped.then((): MdnsAnswer[] => []),
    ]);
    const candidates = discoveryCandidates(options.localNetwork, mdnsFindings(answers));
    for (const candidate of candidates) {
      if (outcomes.has(candidate.address)) continue;
      const remaining = deadlineMs - (performance.now() - started);
      outcomes.set(
        candidate.address,
        probeOne(candidate.address, Math.min(defaultProbeTimeoutMs, Math.floor(remaining))),
      );
    }
    const probes = await Promise.all(
      candidates.map(async (candidate): Promise<CandidateProbe> => ({
        candidate,
        ...(await (outcomes.get(candidate.address) ?? probeOne(candidate.address, 0))),
      })),
    );
    // A static candidate the mDNS pass pushed past the cap is still reported.
    for (const candidate of staticCandidates) {
      if (candidates.some((c) => c.address === candidate.address)) continue;
      const outcome = await (outcomes.get(candidate.address) ?? probeOne(candidate.address, 0));
      probes.push({ candidate, ...outcome });
    }
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
