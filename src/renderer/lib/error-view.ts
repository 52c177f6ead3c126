import type { AppError, AppErrorKind } from '../../shared/errors';
import { assertNever } from '../../shared/errors';
import type { MessageKey } from '../i18n/en';

/** What the screen offers next to an error, beyond its message and fix. */
export type ErrorAction =
  | { kind: 'trust-host-key'; fingerprint?: string }
  | { kind: 'host-key-changed' }
  | { kind: 'check-field'; field: string }
  | { kind: 'retry' }
  | { kind: 'none' };

function fingerprintOf(error: AppError): string | undefined {
  const direct = (error as AppError & { fingerprint?: unknown }).fingerprint;
  if (typeof direct === 'string') return direct;
  return /SHA256:[A-Za-z0-9+/=]+/.exec(error.message)?.[0];
}

export function errorAction(error: AppError): ErrorAction {
  const kind: AppErrorKind = error.kind;
  switch (kind) {
    case 'host-key-unknown': {
      const fingerprint = fingerprintOf(error);
      return fingerprint ? { kind: 'trust-host-key', fingerprint } : { kind: 'trust-host-key' };
    }
    case 'host-key-changed':
      return { kind: 'host-key-changed' };
    case 'invalid-request':
    case 'key-unreadable':
    case 'auth-failed':
      return error.field ? { kind: 'check-field', field: error.field } : { kind: 'retry' };
    case 'connect-refused':
    case 'connect-timeout':
    case 'host-unreachable':
    case 'ssh-closed':
    case 'ssh-failed':
    case 'remote-command-failed':
    case 'tool-missing':
    case 'tool-failed':
    case 'tool-timeout':
    case 'not-available':
    case 'history-failed':
    case 'system-info-failed':
      return { kind: 'retry' };
    case 'cancelled':
    case 'not-found':
    case 'unknown-command':
    case 'internal':
      return { kind: 'none' };
    default:
      return assertNever(kind);
  }
}

export const errorTitles: Record<AppErrorKind, MessageKey> = {
  'invalid-request': 'error.invalid-request',
  'unknown-command': 'error.internal',
  'not-available': 'error.not-available',
  'system-info-failed': 'error.system-info-failed',
  'tool-missing': 'error.tool-missing',
  'tool-failed': 'error.tool-failed',
  'tool-timeout': 'error.tool-timeout',
  cancelled: 'error.cancelled',
  'history-failed': 'error.history-failed',
  'not-found': 'error.not-found',
  internal: 'error.internal',
  'host-key-unknown': 'error.host-key-unknown',
  'host-key-changed': 'error.host-key-changed',
  'auth-failed': 'error.auth-failed',
  'key-unreadable': 'error.key-unreadable',
  'connect-refused': 'error.connect-refused',
  'connect-timeout': 'error.connect-timeout',
  'host-unreachable': 'error.host-unreachable',
  'ssh-closed': 'error.ssh-closed',
  'ssh-failed': 'error.ssh-failed',
  'remote-command-failed': 'error.remote-command-failed',
};

/** Request fields as the services name them, with the form label that edits each. */
export const fieldLabels: Partial<Record<string, MessageKey>> = {
  'router.host': 'doctor.form.host',
  'router.port': 'doctor.form.port',
  'router.user': 'doctor.form.user',
  identity: 'doctor.form.identity',
  targetMbps: 'doctor.form.target',
  durationS: 'doctor.form.duration',
  packetBytes: 'doctor.form.packet',
  homeIperf: 'doctor.form.home-iperf',
  router: 'setup.find.manual',
  password: 'setup.sign-in.password',
  wgQuick: 'setup.home.import',
  'home.endpointHost': 'setup.field.endpointHost',
  'home.publicKey': 'setup.field.homePublicKey',
  'travel.privateKey': 'setup.field.travelPrivateKey',
  'travel.publicKey': 'setup.field.travelPublicKey',
  'travel.tunnelAddress': 'setup.field.travelTunnel',
  'home.tunnelAddress': 'setup.field.homeTunnel',
  underlayMtu: 'setup.field.underlayMtu',
  'vxlan.vid': 'setup.field.vid',
};
