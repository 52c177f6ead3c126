import { parseArgs } from 'node:util';
import type { DiscoveryResult, RankedCandidate } from '../../shared/discovery';
import type { Result } from '../../shared/result';
import type { Output } from '../output';
import { printError } from '../output';

export const discoverSchema = 'homeward.discover/1';

export const discoverUsage = `Usage: homeward discover [--json]

Looks for the travel router on this computer's local networks (at most 3 s): the default
gateway, hosts announcing SSH or HTTP over mDNS, the usual OpenWrt and GL.iNet addresses
inside the local subnets, and the first address of each subnet. Each is asked for its SSH
banner (port 22) and web page (port 80). Nothing outside the local subnets is contacted.

Exit status: 0 a router (OpenWrt or GL.iNet) was found, 1 none was, 2 error.`;

export interface DiscoverDeps {
  discover: () => Promise<Result<DiscoveryResult>>;
  output: Output;
}

function isRouter(candidate: RankedCandidate): boolean {
  return candidate.verdict === 'openwrt' || candidate.verdict === 'glinet';
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function formatDiscovery(result: DiscoveryResult): string {
  if (result.candidates.length === 0) {
    return 'No address to try: no local IPv4 network is up on this computer.';
  }
  const answered = result.candidates.filter((c) => c.score > 0);
  const silent = result.candidates.filter((c) => c.score === 0);
  const lines = [
    `Tried ${result.candidates.length} address${result.candidates.length === 1 ? '' : 'es'} in ${seconds(result.elapsedMs)}.`,
  ];
  if (answered.length === 0) lines.push('Nothing answered on port 22 or 80.');
  const width = Math.max(...answered.map((c) => c.address.length), 0);
  answered.forEach((c, i) => {
    lines.push(
      `${String(i + 1).padStart(2)}. ${c.address.padEnd(width)}  ${c.summary} [${c.interface}]`,
    );
  });
  if (silent.length > 0) {
    lines.push(`No answer from: ${silent.map((c) => `${c.address} [${c.interface}]`).join(', ')}`);
  }
  return lines.join('\n');
}

export async function runDiscover(args: string[], deps: DiscoverDeps): Promise<number> {
  let json: boolean;
  try {
    const { values } = parseArgs({
      args,
      strict: true,
      options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      deps.output.out(discoverUsage);
      return 0;
    }
    json = values.json ?? false;
  } catch (error) {
    deps.output.err(`homeward: ${(error as Error).message}\n${discoverUsage}`);
    return 2;
  }

  const result = await deps.discover();
  if (!result.ok) {
    printError(deps.output, json, discoverSchema, result.error);
    return 2;
  }
  deps.output.out(
    json
      ? JSON.stringify({ schema: discoverSchema, ...result.value }, null, 2)
      : formatDiscovery(result.value),
  );
  const best = result.value.candidates[0];
  return best && isRouter(best) ? 0 : 1;
}
