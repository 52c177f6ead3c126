import { describe, expect, it } from 'vitest';
import { importWgQuick } from './wg-import';

const home = 'eVL0uj6T5wEMTs039QF9t+JtXOchHJWROCoq/4kEKlE=';
const travel = 'yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=';

describe('importWgQuick', () => {
  it('takes the travel key and address and the home peer', () => {
    const result = importWgQuick(
      `[Interface]\nPrivateKey = ${travel}\nAddress = 10.0.31.103/32\n\n[Peer]\nPublicKey = ${home}\nEndpoint = op1.example.net:51820\nAllowedIPs = 10.0.31.1/32\nPersistentKeepalive = 25\n`,
    );
    expect(result).toEqual({
      kind: 'ok',
      value: {
        travel: { privateKey: travel, tunnelAddress: '10.0.31.103/32' },
        home: { publicKey: home, endpointHost: 'op1.example.net', endpointPort: 51820 },
        keepaliveS: 25,
      },
    });
  });
  it('refuses a file with two peers, and passes on parse errors', () => {
    const two = `[Interface]\nPrivateKey = ${travel}\nAddress = 10.0.31.103/32\n[Peer]\nPublicKey = ${home}\n[Peer]\nPublicKey = ${travel}\n`;
    expect(importWgQuick(two)).toMatchObject({
      kind: 'error',
      message: expect.stringContaining('2 [Peer]'),
    });
    expect(importWgQuick('[Interface]\nPrivateKey = nope\n')).toMatchObject({ kind: 'error' });
  });
});
