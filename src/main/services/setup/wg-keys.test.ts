import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { seedIntent } from '../../core/setup/seed-intent.test-support';
import {
  generateWireguardKeyPair,
  importWgQuickText,
  validateSetupIntent,
  wireguardPublicKey,
} from './wg-keys';

describe('WireGuard keys', () => {
  it('derives the public key as wg pubkey does (RFC 7748 test vector)', () => {
    // Alice's key pair from RFC 7748 section 6.1.
    const priv = Buffer.from(
      '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a',
      'hex',
    );
    const pub = Buffer.from(
      '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a',
      'hex',
    );
    expect(wireguardPublicKey(priv.toString('base64'))).toBe(pub.toString('base64'));
  });
  it('generates clamped pairs that wg accepts, when wg is installed', () => {
    const pair = generateWireguardKeyPair();
    expect(pair.privateKey).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const wg = spawnSync('wg', ['pubkey'], { input: `${pair.privateKey}\n`, encoding: 'utf8' });
    if (wg.status === 0) expect(wg.stdout.trim()).toBe(pair.publicKey);
  });
});

describe('setup:import-wg-quick and setup:validate', () => {
  it('imports a file with the derived travel public key', () => {
    const text = `[Interface]\nPrivateKey = ${seedIntent.travel.privateKey}\nAddress = 10.0.31.103/32\n[Peer]\nPublicKey = ${seedIntent.home.publicKey}\nEndpoint = op1.example.net:51820\n`;
    const result = importWgQuickText(text);
    expect(result.ok && result.value.travel.publicKey).toBe(
      wireguardPublicKey(seedIntent.travel.privateKey),
    );
    expect(importWgQuickText('[Peer]\n')).toMatchObject({ ok: false, error: { field: 'wgQuick' } });
  });
  it('names the field of each problem, and of a malformed intent', () => {
    expect(validateSetupIntent(seedIntent)).toEqual({ ok: true, value: [] });
    const bad = { ...seedIntent, home: { ...seedIntent.home, publicKey: 'abc' } };
    const result = validateSetupIntent(bad);
    expect(result.ok && result.value.map((e) => e.field)).toEqual(['home.publicKey']);
    const shaped = validateSetupIntent({ ...seedIntent, vxlan: 'x' });
    expect(shaped.ok && shaped.value[0]?.field).toBe('vxlan');
  });
});
