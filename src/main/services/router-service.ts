import path from 'node:path';
import type { DoctorRequest } from '../../shared/doctor';
import type { AppError, ErrorText } from '../../shared/errors';
import { localizedError } from '../../shared/errors';
import type { Result } from '../../shared/result';
import { fail, ok } from '../../shared/result';
import { routerSchema } from '../../shared/router';
import type {
  RememberedRouter,
  RouterList,
  RouterStatus,
  RouterStatusRequest,
} from '../../shared/router';
import { defaultDataDir } from '../adapters/storage/data-dir';
import {
  createRouterStore,
  rememberQuietly,
  routerStorePath,
} from '../adapters/storage/router-store';
import type { RouterStore } from '../adapters/storage/router-store';
import { createFileSecretStore } from '../adapters/storage/secret-store';
import { sameRouter } from '../core/router/remembered';
import {
  defaultRouterNames,
  readRouterStatus,
  routerStatusCommands,
} from '../core/router/router-status';
import type { RouterNames } from '../core/router/router-status';
import { createDoctorDeps } from './doctor/deps';
import { execSections } from './doctor/remote';
import { parseExport, routerLayout } from './doctor/router-config';
import type { DoctorDeps, RouterConnection } from './doctor/run-doctor';

// The router card's use cases: the remembered routers, and one router's status read over one
// SSH connection with the pinned host key (never pinning a new one: that is sign-in's and
// setup's job, where the person sees the fingerprint).

export interface RouterServiceDeps {
  store: RouterStore;
  connect(
    target: DoctorRequest['router'],
    signal: AbortSignal,
  ): Promise<Result<RouterConnection, AppError>>;
  now(): Date;
}

/**
 * The real store and SSH. `doctor` is the shell's doctor adapters when it has them (the
 * Electron app keeps Homeward's key in the OS keychain), so the card signs in as the doctor does.
 */
export function createRouterServiceDeps(
  dataDir: string = defaultDataDir(),
  doctor: Pick<DoctorDeps, 'connectRouter'> = createDoctorDeps(
    createFileSecretStore(path.join(dataDir, 'keys')),
  ),
): RouterServiceDeps {
  return {
    store: createRouterStore(routerStorePath(dataDir)),
    connect: (target, signal) =>
      doctor.connectRouter(
        { ...target, knownHostsFile: target.knownHostsFile ?? path.join(dataDir, 'known_hosts') },
        signal,
      ),
    now: () => new Date(),
  };
}

/** Kinds that mean "this computer cannot sign in with a key": the card offers sign-in. */
function isSignInProblem(error: AppError): boolean {
  if (error.kind === 'auth-failed' || error.kind === 'key-unreadable') return true;
  return error.kind === 'invalid-request' && error.field === 'identity';
}

function invalid(field: string, en: Required<ErrorText>, zh: Required<ErrorText>): AppError {
  return localizedError('invalid-request', en, zh, { field });
}

/** Untrusted input (the WebSocket, IPC): check each field's type before using it. */
export function validateStatusRequest(request: unknown): Result<RouterStatusRequest, AppError> {
  if (request === undefined || request === null) return ok({});
  if (typeof request !== 'object' || Array.isArray(request))
    return fail(
      invalid(
        'router',
        { message: 'The status request must be an object.', fix: 'Pass { host?, port? }.' },
        { message: '状态请求必须是一个对象。', fix: '请传入 { host?, port? }。' },
      ),
    );
  const r = request as Record<string, unknown>;
  const out: RouterStatusRequest = {};
  for (const key of ['host', 'user', 'identityFile', 'knownHostsFile'] as const) {
    const value = r[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.trim() === '' || value.length > 4096)
      return fail(
        invalid(
          key,
          { message: `${key} must be a non-empty text.`, fix: `Give a valid ${key}.` },
          { message: `${key} 必须是非空文本。`, fix: `请提供有效的 ${key}。` },
        ),
      );
    out[key] = value.trim();
  }
  if (out.host !== undefined && (/[\s/\\'"`$;|&<>]/.test(out.host) || out.host.startsWith('-')))
    return fail(
      invalid(
        'router.host',
        { message: `"${out.host}" is not a host name or address.`, fix: 'Use e.g. 192.168.8.1.' },
        { message: `“${out.host}”不是主机名或地址。`, fix: '请使用例如 192.168.8.1。' },
      ),
    );
  if (r['port'] !== undefined) {
    const port = r['port'];
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535)
      return fail(
        invalid(
          'router.port',
          { message: 'The port must be 1 to 65535.', fix: 'SSH uses port 22.' },
          { message: '端口必须在 1 到 65535 之间。', fix: 'SSH 使用 22 端口。' },
        ),
      );
    out.port = port;
  }
  return ok(out);
}

/** A status this often is enough to keep lastSeen useful without rewriting the file each poll. */
const rememberEveryMs = 5 * 60_000;

function changed(
  known: RememberedRouter | undefined,
  status: RouterStatus,
  asked: RouterStatusRequest,
  nowMs: number,
): boolean {
  if (!known) return true;
  return (
    (asked.identityFile !== undefined && asked.identityFile !== known.identityFile) ||
    (asked.knownHostsFile !== undefined && asked.knownHostsFile !== known.knownHostsFile) ||
    known.user !== status.user ||
    known.hostname !== status.hostname ||
    known.model !== status.model ||
    known.release !== status.release ||
    known.hostKeyFingerprint !== status.hostKeyFingerprint ||
    nowMs - Date.parse(known.lastSeen) > rememberEveryMs
  );
}

export function createRouterService(deps: () => RouterServiceDeps) {
  const owner = new AbortController();

  async function list(): Promise<Result<RouterList, AppError>> {
    try {
      const { routers, notices } = await deps().store.list();
      return ok({ schema: routerSchema, routers, notices });
    } catch (error) {
      return fail(
        localizedError(
          'not-available',
          {
            message: `The remembered routers cannot be read: ${(error as Error).message}`,
            fix: 'Check that the Homeward data directory is readable (HOMEWARD_DATA_DIR).',
          },
          {
            message: `无法读取已记住的路由器：${(error as Error).message}`,
            fix: '请确认 Homeward 的数据目录可读（HOMEWARD_DATA_DIR）。',
          },
        ),
      );
    }
  }

  async function status(raw: unknown): Promise<Result<RouterStatus, AppError>> {
    const request = validateStatusRequest(raw);
    if (!request.ok) return request;
    const d = deps();
    const known = await d.store.list().catch(() => ({ routers: [] as RememberedRouter[] }));
    const { host: askedHost, port: askedPort } = request.value;
    const remembered = askedHost
      ? known.routers.find((r) => sameRouter(r, askedHost, askedPort ?? r.port))
      : known.routers[0];
    const host = askedHost ?? remembered?.host;
    if (!host)
      return fail(
        localizedError(
          'not-found',
          {
            message: 'No router is remembered yet.',
            fix: 'Sign in to your travel router or set it up (the setup wizard, or "homeward setup sign-in"), or pass --host.',
          },
          {
            message: '还没有记住任何路由器。',
            fix: '请登录或设置你的旅行路由器（设置向导，或 “homeward setup sign-in”），或指定 --host。',
          },
        ),
      );
    const identityFile = request.value.identityFile ?? remembered?.identityFile;
    const knownHostsFile = request.value.knownHostsFile ?? remembered?.knownHostsFile;
    const target: DoctorRequest['router'] = {
      host,
      port: askedPort ?? remembered?.port ?? 22,
      user: request.value.user ?? remembered?.user ?? 'root',
      ...(identityFile ? { identityFile } : {}),
      ...(knownHostsFile ? { knownHostsFile } : {}),
      acceptNewHostKey: false,
    };
    const base: Pick<RouterStatus, 'schema' | 'host' | 'port' | 'user'> = {
      schema: routerSchema,
      host: target.host,
      port: target.port,
      user: target.user,
    };
    const connected = await d.connect(target, owner.signal);
    if (!connected.ok) {
      if (!isSignInProblem(connected.error)) return fail(connected.error);
      const { kind, message, fix, localized } = connected.error;
      return ok({
        ...base,
        ...(remembered?.hostname ? { hostname: remembered.hostname } : {}),
        ...(remembered?.model ? { model: remembered.model } : {}),
        ...(remembered?.release ? { release: remembered.release } : {}),
        signedIn: false,
        signInProblem: {
          kind,
          message,
          ...(fix ? { fix } : {}),
          ...(localized ? { localized } : {}),
        },
        measuredAt: d.now().toISOString(),
      });
    }
    const session = connected.value;
    try {
      const sections = await execSections(session, [...routerStatusCommands], {
        signal: owner.signal,
        timeoutMs: 10_000,
      });
      if (!sections)
        return fail(
          localizedError(
            'remote-command-failed',
            {
              message: `${host} did not answer the status commands over SSH.`,
              fix: 'Try again; if it keeps failing, restart the router.',
            },
            {
              message: `${host} 没有通过 SSH 回应状态命令。`,
              fix: '请重试；如果一直失败，请重启路由器。',
            },
          ),
        );
      const [
        board = '',
        release = '',
        hostname = '',
        network,
        wgDump = '',
        ipAddr = '',
        sysfs = '',
        now = '',
      ] = sections;
      const layout = routerLayout(parseExport(network));
      const names: RouterNames = {
        wgInterface: layout.wgInterface ?? defaultRouterNames.wgInterface,
        l2Bridge: layout.l2Bridge ?? defaultRouterNames.l2Bridge,
        vxlanInterface: layout.vxlanInterface ?? defaultRouterNames.vxlanInterface,
      };
      const reading = readRouterStatus(
        { board, release, hostname, wgDump, ipAddr, sysfsLinks: sysfs, now },
        names,
      );
      const measured = d.now();
      const result: RouterStatus = {
        ...base,
        ...(session.hostKey ? { hostKeyFingerprint: session.hostKey.fingerprint } : {}),
        ...(reading.hostname ? { hostname: reading.hostname } : {}),
        ...(reading.model ? { model: reading.model } : {}),
        ...(reading.release ? { release: reading.release } : {}),
        signedIn: true,
        tunnel: reading.tunnel,
        bridge: reading.bridge,
        measuredAt: measured.toISOString(),
      };
      if (changed(remembered, result, request.value, measured.getTime()))
        await rememberQuietly(d.store, {
          host: target.host,
          port: target.port,
          user: target.user,
          ...(request.value.identityFile ? { identityFile: request.value.identityFile } : {}),
          ...(request.value.knownHostsFile ? { knownHostsFile: request.value.knownHostsFile } : {}),
          ...(result.hostKeyFingerprint ? { hostKeyFingerprint: result.hostKeyFingerprint } : {}),
          ...(result.hostname ? { hostname: result.hostname } : {}),
          ...(result.model ? { model: result.model } : {}),
          ...(result.release ? { release: result.release } : {}),
          seenBy: 'status',
        });
      return ok(result);
    } finally {
      await session.close();
    }
  }

  return {
    list,
    status,
    dispose(): Promise<void> {
      owner.abort();
      return Promise.resolve();
    },
  };
}

export type RouterService = ReturnType<typeof createRouterService>;
