import { describe, expect, it } from 'vitest';
import { wireguardPublicKey } from '../../adapters/crypto/wireguard-keys';
import { expectChineseFor } from '../../core/localized-text.test-support';
import { seedIntent } from '../../core/setup/seed-intent.test-support';
import { generateSetupKeys, importWgQuickText, validateSetupIntent } from './wizard-commands';

describe('setup wizard commands', () => {
  it('generates a travel pair that belongs together and a preshared key', () => {
    const keys = generateSetupKeys();
    if (!keys.ok) throw new Error('no keys');
    expect(wireguardPublicKey(keys.value.travel.privateKey)).toBe(keys.value.travel.publicKey);
    expect(keys.value.presharedKey).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(keys.value.presharedKey).not.toBe(keys.value.travel.privateKey);
  });
  it('imports a file with the derived travel public key', () => {
    const text = `[Interface]\nPrivateKey = ${seedIntent.travel.privateKey}\nAddress = 10.0.31.103/32\n[Peer]\nPublicKey = ${seedIntent.home.publicKey}\nEndpoint = op1.example.net:51820\n`;
    const result = importWgQuickText(text);
    expect(result.ok && result.value.travel.publicKey).toBe(
      'HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=',
    );
    expect(importWgQuickText('[Peer]\n')).toMatchObject({ ok: false, error: { field: 'wgQuick' } });
    expect(importWgQuickText(42)).toMatchObject({ ok: false, error: { field: 'wgQuick' } });
  });
  it('says a bad line once, in English and in Chinese, with its number', () => {
    const result = importWgQuickText('[Interface]\nMTU = 99999\n');
    if (result.ok) throw new Error('accepted a bad MTU');
    expect(result.error.message).toBe('Line 2: MTU "99999" is not usable.');
    const zh = result.error.localized?.['zh-CN'];
    expect(zh?.message).toBe('第 2 行：MTU“99999”不可用。');
    expectChineseFor(result.error.message, zh?.message, 'message');
    expectChineseFor(result.error.fix ?? '', zh?.fix, 'fix');
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
