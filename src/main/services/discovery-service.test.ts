import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalNetwork } from '../../shared/model';
import type { ResourceOwner } from '../adapters/network/owner';
import type { MdnsAnswer, MdnsQueryOptions } from '../adapters/network/mdns';
import type { ProbeOptions, ProbeOutcome } from '../adapters/network/probe';
import { fixture } from '../../../test/fixtures/read-fixture';
import type { DiscoverOptions } from './discovery-service';
import { discoverRouters as discoverRoutersWithMdns } from './discovery-service';

// The probe and the mDNS query are always fakes here: unit tests must not send anything to the
// host's networks. Where a fake needs a real socket it connects to a loopback server of its own.
const noMdns = (): Promise<MdnsAnswer[]> => Promise.resolve([]);
function discoverRouters(options: DiscoverOptions) {
  return discoverRoutersWithMdns({ mdns: noMdns, ...options });
}

/** The captured python-zeroconf answer, its A record moved to `address`. */
function zeroconfAnswer(from: string, address: string): MdnsAnswer {
  const a = address
    .split('.')
    .map((o) => Number(o).toString(16).padStart(2, '0'))
    .join('');
  const text = fixture('mdns/python-zeroconf-0.47.3-ssh-http-response.hex').trim();
  expect(text).toContain('c0a80801');
  const patched = text.replace('c0a80801', a);
  return {
    from,
    bytes: Uint8Array.from({ length: patched.length / 2 }, (_, i) =>
      Number.parseInt(patched.slice(i * 2, i * 2 + 2), 16),
    ),
  };
}
const network: LocalNetwork = {
  defaultGateway: '192.168.8.1',
  interfaces: [
    { name: 'wlan0', ipv4: '192.168.8.120', ipv4Cidr: 24, up: true, isDefault: true },
    { name: 'eth0', ipv4: '192.168.1.33', ipv4Cidr: 24, up: true, isDefault: false },
  ],
};

const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
  );
});

async function silentLoopbackServer(): Promise<number> {
  const server = net.createServer(() => undefined);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

const dropbearAndLuci: ProbeOutcome = {
  ssh: { kind: 'line', text: 'SSH-2.0-dropbear_2022.83\r\n' },
  http: { kind: 'response', status: 200, body: '<title>travel - LuCI</title>' },
  elapsedMs: 5,
};
const nothing: ProbeOutcome = {
  ssh: { kind: 'failed', failure: 'refused' },
  http: { kind: 'failed', failure: 'refused' },
  elapsedMs: 1,
};

describe('discoverRouters', () => {
  it('probes only the candidates, concurrently, and ranks the router first', async () => {
    const probed: string[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const result = await discoverRouters({
      localNetwork: network,
      probe: async (address) => {
        probed.push(address);
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 20));
        inFlight--;
        return address === '192.168.1.1' ? dropbearAndLuci : nothing;
      },
    });
    expect(probed.sort()).toEqual(['192.168.1.1', '192.168.8.1']);
    expect(maxInFlight).toBe(2);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.candidates.map((c) => [c.address, c.verdict])).toEqual([
      ['192.168.1.1', 'openwrt'],
      ['192.168.8.1', 'no-answer'],
    ]);
    expect(result.value.candidates[0]?.summary).toBe(
      'OpenWrt (dropbear 2022.83), LuCI answers on port 80; the usual OpenWrt address, first address of the eth0 subnet',
    );
    expect(result.value.budgetMs).toBe(3000);
  });

  it('hands each probe the run signal and a time limit within the budget', async () => {
    const seen: ProbeOptions[] = [];
    await discoverRouters({
      localNetwork: network,
      budgetMs: 600,
      probe: (_address, options) => {
        seen.push(options);
        return Promise.resolve(nothing);
      },
    });
    expect(seen).toHaveLength(2);
    for (const options of seen) {
      expect(options.timeoutMs).toBeLessThanOrEqual(550);
      expect(options.signal).toBeInstanceOf(AbortSignal);
      expect(options.owner).toBeDefined();
    }
  });

  it('returns within the budget even when a probe ignores its signal, closing its sockets', async () => {
    const port = await silentLoopbackServer();
    let owner: ResourceOwner | undefined;
    const opened: net.Socket[] = [];
    const started = performance.now();
    const result = await discoverRouters({
      localNetwork: network,
      budgetMs: 400,
      onOwner: (o) => (owner = o),
      probe: (_address, options) => {
        // A misbehaving probe: opens a socket, registers it, then never settles.
        const socket = options.owner?.track(net.connect(port, '127.0.0.1'));
        if (socket) opened.push(socket);
        return new Promise<ProbeOutcome>(() => undefined);
      },
    });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThanOrEqual(400);
    expect(result.ok && result.value.elapsedMs).toBeLessThanOrEqual(400);
    expect(result.ok && result.value.candidates.map((c) => c.ssh)).toEqual([
      { kind: 'failed', failure: 'timeout' },
      { kind: 'failed', failure: 'timeout' },
    ]);
    expect(owner?.size).toBe(0);
    expect(opened).toHaveLength(2);
    for (const socket of opened) expect(socket.destroyed).toBe(true);
  });

  it('a throwing probe is a failed candidate, not a failed discovery', async () => {
    const result = await discoverRouters({
      localNetwork: network,
      probe: () => Promise.reject(new Error('boom')),
    });
    expect(result.ok && result.value.candidates.map((c) => c.ssh.kind)).toEqual([
      'failed',
      'failed',
    ]);
  });

  it('is cancelled by the caller signal, before or during the run', async () => {
    const before = new AbortController();
    before.abort();
    const early = await discoverRouters({ localNetwork: network, signal: before.signal });
    expect(early).toMatchObject({ ok: false, error: { kind: 'cancelled' } });

    const during = new AbortController();
    setTimeout(() => during.abort(), 30);
    const started = performance.now();
    const late = await discoverRouters({
      localNetwork: network,
      signal: during.signal,
      probe: (_a, options) =>
        new Promise((resolve) =>
          options.signal?.addEventListener('abort', () => resolve(nothing), { once: true }),
        ),
    });
    expect(late).toMatchObject({ ok: false, error: { kind: 'cancelled' } });
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('with no local IPv4 subnet there is nothing to probe', async () => {
    let calls = 0;
    const result = await discoverRouters({
      localNetwork: {
        interfaces: [{ name: 'wg0', ipv4: '10.0.31.103', ipv4Cidr: 32, up: true, isDefault: true }],
      },
      probe: () => (calls++, Promise.resolve(nothing)),
    });
    expect(calls).toBe(0);
    expect(result.ok && result.value.candidates).toEqual([]);
  });

  it('asks mDNS on the local interfaces and probes announced hosts inside the subnets', async () => {
    const asked: MdnsQueryOptions[] = [];
    const probed: string[] = [];
    const result = await discoverRoutersWithMdns({
      localNetwork: network,
      mdns: (options) => {
        asked.push(options);
        return Promise.resolve([
          zeroconfAnswer('192.168.8.1', '192.168.8.1'),
          zeroconfAnswer('192.168.8.57', '192.168.8.57'),
          // Announces an address on none of our subnets: never probed.
          zeroconfAnswer('192.168.1.77', '10.5.5.5'),
        ]);
      },
      probe: (address) => {
        probed.push(address);
        return Promise.resolve(address === '192.168.8.57' ? dropbearAndLuci : nothing);
      },
    });
    expect(asked).toHaveLength(1);
    expect(asked[0]?.interfaceAddresses).toEqual(['192.168.8.120', '192.168.1.33']);
    expect(asked[0]?.timeoutMs).toBeLessThanOrEqual(700);
    expect(probed.sort()).toEqual(['192.168.1.1', '192.168.8.1', '192.168.8.57']);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [first] = result.value.candidates;
    expect(first?.address).toBe('192.168.8.57');
    expect(first?.summary).toBe(
      'OpenWrt (dropbear 2022.83), LuCI answers on port 80; announces _http._tcp and _ssh._tcp over mDNS as "travel-router"',
    );
    const gateway = result.value.candidates.find((c) => c.address === '192.168.8.1');
    expect(gateway?.reasons.map((r) => r.kind)).toEqual([
      'default-gateway',
      'mdns',
      'well-known',
      'subnet-first-host',
    ]);
    expect(result.value.candidates.map((c) => c.address)).not.toContain('10.5.5.5');
  });

  it('a hanging mDNS query cannot hold discovery past its budget', async () => {
    const started = performance.now();
    const result = await discoverRoutersWithMdns({
      localNetwork: network,
      budgetMs: 300,
      mdns: () => new Promise<MdnsAnswer[]>(() => undefined),
      probe: () => Promise.resolve(nothing),
    });
    expect(performance.now() - started).toBeLessThanOrEqual(300);
    expect(result.ok && result.value.candidates).toHaveLength(2);
  });

  it('rejects a budget outside 200..60000 ms', async () => {
    for (const budgetMs of [0, 50, Number.NaN, 120_000]) {
      const result = await discoverRouters({ localNetwork: network, budgetMs });
      expect(result).toMatchObject({
        ok: false,
        error: { kind: 'invalid-request', field: 'budgetMs' },
      });
    }
  });
});
