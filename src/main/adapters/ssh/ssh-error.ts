import type { AppError, ErrorText } from '../../../shared/errors';
import { keyTypeLabel } from './host-key';

export type SshError =
  | (AppError & {
      kind: 'host-key-unknown';
      host: string;
      port: number;
      keyType: string;
      fingerprint: string;
    })
  | (AppError & {
      kind: 'host-key-changed';
      host: string;
      port: number;
      keyType: string;
      expected: string;
      actual: string;
    })
  | (AppError & {
      kind:
        | 'auth-failed'
        | 'key-unreadable'
        | 'connect-refused'
        | 'connect-timeout'
        | 'host-unreachable'
        | 'ssh-closed'
        | 'ssh-failed'
        | 'remote-command-failed'
        | 'cancelled';
    });

type PlainKind = Exclude<SshError['kind'], 'host-key-unknown' | 'host-key-changed'>;

/** `zh` is the same text in Simplified Chinese, shown by the app when its locale is zh-CN. */
export function sshError(kind: PlainKind, message: string, fix?: string, zh?: ErrorText): SshError {
  return {
    kind,
    message,
    ...(fix === undefined ? {} : { fix }),
    ...(zh ? { localized: { 'zh-CN': zh } } : {}),
  };
}

function where(host: string, port: number): string {
  return port === 22 ? host : `${host} port ${port}`;
}

function whereZh(host: string, port: number): string {
  return port === 22 ? host : `${host}（端口 ${port}）`;
}

const checkFingerprint =
  'dropbearkey -y -f /etc/dropbear/dropbear_ed25519_host_key, or ssh-keygen -lf on OpenSSH';

export function hostKeyUnknown(
  host: string,
  port: number,
  keyType: string,
  fingerprint: string,
): SshError {
  return {
    kind: 'host-key-unknown',
    host,
    port,
    keyType,
    fingerprint,
    message: `${where(host, port)} is new to Homeward. Its ${keyTypeLabel(keyType)} host key fingerprint is ${fingerprint}.`,
    fix: `Check that this fingerprint matches the router (on the router: ${checkFingerprint}), then connect again and accept the key.`,
    localized: {
      'zh-CN': {
        message: `Homeward 尚未连接过 ${whereZh(host, port)}。它的 ${keyTypeLabel(keyType)} 主机密钥指纹为 ${fingerprint}。`,
        fix: `请核对该指纹与路由器上的一致（在路由器上运行 dropbearkey -y -f /etc/dropbear/dropbear_ed25519_host_key，OpenSSH 则用 ssh-keygen -lf），然后重新连接并接受该密钥。`,
      },
    },
  };
}

export function hostKeyChanged(
  host: string,
  port: number,
  keyType: string,
  expected: string,
  actual: string,
  knownHostsLocation?: string,
): SshError {
  const forget = knownHostsLocation
    ? `remove the line for ${host} from ${knownHostsLocation}`
    : `forget the old key for ${host}`;
  const forgetZh = knownHostsLocation
    ? `从 ${knownHostsLocation} 中删除 ${host} 那一行`
    : `忘记 ${host} 的旧密钥`;
  return {
    kind: 'host-key-changed',
    host,
    port,
    keyType,
    expected,
    actual,
    message:
      `The host key of ${where(host, port)} has changed: Homeward pinned ${expected}, the ` +
      `router now shows ${actual} (${keyTypeLabel(keyType)}). Nothing was run on it.`,
    fix:
      'If the router was reset or reflashed, this is expected: ' +
      `${forget} and connect again. If not, someone may be intercepting the connection: do not ` +
      'connect from this network.',
    localized: {
      'zh-CN': {
        message:
          `${whereZh(host, port)} 的主机密钥已改变：Homeward 记录的是 ${expected}，路由器现在显示 ` +
          `${actual}（${keyTypeLabel(keyType)}）。未在其上执行任何操作。`,
        fix:
          `如果路由器刚被重置或重刷固件，这是正常的：请${forgetZh}，然后重新连接。否则可能有人在拦截连接：` +
          '请不要从这个网络连接。',
      },
    },
  };
}

interface Ssh2ErrorLike {
  message?: string;
  code?: string;
  level?: string;
}

/** Maps a failure of ssh2's connect to an error kind a person can act on. */
export function connectFailure(error: unknown, host: string, port: number): SshError {
  const e = (typeof error === 'object' && error !== null ? error : {}) as Ssh2ErrorLike;
  const at = where(host, port);
  const atZh = whereZh(host, port);
  const detail = e.message ?? String(error);
  switch (e.code) {
    case 'ECONNREFUSED':
      return sshError(
        'connect-refused',
        `${at} refused the SSH connection.`,
        'Check the address and port, and that the SSH server (dropbear) runs on the router.',
        {
          message: `${atZh} 拒绝了 SSH 连接。`,
          fix: '请检查地址和端口，并确认路由器上的 SSH 服务（dropbear）正在运行。',
        },
      );
    case 'ETIMEDOUT':
      return sshError(
        'connect-timeout',
        `${at} did not answer in time.`,
        'Check that this computer is connected to the router and the address is right.',
        {
          message: `${atZh} 没有及时应答。`,
          fix: '请确认这台电脑已连接到路由器，并且地址正确。',
        },
      );
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return sshError(
        'host-unreachable',
        `${at} is unreachable from this computer (${e.code}).`,
        'Connect to the router network (cable or Wi-Fi) and check the address.',
        {
          message: `这台电脑无法访问 ${atZh}（${e.code}）。`,
          fix: '请连接到路由器的网络（网线或 Wi-Fi），并检查地址。',
        },
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return sshError(
        'host-unreachable',
        `The name ${host} could not be resolved.`,
        'Use the router IP address, e.g. 192.168.8.1.',
        {
          message: `无法解析名称 ${host}。`,
          fix: '请使用路由器的 IP 地址，例如 192.168.8.1。',
        },
      );
    case 'ECONNRESET':
    case 'EPIPE':
      return sshError(
        'ssh-closed',
        `${at} closed the connection during sign-in.`,
        'The SSH server may limit connections; wait a moment and try again.',
        {
          message: `${atZh} 在登录过程中关闭了连接。`,
          fix: 'SSH 服务可能限制了连接数；请稍等片刻再试。',
        },
      );
  }
  if (e.level === 'client-authentication') {
    return sshError(
      'auth-failed',
      `${at} did not accept the sign-in (${detail}).`,
      'Check the user name and the key or password; a key must be in the router authorized_keys.',
      {
        message: `${atZh} 未接受登录（${detail}）。`,
        fix: '请检查用户名以及密钥或密码；密钥必须在路由器的 authorized_keys 中。',
      },
    );
  }
  if (e.level === 'client-timeout') {
    return sshError(
      'connect-timeout',
      `${at} did not finish the SSH handshake in time.`,
      'Check that the router is reachable and that SSH runs on this port.',
      {
        message: `${atZh} 未能及时完成 SSH 握手。`,
        fix: '请确认路由器可以访问，并且 SSH 在这个端口上运行。',
      },
    );
  }
  return sshError('ssh-failed', `SSH to ${at} failed: ${detail}.`, undefined, {
    message: `SSH 连接 ${atZh} 失败：${detail}。`,
  });
}
