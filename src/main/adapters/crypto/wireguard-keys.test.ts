import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { generateWireguardKeyPair, wireguardPublicKey } from './wireguard-keys';

describe('wireguardPublicKey', () => {
  it('matches the lab pair (home knows this router key)', () => {
    expect(wireguardPublicKey('qEuEziAbXbNunPl/6aKW+o7gVwJimNxkRu4nkYrz2mY=')).toBe(
      'M70ezPWgbT8GgoSWL3PyuPQ5MegnE6xlHnTWVxSIxVg=',
    );
    expect(wireguardPublicKey('short')).toBeUndefined();
  });
  it.runIf(spawnSync('sh', ['-c', 'command -v wg']).status === 0)(
    'agrees with wg pubkey on fresh keys',
    () => {
      for (let i = 0; i < 5; i++) {
        const pair = generateWireguardKeyPair();
        const wg = spawnSync('wg', ['pubkey'], { input: `${pair.privateKey}\n`, encoding: 'utf8' });
        expect(pair.publicKey).toBe(wg.stdout.trim());
      }
    },
  );
});
