import path from 'node:path';
import type { DoctorRequest, SshTargetRequest } from '../../../shared/doctor';
import type { AppError } from '../../../shared/errors';
import { appError } from '../../../shared/errors';
import type { Result } from '../../../shared/result';
import { fail, ok } from '../../../shared/result';
import { tcpReachable } from '../../adapters/network/tcp-reachable';
import { connectSsh, createFileKnownHostsStore } from '../../adapters/ssh/index';
import { defaultDataDir } from '../../adapters/storage/data-dir';
import {
  createRouterStore,
  rememberQuietly,
  routerStorePath,
} from '../../adapters/storage/router-store';
import { createFileSecretStore } from '../../adapters/storage/secret-store';
import type { SecretStore } from '../../adapters/storage/secret-store';
import { authForTarget } from '../setup/connect';
import { fetchLocalNetwork } from '../../adapters/system/local-network';
import { summarizeLocalNetwork } from '../../core/local-network';
import type { PingOs } from '../../core/parsers/ping-args';
import type { DoctorDeps, RouterConnection } from './run-doctor';
import { localRunner } from './runners';

async function connect(
  target: SshTargetRequest,
  knownHostsFile: string,
  acceptNewHostKey: boolean,
  secrets: SecretStore,
  signal: AbortSignal,
): Promise<Result<RouterConnection, AppError>> {
  // The same sign-in as setup: the key file, else Homeward's own key, else the SSH agent.
  const auth = await authForTarget({ ...target, acceptNewHostKey }, secrets, 'identity');
  if (!auth.ok) return auth;
  if (signal.aborted) return fail(appError('cancelled', 'Cancelled before connecting.'));
  const session = await connectSsh({
    host: target.host,
    port: target.port,
    username: target.user,
    auth: auth.value,
    knownHosts: createFileKnownHostsStore(knownHostsFile),
    acceptNewHostKey,
  });
  if (!session.ok) return fail(session.error as AppError);
  return ok(session.value);
}

export function localPingOs(platform: string = process.platform): PingOs {
  return platform === 'win32' ? 'win32' : platform === 'darwin' ? 'darwin' : 'linux';
}

export function knownHostsPath(request: DoctorRequest['router']): string {
  return request.knownHostsFile ?? path.join(defaultDataDir(), 'known_hosts');
}

/** The real adapters behind the doctor, for the CLI and the app alike. */
export function createDoctorDeps(
  secrets: SecretStore = createFileSecretStore(path.join(defaultDataDir(), 'keys')),
): DoctorDeps {
  return {
    connectRouter: (request, signal) =>
      connect(request, knownHostsPath(request), request.acceptNewHostKey, secrets, signal),
    connectHome: (request, acceptNewHostKey, signal) =>
      connect(
        request,
        path.join(defaultDataDir(), 'known_hosts'),
        acceptNewHostKey,
        secrets,
        signal,
      ),
    local: localRunner(),
    localOs: localPingOs(),
    localNetwork: async () => {
      try {
        return summarizeLocalNetwork(await fetchLocalNetwork());
      } catch {
        return undefined;
      }
    },
    tcpReachable,
    now: () => Date.now(),
    routerSeen: (sighting) =>
      rememberQuietly(createRouterStore(routerStorePath(defaultDataDir())), sighting),
  };
}
