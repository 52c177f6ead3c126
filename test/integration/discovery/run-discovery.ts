// Runs discoverRouters inside a lab network namespace and prints one JSON object on stdout.
// usage: ip netns exec NS node --import tsx run-discovery.ts NS [BUDGET_MS]
// The local network comes from this namespace's own `ip -j addr` / `ip -j route`, never from the
// host. It refuses to run anywhere but the namespace named on its command line.
import { execFileSync } from 'node:child_process';
import type { ResourceOwner } from '../../../src/main/adapters/network/owner';
import { localNetworkFromIp } from '../../../src/main/core/discovery/ip-local-network';
import { discoverRouters } from '../../../src/main/services/discovery-service';

const [expectedNs, budgetArg] = process.argv.slice(2);
const here = execFileSync('ip', ['netns', 'identify', String(process.pid)], { encoding: 'utf8' })
  .trim()
  .split(/\s+/);
if (!expectedNs || !here.includes(expectedNs)) {
  process.stderr.write(`refusing to run: not inside namespace ${expectedNs ?? '(none given)'}\n`);
  process.exit(3);
}

const built = localNetworkFromIp(
  execFileSync('ip', ['-j', 'addr', 'show'], { encoding: 'utf8' }),
  execFileSync('ip', ['-j', 'route', 'show'], { encoding: 'utf8' }),
);
if (built.kind === 'error') {
  process.stderr.write(`${built.message}\n`);
  process.exit(4);
}

let owner: ResourceOwner | undefined;
const started = performance.now();
const result = await discoverRouters({
  localNetwork: built.network,
  ...(budgetArg ? { budgetMs: Number(budgetArg) } : {}),
  onOwner: (o) => (owner = o),
});
const wallMs = performance.now() - started;
// discoverRouters waits for its sockets' handles to close: nothing of it may be left now.
const handles = process
  .getActiveResourcesInfo()
  .filter((r) => r === 'TCPSocketWrap' || r === 'UDPWrap' || r === 'Timeout');

// Exit explicitly: a leaked handle must show up in `handles`, not as a script that never ends.
process.stdout.write(
  `${JSON.stringify({ localNetwork: built.network, result, wallMs, ownerSize: owner?.size, handles })}\n`,
  () => process.exit(0),
);
