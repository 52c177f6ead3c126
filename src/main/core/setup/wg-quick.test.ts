import { describe, expect, it } from 'vitest';
import { expectChineseFor } from '../localized-text.test-support';
import { parseWgQuick } from './wg-quick';

// Configs in the shape wg-quick(8), OpenWrt's LuCI "export config" and GL.iNet's WireGuard
// server export produce (keys replaced by well-formed sample keys).
const travelConf = `[Interface]
# JCG_Q30P, exported from op1
PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=
Address = 10.0.31.103/32, fd00:31::103/128
DNS = 192.168.35.1
MTU = 1420

[Peer]
PublicKey = eVL0uj6T5wEMTs039QF9t+JtXOchHJWROCoq/4kEKlE=
PresharedKey = /UwcSPg38hW/D9Y3tcS1FOV0K1wuURMbS0sesJEP5ak=
AllowedIPs = 10.0.31.1/32, 192.168.35.0/24, ::/0
Endpoint = op1.example.net:51820
PersistentKeepalive = 25
`;

describe('parseWgQuick', () => {
  it('reads a full client config', () => {
    const result = parseWgQuick(travelConf);
    expect(result).toEqual({
      kind: 'ok',
      config: {
        privateKey: 'yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=',
        addresses: ['10.0.31.103/32'],
        mtu: 1420,
        dns: ['192.168.35.1'],
        peers: [
          {
            publicKey: 'eVL0uj6T5wEMTs039QF9t+JtXOchHJWROCoq/4kEKlE=',
            presharedKey: '/UwcSPg38hW/D9Y3tcS1FOV0K1wuURMbS0sesJEP5ak=',
            allowedIps: ['10.0.31.1/32', '192.168.35.0/24'],
            endpoint: { host: 'op1.example.net', port: 51820 },
            persistentKeepalive: 25,
          },
        ],
      },
    });
  });
  it('accepts CRLF, a BOM, lower-case keys, IPv6 endpoints and host hooks', () => {
    const text =
      '\uFEFF[interface]\r\nprivatekey=yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\r\naddress=10.0.31.103\r\nPostUp = iptables -A FORWARD\r\n[peer]\r\npublickey = eVL0uj6T5wEMTs039QF9t+JtXOchHJWROCoq/4kEKlE=\r\nendpoint = [2001:db8::1]:51820\r\nallowedips = 0.0.0.0/0\r\n';
    const result = parseWgQuick(text);
    expect(result.kind).toBe('ok');
    if (result.kind === 'ok') {
      expect(result.config.addresses).toEqual(['10.0.31.103/32']);
      expect(result.config.peers[0]?.endpoint).toEqual({ host: '2001:db8::1', port: 51820 });
    }
  });
  it.each([
    ['empty file', '', /No \[Interface\]/],
    [
      'no peer',
      '[Interface]\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\nAddress = 10.0.31.103/32\n',
      /No \[Peer\]/,
    ],
    [
      'truncated key',
      travelConf.replace('yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=', 'yAnz5TF+lXXJte14'),
      /Line 3: PrivateKey is not a WireGuard key/,
    ],
    [
      'endpoint without port',
      travelConf.replace('op1.example.net:51820', 'op1.example.net'),
      /Endpoint .* is not host:port/,
    ],
    [
      'bad address',
      travelConf.replace('10.0.31.103/32,', '10.0.31.300/32,'),
      /Address "10.0.31.300\/32"/,
    ],
    [
      'peer without key',
      travelConf.replace(/PublicKey = .*\n/, ''),
      /\[Peer\] at line 8 has no PublicKey/,
    ],
    [
      'garbage line',
      travelConf.replace('MTU = 1420', 'this is not a key value'),
      /Line 6 is not "Key = Value"/,
    ],
    ['unknown section', travelConf.replace('[Peer]', '[Server]'), /Unknown section \[Server\]/],
    ['two interfaces', `${travelConf}\n[Interface]\n`, /second \[Interface\]/],
    [
      'keepalive text',
      travelConf.replace('PersistentKeepalive = 25', 'PersistentKeepalive = often'),
      /PersistentKeepalive "often"/,
    ],
  ])('refuses %s with a clear error and fix', (_name, text, message) => {
    const result = parseWgQuick(text);
    expect(result.kind).toBe('error');
    if (result.kind === 'error') {
      expect(result.message).toMatch(message);
      expect(result.fix.length).toBeGreaterThan(5);
      expectChineseFor(result.message, result.zh.message, 'message');
      expectChineseFor(result.fix, result.zh.fix, 'fix');
    }
  });
});
