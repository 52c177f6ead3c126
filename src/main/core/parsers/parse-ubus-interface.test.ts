import { describe, expect, it } from 'vitest';
import { fixture } from '../../../../test/fixtures/read-fixture';
import { parseUbusInterfaceStatus } from './parse-ubus-interface';

describe('parseUbusInterfaceStatus', () => {
  it('reads a tunnel interface from a netifd dump element', () => {
    expect(parseUbusInterfaceStatus(fixture('ubus/interface-dump-element-amneziawg.json'))).toEqual(
      {
        kind: 'ok',
        interface: 'awg',
        up: true,
        pending: false,
        available: true,
        uptimeS: 460,
        l3Device: 'awg',
        proto: 'amneziawg',
        ipv4: [{ address: '172.16.0.2', mask: 32 }],
        ipv6: [],
        routes: [],
        dnsServers: [],
        data: {},
      },
    );
  });

  // No published status with routes and DNS was found; this object follows netifd's field names
  // (route[].target/mask/nexthop/source, dns-server[], data.leasetime) and is not a capture.
  it('reads routes, DNS servers and DHCP data when present', () => {
    const result = parseUbusInterfaceStatus(
      JSON.stringify({
        up: false,
        pending: true,
        l3_device: 'wan',
        proto: 'dhcp',
        'ipv4-address': [{ address: '192.0.2.10', mask: 24 }, { address: 5 }],
        route: [{ target: '0.0.0.0', mask: 0, nexthop: '192.0.2.1', source: '192.0.2.10/32' }, {}],
        'dns-server': ['192.0.2.1', 7],
        data: { leasetime: 43200 },
      }),
    );
    expect(result).toMatchObject({
      kind: 'ok',
      up: false,
      pending: true,
      ipv4: [{ address: '192.0.2.10', mask: 24 }],
      routes: [{ target: '0.0.0.0', mask: 0, nexthop: '192.0.2.1', source: '192.0.2.10/32' }],
      dnsServers: ['192.0.2.1'],
      data: { leasetime: 43200 },
    });
  });

  it.each(['', 'Command failed: Not found', '{}', '{"up":"yes"}', 'null'])(
    'reports %j as an error',
    (text) => {
      expect(parseUbusInterfaceStatus(text).kind).toBe('error');
    },
  );
});
