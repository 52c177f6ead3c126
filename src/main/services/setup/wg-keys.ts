import { createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { appError } from '../../../shared/errors';
import type { Result } from '../../../shared/result';
import { fail, ok } from '../../../shared/result';
import type { FieldError } from '../../../shared/setup';
import type { SetupKeys, WgQuickImport, WireguardKeyPair } from '../../../shared/setup-run';
import { readIntent } from '../../core/setup/intent-shape';
import { validateIntent } from '../../core/setup/validate';
import { isWireguardKey } from '../../core/setup/validate';
import { importWgQuick } from '../../core/setup/wg-import';

// PKCS#8 wrapping of a raw X25519 private key (RFC 8410), so node:crypto can derive its public key.
const x25519Pkcs8Prefix = Buffer.from('302e020100300506032b656e04220420', 'hex');

/** `wg pubkey`: the public key of a base64 WireGuard private key. */
export function wireguardPublicKey(privateKey: string): string {
  const key = createPrivateKey({
    key: Buffer.concat([x25519Pkcs8Prefix, Buffer.from(privateKey, 'base64')]),
    format: 'der',
    type: 'pkcs8',
  });
  const x = createPublicKey(key).export({ format: 'jwk' }).x ?? '';
  return Buffer.from(x, 'base64url').toString('base64');
}

/** `wg genkey | tee | wg pubkey`, clamped as wg does. */
export function generateWireguardKeyPair(): WireguardKeyPair {
  const raw = randomBytes(32);
  raw[0] = (raw[0] ?? 0) & 248;
  raw[31] = ((raw[31] ?? 0) & 127) | 64;
  const privateKey = raw.toString('base64');
  return { privateKey, publicKey: wireguardPublicKey(privateKey) };
}

export function generateSetupKeys(): Result<SetupKeys> {
  return ok({
    travel: generateWireguardKeyPair(),
    presharedKey: randomBytes(32).toString('base64'),
  });
}

export function importWgQuickText(text: unknown): Result<WgQuickImport> {
  if (typeof text !== 'string' || text.length > 65_536)
    return fail(
      appError('invalid-request', 'The wg-quick file must be text under 64 KiB.', {
        field: 'wgQuick',
      }),
    );
  const imported = importWgQuick(text);
  if (imported.kind !== 'ok')
    return fail(
      appError(
        'invalid-request',
        imported.line ? `Line ${imported.line}: ${imported.message}` : imported.message,
        {
          field: 'wgQuick',
          fix: imported.fix,
        },
      ),
    );
  const { value } = imported;
  if (!isWireguardKey(value.travel.privateKey))
    return fail(
      appError('invalid-request', 'PrivateKey is not a WireGuard key.', { field: 'wgQuick' }),
    );
  return ok({
    ...value,
    travel: { ...value.travel, publicKey: wireguardPublicKey(value.travel.privateKey) },
  });
}

/** Every field problem of an intent, without touching any router: the wizard asks as you type. */
export function validateSetupIntent(intent: unknown): Result<FieldError[]> {
  const shaped = readIntent(intent);
  if (shaped.kind === 'invalid') return ok([shaped.error]);
  return ok(validateIntent(shaped.intent));
}
