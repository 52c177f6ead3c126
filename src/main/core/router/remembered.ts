import type { RememberedRouter, RouterSeenBy } from '../../../shared/router';
import { finiteNumber, isRecord, list, parseJsonText, string } from '../parsers/json-fields';

// The remembered-routers file: what it holds, how a new sighting merges in, how it is read back.

export const routerStoreSchema = 'homeward.routers/1';

/** Enough for every router a person travels with; the file stays small. */
export const maxRememberedRouters = 50;

/** What a use case knows when it reaches a router; absent fields keep what was remembered. */
export interface RouterSighting {
  host: string;
  port: number;
  user: string;
  /** The key file used; absent (Homeward's key, the agent, or not known) keeps the old one. */
  identityFile?: string;
  /** A known_hosts other than Homeward's own; absent keeps the remembered one. */
  knownHostsFile?: string;
  hostKeyFingerprint?: string;
  hostname?: string;
  model?: string;
  release?: string;
  seenBy: RouterSeenBy;
}

export function sameRouter(a: { host: string; port: number }, host: string, port: number): boolean {
  return a.host.toLowerCase() === host.toLowerCase() && a.port === port;
}

/** Most recently seen first. */
export function byRecency(routers: readonly RememberedRouter[]): RememberedRouter[] {
  return [...routers].sort((a, b) => Date.parse(b.lastSeen) - Date.parse(a.lastSeen));
}

export function rememberSighting(
  routers: readonly RememberedRouter[],
  sighting: RouterSighting,
  nowIso: string,
): RememberedRouter[] {
  const known = routers.find((r) => sameRouter(r, sighting.host, sighting.port));
  const merged: RememberedRouter = {
    host: sighting.host,
    port: sighting.port,
    user: sighting.user,
    ...optional('identityFile', sighting.identityFile ?? known?.identityFile),
    ...optional('knownHostsFile', sighting.knownHostsFile ?? known?.knownHostsFile),
    ...optional('hostKeyFingerprint', sighting.hostKeyFingerprint ?? known?.hostKeyFingerprint),
    ...optional('label', known?.label),
    ...optional('hostname', sighting.hostname ?? known?.hostname),
    ...optional('model', sighting.model ?? known?.model),
    ...optional('release', sighting.release ?? known?.release),
    firstSeen: known?.firstSeen ?? nowIso,
    lastSeen: nowIso,
    seenBy: sighting.seenBy,
  };
  const others = routers.filter((r) => r !== known);
  return byRecency([merged, ...others]).slice(0, maxRememberedRouters);
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

export function serializeRouterStore(routers: readonly RememberedRouter[]): string {
  return `${JSON.stringify({ schema: routerStoreSchema, routers }, null, 2)}\n`;
}

export type RouterStoreParse =
  { kind: 'ok'; routers: RememberedRouter[] } | { kind: 'corrupt'; message: string };

const seenByValues: readonly RouterSeenBy[] = ['sign-in', 'setup', 'doctor', 'status'];

function routerOf(value: unknown): RememberedRouter | undefined {
  if (!isRecord(value)) return undefined;
  const host = string(value.host);
  const port = finiteNumber(value.port);
  const user = string(value.user);
  const firstSeen = string(value.firstSeen);
  const lastSeen = string(value.lastSeen);
  const seenBy = string(value.seenBy) as RouterSeenBy | undefined;
  if (!host || port === undefined || !Number.isInteger(port) || port < 1 || port > 65535)
    return undefined;
  if (!user || !firstSeen || !lastSeen || Number.isNaN(Date.parse(lastSeen))) return undefined;
  if (!seenBy || !seenByValues.includes(seenBy)) return undefined;
  const router: RememberedRouter = { host, port, user, firstSeen, lastSeen, seenBy };
  for (const key of [
    'identityFile',
    'knownHostsFile',
    'hostKeyFingerprint',
    'label',
    'hostname',
    'model',
    'release',
  ] as const) {
    const text = string(value[key]);
    if (text !== undefined) router[key] = text;
  }
  return router;
}

/**
 * Reads the file strictly: anything unexpected is `corrupt`, so the store keeps the file aside
 * for the person instead of silently dropping entries it does not understand.
 */
export function parseRouterStore(text: string): RouterStoreParse {
  const parsed = parseJsonText(text);
  if (parsed.kind === 'error') return { kind: 'corrupt', message: parsed.message };
  if (!isRecord(parsed.value) || parsed.value.schema !== routerStoreSchema)
    return { kind: 'corrupt', message: `not a ${routerStoreSchema} file` };
  if (!Array.isArray(parsed.value.routers))
    return { kind: 'corrupt', message: 'the routers list is missing' };
  const routers: RememberedRouter[] = [];
  for (const [i, item] of list(parsed.value.routers).entries()) {
    const router = routerOf(item);
    if (!router) return { kind: 'corrupt', message: `entry ${i + 1} is incomplete` };
    routers.push(router);
  }
  return { kind: 'ok', routers: byRecency(routers) };
}
