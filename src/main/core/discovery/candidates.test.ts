import { describe, expect, it } from 'vitest';
import type { LocalNetwork, NetworkInterfaceSummary } from '../../../shared/model';
import type { RawLocalNetwork } from '../local-network';
import { fixture } from '../../../../test/fixtures/read-fixture';
import {
  discoveryCandidates,
  formatIpv4,
  localSubnets,
  maxCandidates,
  parseIpv4,
  wellKnownRouterAddresses,
} from './candidates';
import { localNetworkFromIp } from './ip-local-network';

function iface(
  name: string,
  ipv4: string,
  ipv4Cidr: number,
  extra: Partial<NetworkInterfaceSummary> = {},
): NetworkInterfaceSummary {
  return { name, ipv4, ipv4Cidr, up: true, isDefault: false, ...extra };
}

function net(interfaces: NetworkInterfaceSummary[], defaultGateway?: string): LocalNetwork {
  return { interfaces, ...(defaultGateway ? { defaultGateway } : {}) };
}

function addresses(network: LocalNetwork | RawLocalNetwork): string[] {
  return discoveryCandidates(network).map((c) => c.address);
}

function inside(address: string, base: string, prefix: number): boolean {
  const size = 2 ** (32 - prefix);
  const a = parseIpv4(address) ?? -1;
  const b = parseIpv4(base) ?? -1;
  return a - (a % size) === b - (b % size);
}

describe('parseIpv4 / formatIpv4', () => {
  it('round-trips dotted quads including the top of the range', () => {
    for (const text of ['0.0.0.0', '10.0.0.1', '192.168.8.1', '255.255.255.255']) {
      expect(formatIpv4(parseIpv4(text) ?? -1)).toBe(text);
    }
  });
  it('rejects malformed addresses', () => {
    for (const text of ['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '1.2.3.x', ' 1.2.3.-4', '1..2.3']) {
      expect(parseIpv4(text)).toBeUndefined();
    }
  });
});

describe('discoveryCandidates', () => {
  it('on a GL.iNet LAN: the gateway, once, with every reason that points at it', () => {
    const candidates = discoveryCandidates(
      net([iface('wlan0', '192.168.8.120', 24, { isDefault: true })], '192.168.8.1'),
    );
    expect(candidates).toEqual([
      {
        address: '192.168.8.1',
        interface: 'wlan0',
        reasons: [
          { kind: 'default-gateway' },
          { kind: 'well-known', vendor: 'GL.iNet' },
          { kind: 'subnet-first-host' },
        ],
      },
    ]);
  });

  it('gateway first, then factory addresses inside the subnet, then the first host', () => {
    expect(addresses(net([iface('eth0', '192.168.1.50', 24)], '192.168.1.254'))).toEqual([
      '192.168.1.254',
      '192.168.1.1',
    ]);
    expect(addresses(net([iface('eth0', '172.20.5.9', 16)]))).toEqual(['172.20.0.1']);
  });

  it('never offers an address outside the local subnets', () => {
    const network = net(
      [iface('eth0', '192.168.1.50', 24), iface('wg0', '10.0.31.103', 32)],
      '192.168.1.1',
    );
    const found = addresses(network);
    expect(found).toEqual(['192.168.1.1']);
    for (const address of found) expect(inside(address, '192.168.1.0', 24)).toBe(true);
    // The GL.iNet, Xiaomi and 10.0.0.1 defaults are not on this LAN: not tried.
    expect(found).not.toContain('192.168.8.1');
    expect(found).not.toContain('10.0.0.1');
  });

  it('drops a default gateway that lies outside every local subnet', () => {
    expect(addresses(net([iface('eth0', '192.168.1.50', 24)], '203.0.113.1'))).toEqual([
      '192.168.1.1',
    ]);
  });

  it('a /32 interface yields nothing, not even well-known addresses', () => {
    expect(addresses(net([iface('wg0', '192.168.8.7', 32)], '192.168.8.1'))).toEqual([]);
  });

  it('a /31 interface yields at most its peer', () => {
    expect(addresses(net([iface('p2p', '192.168.1.0', 31)]))).toEqual(['192.168.1.1']);
    expect(addresses(net([iface('p2p', '192.168.1.1', 31)]))).toEqual([]);
    expect(addresses(net([iface('p2p', '10.9.9.4', 31)], '10.9.9.5'))).toEqual(['10.9.9.5']);
  });

  it('ignores loopback and link-local interfaces and gateways', () => {
    expect(
      addresses(
        net([iface('lo', '127.0.0.1', 8), iface('eth0', '169.254.10.20', 16)], '169.254.0.1'),
      ),
    ).toEqual([]);
  });

  it('skips interfaces that are down: their addresses would route via the default gateway', () => {
    expect(
      addresses(
        net([iface('eth0', '192.168.1.50', 24, { up: false }), iface('wlan0', '10.1.2.3', 24)]),
      ),
    ).toEqual(['10.1.2.1']);
  });

  it('huge subnets give the same handful of addresses, never a sweep', () => {
    const candidates = discoveryCandidates(net([iface('eth0', '10.20.30.40', 8)], '10.0.0.138'));
    expect(candidates.map((c) => c.address)).toEqual(['10.0.0.138', '10.0.0.1']);
    // Wider than /8 (a misreported mask) is not a LAN at all.
    expect(addresses(net([iface('eth0', '10.20.30.40', 4)]))).toEqual([]);
    expect(addresses(net([iface('eth0', '10.20.30.40', 0)]))).toEqual([]);
  });

  it('never exceeds maxCandidates however many interfaces there are', () => {
    const many = Array.from({ length: 60 }, (_, i) => iface(`veth${i}`, `10.${i}.0.2`, 24));
    const candidates = discoveryCandidates(net(many));
    expect(candidates.length).toBe(maxCandidates);
    for (const c of candidates) {
      const octet = Number(c.address.split('.')[1]);
      expect(inside(c.address, `10.${octet}.0.0`, 24)).toBe(true);
    }
  });

  it('excludes our own address, the network and the broadcast address', () => {
    // Our address is the usual router address (we are the router here).
    expect(addresses(net([iface('br-lan', '192.168.1.1', 24)]))).toEqual([]);
    // A /30 whose network address would be the well-known one.
    expect(addresses(net([iface('eth0', '192.168.0.2', 30)]))).toEqual(['192.168.0.1']);
    expect(addresses(net([iface('eth0', '192.168.2.5', 30)]))).toEqual([]);
  });

  it('every well-known address is tried only when a local subnet holds it', () => {
    for (const known of wellKnownRouterAddresses) {
      const [a, b, c] = known.address.split('.');
      const local = `${a}.${b}.${c}.77`;
      expect(addresses(net([iface('eth0', local, 24)]))).toContain(known.address);
      expect(addresses(net([iface('eth0', `${a}.${b}.${Number(c) + 100}.77`, 24)]))).not.toContain(
        known.address,
      );
    }
  });

  it('accepts systeminformation-shaped input (netmask strings, internal flag, operstate)', () => {
    const raw: RawLocalNetwork = {
      gateway: '192.168.8.1',
      defaultInterface: 'wlp2s0',
      interfaces: [
        {
          iface: 'lo',
          ip4: '127.0.0.1',
          ip4subnet: '255.0.0.0',
          internal: true,
          operstate: 'unknown',
        },
        { iface: 'enp1s0', ip4: '192.168.1.20', ip4subnet: '255.255.255.0', operstate: 'down' },
        { iface: 'wlp2s0', ip4: '192.168.8.181', ip4subnet: '255.255.255.0', operstate: 'up' },
        { iface: 'docker0', ip4: '172.17.0.1', ip4subnet: '255.255.0.0', operstate: 'up' },
      ],
      wifi: [],
    };
    expect(discoveryCandidates(raw)).toEqual([
      {
        address: '192.168.8.1',
        interface: 'wlp2s0',
        reasons: [
          { kind: 'default-gateway' },
          { kind: 'well-known', vendor: 'GL.iNet' },
          { kind: 'subnet-first-host' },
        ],
      },
    ]);
    expect(localSubnets(raw).map((s) => s.interface)).toEqual(['wlp2s0', 'docker0']);
  });

  it('from real `ip -j addr` output: a /32 WireGuard address and a /24 veth we are .1 on', () => {
    const built = localNetworkFromIp(fixture('ip/ip-j-addr-iproute2-6.1-wg-veth.json'), '[]');
    expect(built.kind).toBe('ok');
    if (built.kind !== 'ok') return;
    expect(localSubnets(built.network).map((s) => `${s.interface}/${s.prefix}`)).toEqual([
      'hwfxa/32',
      'hwv-a/24',
    ]);
    expect(discoveryCandidates(built.network)).toEqual([]);
  });
});

describe('discoveryCandidates with mDNS findings', () => {
  const finding = (from: string, addresses: string[]) => ({
    from,
    addresses,
    services: ['_ssh._tcp'],
    instances: ['OpenWrt'],
    hosts: ['OpenWrt.local'],
  });

  it('adds announced hosts after the gateway, inside the local subnets only', () => {
    const candidates = discoveryCandidates(
      net([iface('wlan0', '192.168.8.120', 24)], '192.168.8.1'),
      [
        finding('192.168.8.23', ['192.168.8.23']),
        finding('192.168.8.24', ['10.1.1.1', '192.168.8.24']),
        finding('192.168.8.25', []),
        finding('172.16.0.9', ['172.16.0.9']),
      ],
    );
    expect(candidates.map((c) => c.address)).toEqual([
      '192.168.8.1',
      '192.168.8.23',
      '192.168.8.24',
      '192.168.8.25',
    ]);
    expect(candidates[1]?.reasons).toEqual([
      { kind: 'mdns', services: ['_ssh._tcp'], name: 'OpenWrt' },
    ]);
  });

  it('never lets mDNS answers exceed the cap', () => {
    const many = Array.from({ length: 100 }, (_, i) =>
      finding(`10.0.${i >> 8}.${(i % 250) + 2}`, []),
    );
    expect(discoveryCandidates(net([iface('eth0', '10.0.0.200', 16)]), many)).toHaveLength(
      maxCandidates,
    );
  });
});

describe('localNetworkFromIp', () => {
  it('takes the default route gateway and device', () => {
    const addr = JSON.stringify([
      {
        ifname: 'lo',
        flags: ['LOOPBACK', 'UP', 'LOWER_UP'],
        operstate: 'UNKNOWN',
        addr_info: [{ family: 'inet', local: '127.0.0.1', prefixlen: 8 }],
      },
      {
        ifname: 'eth0',
        flags: ['BROADCAST', 'UP', 'LOWER_UP'],
        operstate: 'UP',
        addr_info: [{ family: 'inet', local: '192.168.8.100', prefixlen: 24 }],
      },
    ]);
    const route = JSON.stringify([
      { dst: 'default', gateway: '192.168.8.1', dev: 'eth0', flags: [] },
      { dst: '192.168.8.0/24', dev: 'eth0', scope: 'link', prefsrc: '192.168.8.100', flags: [] },
    ]);
    const built = localNetworkFromIp(addr, route);
    expect(built.kind === 'ok' && built.network.gateway).toBe('192.168.8.1');
    expect(built.kind === 'ok' && built.network.interfaces[1]).toMatchObject({
      iface: 'eth0',
      ip4: '192.168.8.100',
      ip4subnet: '255.255.255.0',
      operstate: 'up',
      default: true,
    });
    expect(built.kind === 'ok' && addresses(built.network)).toEqual(['192.168.8.1']);
  });
  it('reports unparsable input as an error', () => {
    expect(localNetworkFromIp('not json', '[]').kind).toBe('error');
  });
});
