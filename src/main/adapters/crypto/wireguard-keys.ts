import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';

// WireGuard keys are raw X25519 keys in base64. Node reads and writes X25519 only as DER, so the
// 32 raw bytes are wrapped in the fixed PKCS#8 / SPKI prefixes (RFC 8410).
const pkcs8Prefix = Buffer.from('302e020100300506032b656e04220420', 'hex');
const spkiPrefixLength = 12;

/** What `wg pubkey` prints for a private key; undefined when it is not a 32-byte key. */
export function wireguardPublicKey(privateKeyBase64: string): string | undefined {
  const raw = Buffer.from(privateKeyBase64.trim(), 'base64');
  if (raw.length !== 32) return undefined;
  const key = createPrivateKey({
    key: Buffer.concat([pkcs8Prefix, raw]),
    format: 'der',
    type: 'pkcs8',
  });
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  return spki.subarray(spkiPrefixLength).toString('base64');
}

/** A new key pair as `wg genkey` / `wg pubkey` would give it. */
export function generateWireguardKeyPair(): { privateKey: string; publicKey: string } {
  const { privateKey } = generateKeyPairSync('x25519');
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  const raw = der.subarray(der.length - 32).toString('base64');
  return { privateKey: raw, publicKey: wireguardPublicKey(raw) ?? '' };
}
