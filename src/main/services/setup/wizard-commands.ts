import { randomBytes } from 'node:crypto';
import { localizedError } from '../../../shared/errors';
import type { Result } from '../../../shared/result';
import { fail, ok } from '../../../shared/result';
import type { FieldError } from '../../../shared/setup';
import type { SetupKeys, WgQuickImport } from '../../../shared/setup-run';
import { generateWireguardKeyPair, wireguardPublicKey } from '../../adapters/crypto/wireguard-keys';
import { readIntent } from '../../core/setup/intent-shape';
import { validateIntent } from '../../core/setup/validate';
import { importWgQuick } from '../../core/setup/wg-import';

// The setup wizard's small commands: nothing here reaches a router.

export function generateSetupKeys(): Result<SetupKeys> {
  return ok({
    travel: generateWireguardKeyPair(),
    presharedKey: randomBytes(32).toString('base64'),
  });
}

export function importWgQuickText(text: unknown): Result<WgQuickImport> {
  if (typeof text !== 'string' || text.length > 65_536)
    return fail(
      localizedError(
        'invalid-request',
        { message: 'The wg-quick file must be text under 64 KiB.' },
        { message: 'wg-quick 文件必须是小于 64 KiB 的文本。' },
        { field: 'wgQuick' },
      ),
    );
  const imported = importWgQuick(text);
  if (imported.kind !== 'ok')
    return fail(
      localizedError(
        'invalid-request',
        {
          // The parser's messages name their line already.
          message: imported.message,
          fix: imported.fix,
        },
        imported.zh,
        { field: 'wgQuick' },
      ),
    );
  const { value } = imported;
  const publicKey = wireguardPublicKey(value.travel.privateKey);
  if (!publicKey)
    return fail(
      localizedError(
        'invalid-request',
        { message: 'PrivateKey is not a WireGuard key.' },
        { message: 'PrivateKey 不是 WireGuard 密钥。' },
        { field: 'wgQuick' },
      ),
    );
  return ok({ ...value, travel: { ...value.travel, publicKey } });
}

/** Every field problem of an intent, without touching any router: the wizard asks as you type. */
export function validateSetupIntent(intent: unknown): Result<FieldError[]> {
  const shaped = readIntent(intent);
  if (shaped.kind === 'invalid') return ok([shaped.error]);
  return ok(validateIntent(shaped.intent));
}
