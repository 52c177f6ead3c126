import ssh2 from 'ssh2';
import type { ConnectConfig } from 'ssh2';
import { fail, ok } from '../../../shared/result';
import type { Result } from '../../../shared/result';
import { describeHostKey, preferredHostKeyAlgorithms } from './host-key';
import type { HostKeyInfo } from './host-key';
import type { KnownHostsStore } from './known-hosts';
import { createSession } from './session';
import type { SshHostKey, SshSession } from './session';
import { connectFailure, hostKeyChanged, hostKeyUnknown, sshError } from './ssh-error';
import type { SshError } from './ssh-error';

export type SshAuth =
  | { kind: 'key'; privateKey: string | Uint8Array; passphrase?: string }
  /** An ssh-agent socket; defaults to SSH_AUTH_SOCK. */
  | { kind: 'agent'; socket?: string }
  | { kind: 'password'; password: string };

export interface SshConnectOptions {
  host: string;
  port?: number;
  username?: string;
  auth: SshAuth;
  knownHosts: KnownHostsStore;
  /** Pin a key never seen for this host. A changed key is refused regardless. */
  acceptNewHostKey?: boolean;
  readyTimeoutMs?: number;
  keepaliveIntervalMs?: number;
}

let connectionsOpened = 0;

/** TCP connections this adapter has opened in this process (tests prove one per run with it). */
export function sshConnectionsOpened(): number {
  return connectionsOpened;
}

type AuthConfig = Pick<
  ConnectConfig,
  'privateKey' | 'passphrase' | 'agent' | 'password' | 'tryKeyboard'
>;

function authConfig(auth: SshAuth): Result<AuthConfig, SshError> {
  switch (auth.kind) {
    case 'key': {
      const key =
        typeof auth.privateKey === 'string' ? auth.privateKey : Buffer.from(auth.privateKey);
      // ssh2 throws on a key it cannot read; check first so it arrives as data.
      const parsed = ssh2.utils.parseKey(key, auth.passphrase);
      if (parsed instanceof Error) {
        const encrypted = /encrypted|passphrase/i.test(parsed.message);
        return fail(
          sshError(
            'key-unreadable',
            `The private key cannot be used: ${parsed.message}.`,
            encrypted
              ? 'Give the passphrase of this key.'
              : 'Use an OpenSSH-format private key (ed25519, ecdsa or RSA).',
            {
              message: `无法使用该私钥：${parsed.message}。`,
              fix: encrypted
                ? '请提供该密钥的密码短语。'
                : '请使用 OpenSSH 格式的私钥（ed25519、ecdsa 或 RSA）。',
            },
          ),
        );
      }
      return ok(
        auth.passphrase === undefined
          ? { privateKey: key }
          : { privateKey: key, passphrase: auth.passphrase },
      );
    }
    case 'agent': {
      const socket = auth.socket ?? process.env.SSH_AUTH_SOCK;
      if (!socket) {
        return fail(
          sshError(
            'auth-failed',
            'No SSH agent is available (SSH_AUTH_SOCK is not set).',
            'Start ssh-agent and add your key with ssh-add, or sign in with a key file.',
            {
              message: '没有可用的 SSH agent（未设置 SSH_AUTH_SOCK）。',
              fix: '请启动 ssh-agent 并用 ssh-add 添加密钥，或使用密钥文件登录。',
            },
          ),
        );
      }
      return ok({ agent: socket });
    }
    case 'password':
      return ok({ password: auth.password, tryKeyboard: true });
  }
}

/**
 * Opens one SSH connection and verifies the host key against the pins before anything runs:
 * an unknown key is refused unless `acceptNewHostKey` (then pinned), a changed key always.
 */
export async function connectSsh(
  options: SshConnectOptions,
  signal?: AbortSignal,
): Promise<Result<SshSession, SshError>> {
  const host = options.host;
  const port = options.port ?? 22;
  const username = options.username ?? 'root';
  const cancelled = () =>
    sshError('cancelled', `Connecting to ${host} was cancelled.`, undefined, {
      message: `已取消连接 ${host}。`,
    });
  if (signal?.aborted) return fail(cancelled());
  const auth = authConfig(options.auth);
  if (!auth.ok) return auth;

  let pinned: HostKeyInfo[];
  try {
    pinned = await options.knownHosts.lookup(host, port);
  } catch (error) {
    return fail(
      sshError(
        'ssh-failed',
        `The known hosts file ${options.knownHosts.location ?? ''} cannot be read: ${String(error)}.`,
        undefined,
        {
          message: `无法读取已知主机文件 ${options.knownHosts.location ?? ''}：${String(error)}。`,
        },
      ),
    );
  }
  if (signal?.aborted) return fail(cancelled());

  return new Promise((resolve) => {
    const client = new ssh2.Client();
    let settled = false;
    let refusal: SshError | undefined;
    let presented: SshHostKey | undefined;
    let pinning: Promise<void> | undefined;

    const onAbort = () => giveUp(cancelled());
    function settle(result: Result<SshSession, SshError>) {
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      resolve(result);
    }
    function giveUp(error: SshError) {
      if (settled) return;
      settle(fail(error));
      client.end();
      client.destroy();
    }
    signal?.addEventListener('abort', onAbort, { once: true });

    const hostVerifier = (key: Buffer): boolean => {
      const info = describeHostKey(key);
      if (pinned.some((k) => k.keyType === info.keyType && k.keyBase64 === info.keyBase64)) {
        presented = { ...info, newlyPinned: false };
        return true;
      }
      const sameType = pinned.find((k) => k.keyType === info.keyType) ?? pinned[0];
      if (sameType) {
        refusal = hostKeyChanged(
          host,
          port,
          info.keyType,
          sameType.fingerprint,
          info.fingerprint,
          options.knownHosts.location,
        );
        return false;
      }
      if (!options.acceptNewHostKey) {
        refusal = hostKeyUnknown(host, port, info.keyType, info.fingerprint);
        return false;
      }
      presented = { ...info, newlyPinned: true };
      return true;
    };

    client.on('connect', () => {
      connectionsOpened += 1;
    });
    // 'handshake' comes after the server proved it holds the key, so only then is it pinned.
    client.on('handshake', () => {
      if (presented?.newlyPinned) {
        pinning = options.knownHosts.pin(host, port, presented.keyType, presented.keyBase64);
      }
    });
    client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finish) => {
      const password = options.auth.kind === 'password' ? options.auth.password : '';
      finish(prompts.map(() => password));
    });
    client.on('ready', () => {
      void (async () => {
        try {
          await pinning;
        } catch (error) {
          giveUp(
            sshError(
              'ssh-failed',
              `The host key could not be saved: ${String(error)}.`,
              undefined,
              {
                message: `无法保存主机密钥：${String(error)}。`,
              },
            ),
          );
          return;
        }
        if (settled || !presented) {
          client.end();
          return;
        }
        settle(ok(createSession(client, { host, port, username, hostKey: presented })));
      })();
    });
    client.on('error', (error) => giveUp(refusal ?? connectFailure(error, host, port)));
    client.on('close', () =>
      giveUp(
        refusal ??
          sshError('ssh-closed', `${host} closed the connection during sign-in.`, undefined, {
            message: `${host} 在登录过程中关闭了连接。`,
          }),
      ),
    );

    const algorithms = preferredHostKeyAlgorithms(pinned.map((k) => k.keyType));
    const config: ConnectConfig = {
      host,
      port,
      username,
      readyTimeout: options.readyTimeoutMs ?? 10_000,
      keepaliveInterval: options.keepaliveIntervalMs ?? 15_000,
      keepaliveCountMax: 3,
      hostVerifier,
      ...auth.value,
    };
    if (algorithms.length > 0) {
      // ssh2's `prepend` skips names already in the default list, so remove them first.
      config.algorithms = {
        serverHostKey: {
          remove: algorithms,
          prepend: algorithms,
          append: [],
        } as unknown as NonNullable<ConnectConfig['algorithms']>['serverHostKey'],
      };
    }
    try {
      client.connect(config);
    } catch (error) {
      giveUp(
        sshError('ssh-failed', `SSH to ${host} could not start: ${String(error)}.`, undefined, {
          message: `无法开始 SSH 连接 ${host}：${String(error)}。`,
        }),
      );
    }
  });
}
