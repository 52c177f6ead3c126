import type { AppError } from '../../../shared/errors';
import { localizedError } from '../../../shared/errors';
import type { Result } from '../../../shared/result';
import { fail, ok } from '../../../shared/result';
import { setupSchema } from '../../../shared/setup-run';
import type { SetupSignInReport, SetupSignInRequest } from '../../../shared/setup-run';
import { installAuthorizedKey } from '../../adapters/ssh/authorized-keys';
import { generateEd25519KeyPair } from '../../adapters/ssh/keygen';
import { fingerprintSha256 } from '../../adapters/ssh/index';
import { homewardKeyName } from './connect';
import type { SetupDeps } from './connect';

/**
 * Signs in once with the router's password, installs Homeward's own ed25519 key in the
 * router's authorized keys (dropbear's /etc/dropbear/authorized_keys for root on OpenWrt, else
 * ~/.ssh/authorized_keys) and proves that the key alone signs in. The password is used for this
 * one connection and never stored; one Homeward key serves every router.
 */
export async function signIn(
  request: SetupSignInRequest,
  deps: SetupDeps,
  signal?: AbortSignal,
): Promise<Result<SetupSignInReport, AppError>> {
  if (!request.password)
    return fail(
      localizedError(
        'invalid-request',
        { message: 'The password is empty.', fix: 'Give the router password (LuCI login).' },
        { message: '密码为空。', fix: '请输入路由器密码（LuCI 登录密码）。' },
        { field: 'password' },
      ),
    );
  const knownHostsFile = request.knownHostsFile ?? deps.defaultKnownHosts;
  const target = {
    host: request.host,
    port: request.port,
    user: request.user,
    knownHostsFile,
    acceptNewHostKey: request.acceptNewHostKey,
  };
  const session = await deps.connect(
    { ...target, auth: { kind: 'password', password: request.password } },
    signal,
  );
  if (!session.ok) return session;
  const hostKey = session.value.hostKey;
  let keyPair: { privateKey: string; publicKeyLine: string; fingerprint: string };
  let installed: { path: string; added: boolean };
  try {
    const stored = await loadOrCreateKey(deps);
    if (!stored.ok) return stored;
    keyPair = stored.value;
    // OpenWrt's dropbear reads root's keys from /etc/dropbear; elsewhere the home directory.
    const probe = await session.value.exec(
      'if [ -d /etc/dropbear ] && [ "$(id -u)" = 0 ]; then echo dropbear; else echo home; fi',
      { timeoutMs: 10_000, ...(signal ? { signal } : {}) },
    );
    const dropbear = probe.stdout.trim() === 'dropbear';
    const result = await installAuthorizedKey(session.value, keyPair.publicKeyLine, {
      dropbear,
      ...(signal ? { signal } : {}),
    });
    if (!result.ok) return fail(result.error as AppError);
    installed = result.value;
  } finally {
    await session.value.close();
  }
  const again = await deps.connect(
    { ...target, acceptNewHostKey: false, auth: { kind: 'key', privateKey: keyPair.privateKey } },
    signal,
  );
  if (again.ok) {
    await again.value.close();
    await Promise.resolve()
      .then(() =>
        deps.routerSeen?.({
          host: request.host,
          port: request.port,
          user: request.user,
          ...(request.knownHostsFile ? { knownHostsFile: request.knownHostsFile } : {}),
          hostKeyFingerprint: hostKey.fingerprint,
          seenBy: 'sign-in',
        }),
      )
      .catch(() => undefined);
  }
  return ok({
    schema: setupSchema,
    host: request.host,
    port: request.port,
    hostKeyFingerprint: hostKey.fingerprint,
    keyPath: deps.secrets.locationOf(homewardKeyName) ?? '(the system keychain)',
    publicKeyFingerprint: keyPair.fingerprint,
    authorizedKeysPath: installed.path,
    keyAdded: installed.added,
    keyLoginVerified: again.ok,
  });
}

async function loadOrCreateKey(
  deps: SetupDeps,
): Promise<Result<{ privateKey: string; publicKeyLine: string; fingerprint: string }, AppError>> {
  try {
    const existing = await deps.secrets.read(homewardKeyName);
    const existingPublic = await deps.secrets.read(`${homewardKeyName}.pub`);
    if (existing && existingPublic) {
      // The public half is kept next to the key: one Homeward key for every router.
      const blob = existingPublic.trim().split(' ')[1] ?? '';
      return ok({
        privateKey: existing,
        publicKeyLine: existingPublic.trim(),
        fingerprint: fingerprintSha256(Buffer.from(blob, 'base64')),
      });
    }
    const pair = generateEd25519KeyPair();
    await deps.secrets.write(homewardKeyName, pair.privateKey);
    await deps.secrets.write(`${homewardKeyName}.pub`, `${pair.publicKeyLine}\n`);
    return ok(pair);
  } catch (error) {
    return fail(
      localizedError(
        'internal',
        {
          message: `Homeward's SSH key could not be stored: ${(error as Error).message}`,
          fix: 'Check that the Homeward data directory is writable (HOMEWARD_DATA_DIR).',
        },
        {
          message: `无法保存 Homeward 的 SSH 密钥：${(error as Error).message}`,
          fix: '请确认 Homeward 的数据目录可写（HOMEWARD_DATA_DIR）。',
        },
      ),
    );
  }
}
