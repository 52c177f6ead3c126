import { describe, expect, it } from 'vitest';
import { intentFromWgQuick } from './intent-from-wg-quick';
import { validateIntent } from './validate';
import { parseWgQuick } from './wg-quick';
import { seedIntent } from './seed-intent.test-support';

const conf = `[Interface]
PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=
Address = 10.0.31.103/32
MTU = 1420

[Peer]
PublicKey = eVL0uj6T5wEMTs039QF9t+JtXOchHJWROCoq/4kEKlE=
AllowedIPs = 10.0.31.1/32, 192.168.35.0/24
Endpoint = op1.example.net:51820
PersistentKeepalive = 25
`;

const extras = {
  travelPublicKey: seedIntent.travel.publicKey,
  wifi: seedIntent.wifi,
  homeName: 'op1',
  travelName: 'JCG_Q30P',
};

describe('intentFromWgQuick', () => {
  it('gives a valid intent equal to the seed but for the home LAN route', () => {
    const parsed = parseWgQuick(conf);
    if (parsed.kind !== 'ok') throw new Error(parsed.message);
    const result = intentFromWgQuick(parsed.config, extras);
    if (result.kind !== 'ok') throw new Error(result.message);
    expect(validateIntent(result.intent)).toEqual([]);
    expect(result.intent).toEqual({
      ...seedIntent,
      routeHomeLan: true,
      travel: { ...seedIntent.travel, lanCidr: undefined },
    });
    expect(result.assumptions[0]).toContain('10.0.31.1/24');
  });
  it('needs an endpoint, and assumes an underlay of 1500 without an MTU', () => {
    const parsed = parseWgQuick(conf.replace('MTU = 1420\n', '').replace(/Endpoint.*\n/, ''));
    if (parsed.kind !== 'ok') throw new Error(parsed.message);
    expect(intentFromWgQuick(parsed.config, extras)).toMatchObject({
      kind: 'error',
      message: expect.stringContaining('no Endpoint'),
    });
    const noMtu = parseWgQuick(conf.replace('MTU = 1420\n', ''));
    if (noMtu.kind !== 'ok') throw new Error(noMtu.message);
    const result = intentFromWgQuick(noMtu.config, extras);
    expect(result.kind === 'ok' && result.intent.underlayMtu).toBe(1500);
    expect(result.kind === 'ok' && result.assumptions.join()).toContain('underlay MTU is 1500');
  });
});
