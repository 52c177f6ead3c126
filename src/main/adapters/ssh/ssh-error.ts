import type { AppError } from '../../../shared/errors';
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

export function sshError(kind: PlainKind, message: string, fix?: string): SshError {
  return fix === undefined ? { kind, message } : { kind, message, fix };
}

function where(host: string, port: number): string {
  return port === 22 ? host : `${host} port ${port}`;
}

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
    fix:
      'Check that this fingerprint matches the router (on the router: dropbearkey -y -f ' +
      '/etc/dropbear/dropbear_ed25519_host_key, or ssh-keygen -lf on OpenSSH), then connect ' +
      'again and accept the key.',
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
  const detail = e.message ?? String(error);
  switch (e.code) {
    case 'ECONNREFUSED':
      return sshError(
        'connect-refused',
        `${at} refused the SSH connection.`,
        'Check the address and port, and that the SSH server (dropbear) runs on the router.',
      );
    case 'ETIMEDOUT':
      return sshError(
        'connect-timeout',
        `${at} did not answer in time.`,
        'Check that this computer is connected to the router and the address is right.',
      );
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return sshError(
        'host-unreachable',
        `${at} is unreachable from this computer (${e.code}).`,
        'Connect to the router network (cable or Wi-Fi) and check the address.',
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return sshError(
        'host-unreachable',
        `The name ${host} could not be resolved.`,
        'Use the router IP address, e.g. 192.168.8.1.',
      );
    case 'ECONNRESET':
    case 'EPIPE':
      return sshError(
        'ssh-closed',
        `${at} closed the connection during sign-in.`,
        'The SSH server may limit connections; wait a moment and try again.',
      );
  }
  if (e.level === 'client-authentication') {
    return sshError(
      'auth-failed',
      `${at} did not accept the sign-in (${detail}).`,
      'Check the user name and the key or password; a key must be in the router authorized_keys.',
    );
  }
  if (e.level === 'client-timeout') {
    return sshError(
      'connect-timeout',
      `${at} did not finish the SSH handshake in time.`,
      'Check that the router is reachable and that SSH runs on this port.',
    );
  }
  return sshError('ssh-failed', `SSH to ${at} failed: ${detail}.`);
}
