import { describe, expect, it } from 'vitest';
import { fixture } from '../../../../test/fixtures/read-fixture';
import { parseIpJson } from './parse-ip-json';

describe('parseIpJson', () => {
  it('reads `ip -j addr`: MTU, state and addresses of a WireGuard TUN and a veth', () => {
    const result = parseIpJson(fixture('ip/ip-j-addr-iproute2-6.1-wg-veth.json'));
    if (result.kind !== 'ok') throw new Error(result.message);
    expect(
      result.links.map((link) => [link.ifname, link.mtu, link.operstate, link.up, link.lowerUp]),
    ).toEqual([
      ['lo', 65536, 'UNKNOWN', true, true],
      ['hwfxa', 1420, 'UNKNOWN', true, true],
      ['hwv-a', 1500, 'UP', true, true],
    ]);
    expect(result.links[1]?.addresses).toEqual([
      { family: 'inet', local: '10.0.31.103', prefixlen: 32, scope: 'global' },
      { family: 'inet6', local: 'fe80::c6f:f3e9:bd6:847f', prefixlen: 64, scope: 'link' },
    ]);
    expect(result.links[1]?.linkType).toBe('none');
    expect(result.links[2]?.address).toBe('12:90:0b:37:1f:36');
  });

  it('reads `ip -j link` (no addresses)', () => {
    const result = parseIpJson(fixture('ip/ip-j-link-iproute2-6.1-wg-veth.json'));
    if (result.kind !== 'ok') throw new Error(result.message);
    expect(result.links).toHaveLength(3);
    expect(result.links.every((link) => link.addresses.length === 0)).toBe(true);
    expect(result.links[1]?.flags).toContain('POINTOPOINT');
  });

  it('skips the empty objects older iproute2 prints and treats empty output as no links', () => {
    expect(
      parseIpJson('[{},{"ifname":"br-lan","flags":["BROADCAST"],"mtu":1500,"master":"x"}]'),
    ).toEqual({
      kind: 'ok',
      links: [
        {
          ifname: 'br-lan',
          flags: ['BROADCAST'],
          up: false,
          lowerUp: false,
          mtu: 1500,
          master: 'x',
          addresses: [],
        },
      ],
    });
    expect(parseIpJson('')).toEqual({ kind: 'ok', links: [] });
  });

  it.each(['Object "addr" is unknown', '{"ifname":"x"}', '[1'])(
    'reports %j as an error',
    (text) => {
      expect(parseIpJson(text).kind).toBe('error');
    },
  );
});
