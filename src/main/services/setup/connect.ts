import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AppError } from '../../../shared/errors';
import { localizedError } from '../../../shared/errors';
import type { Result } from '../../../shared/result';
import { fail, ok } from '../../../shared/result';
import type { SetupSshTarget } from '../../../shared/setup-run';
import { connectSsh, createFileKnownHostsStore } from '../../adapters/ssh/index';
import type { HostKeyInfo, KnownHostsStore, SshAuth, SshSession } from '../../adapters/ssh/index';
import { defaultDataDir } from '../../adapters/storage/data-dir';
import {
  createRouterStore,
  rememberQuietly,
  routerStorePath,
} from '../../adapters/storage/router-store';
import type { SecretStore } from '../../adapters/storage/secret-store';
import type { RouterSighting } from '../../core/router/remembered';
import { createFileSecretStore } from '../../adapters/storage/secret-store';

/** The name under which Homeward's own SSH private key is kept. */
export const homewardKeyName = 'homeward_ed25519';

export interface SetupDeps {
  secrets: SecretStore;
  /** known_hosts used when a target names none. */
  defaultKnownHosts: string;
  connect(target: ConnectTarget, signal?: AbortSignal): Promise<Result<SshSession, AppError>>;
  /** Remembers a router signed in to or set up; its failures never reach the caller. */
  routerSeen?(sighting: RouterSighting): Promise<void>;
}

export interface ConnectTarget {
  host: string;
  port: number;
  user: string;
  auth: SshAuth;
  knownHostsFile: string;
  acceptNewHostKey: boolean;
  /** A key to accept for this host without a pin: the same router seen at its new address. */
  alsoTrust?: HostKeyInfo;
  readyTimeoutMs?: number;
}

/** The pins of `store`, plus one key trusted for one host and port (pinned on success). */
function withTrusted(
  store: KnownHostsStore,
  host: string,
  port: number,
  key: HostKeyInfo | undefined,
): KnownHostsStore {
  if (!key) return store;
  return {
    ...(store.location ? { location: store.location } : {}),
    async lookup(h, p) {
      const pinned = await store.lookup(h, p);
      if (h !== host || p !== port) return pinned;
      return pinned.some((k) => k.keyType === key.keyType) ? pinned : [...pinned, key];
    },
    pin: (h, p, type, base64) => store.pin(h, p, type, base64),
    forget: (h, p) => store.forget(h, p),
  };
}

export function createSetupDeps(dataDir: string = defaultDataDir()): SetupDeps {
  return {
    secrets: createFileSecretStore(path.join(dataDir, 'keys')),
    defaultKnownHosts: path.join(dataDir, 'known_hosts'),
    routerSeen: (sighting) =>
      rememberQuietly(createRouterStore(routerStorePath(dataDir)), sighting),
    async connect(target, signal) {
      const store = createFileKnownHostsStore(target.knownHostsFile);
      const session = await connectSsh(
        {
          host: target.host,
          port: target.port,
          username: target.user,
          auth: target.auth,
          knownHosts: withTrusted(store, target.host, target.port, target.alsoTrust),
          acceptNewHostKey: target.acceptNewHostKey,
          readyTimeoutMs: target.readyTimeoutMs ?? 10_000,
          // An apply can pull the address from under a session: notice a dead one in seconds,
          // not the 45 s of the default, so waits on it end and the reconnect starts.
          keepaliveIntervalMs: 2000,
        },
        signal,
      );
      if (!session.ok) return fail(session.error as AppError);
      if (target.alsoTrust && !session.value.hostKey.newlyPinned) {
        // Seen through alsoTrust: keep it pinned for the next run at this address.
        const known = await store.lookup(target.host, target.port);
        const key = session.value.hostKey;
        if (!known.some((k) => k.keyBase64 === key.keyBase64))
          await store.pin(target.host, target.port, key.keyType, key.keyBase64);
      }
      return ok(session.value);
    },
  };
}

/** What `deps.connect` needs for a target: its sign-in and the pinned host keys to check. */
export async function connectTargetFor(
  target: SetupSshTarget,
  deps: Pick<SetupDeps, 'secrets' | 'defaultKnownHosts'>,
  field: string,
): Promise<Result<ConnectTarget, AppError>> {
  const auth = await authForTarget(target, deps.secrets, field);
  if (!auth.ok) return auth;
  return ok({
    host: target.host,
    port: target.port,
    user: target.user,
    auth: auth.value,
    knownHostsFile: target.knownHostsFile ?? deps.defaultKnownHosts,
    acceptNewHostKey: target.acceptNewHostKey,
  });
}

/**
 * How to sign in to a target: its key file, else Homeward's own key (installed by sign-in),
 * else the SSH agent.
 */
export async function authForTarget(
  target: SetupSshTarget,
  secrets: SecretStore,
  field: string,
): Promise<Result<SshAuth, AppError>> {
  if (target.identityFile) {
    try {
      return ok({ kind: 'key', privateKey: await readFile(target.identityFile) });
    } catch (error) {
      return fail(
        localizedError(
          'invalid-request',
          {
            message: `Cannot read the identity file ${target.identityFile}: ${(error as Error).message}`,
            fix: 'Pass the path of a private key file you can read.',
          },
          {
            message: `无法读取身份文件 ${target.identityFile}：${(error as Error).message}`,
            fix: '请提供一个你有权读取的私钥文件路径。',
          },
          { field },
        ),
      );
    }
  }
  let own: string | undefined;
  try {
    own = await secrets.read(homewardKeyName);
  } catch (error) {
    return fail(
      localizedError(
        'invalid-request',
        {
          message: (error as Error).message,
          fix: 'Fix the key file permissions, or pass --identity FILE.',
        },
        {
          message: `无法读取 Homeward 的 SSH 密钥：${(error as Error).message}`,
          fix: '请修正密钥文件的权限，或指定 --identity FILE。',
        },
        { field },
      ),
    );
  }
  if (own) return ok({ kind: 'key', privateKey: own });
  if (process.env['SSH_AUTH_SOCK']) return ok({ kind: 'agent' });
  return fail(
    localizedError(
      'invalid-request',
      {
        message: `No way to sign in to ${target.host}: no key and no SSH agent.`,
        fix: 'Run "homeward setup sign-in" with the router password once, or pass --identity FILE.',
      },
      {
        message: `无法登录 ${target.host}：没有密钥，也没有 SSH agent。`,
        fix: '请用路由器密码登录一次（homeward setup sign-in），或指定 --identity FILE。',
      },
      { field },
    ),
  );
}
