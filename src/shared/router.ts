// The routers Homeward remembers and their live status: the contract of `router:list`,
// `router:status` and `homeward router ... --json`. Numbers carry their unit in the name.

export const routerSchema = 'homeward.router/1';

/** Which use case last reached the router. */
export type RouterSeenBy = 'sign-in' | 'setup' | 'doctor' | 'status';

export interface RememberedRouter {
  host: string;
  port: number;
  user: string;
  /** The private key file used; absent: Homeward's own key (after sign-in) or the SSH agent. */
  identityFile?: string;
  /** A known_hosts file other than Homeward's own, when the router was reached with one. */
  knownHostsFile?: string;
  /** The pinned host key (`SHA256:...`); the pin itself lives in known_hosts. */
  hostKeyFingerprint?: string;
  /** A name the person gave; else the hostname is shown. */
  label?: string;
  hostname?: string;
  model?: string;
  release?: string;
  /** ISO 8601 times. */
  firstSeen: string;
  lastSeen: string;
  seenBy: RouterSeenBy;
}

export interface RouterList {
  schema: typeof routerSchema;
  /** Most recently seen first. */
  routers: RememberedRouter[];
  /** Things a person should know about the store (a corrupt file moved aside). */
  notices: string[];
}

/** A remembered router is picked by host (and port); without a host, the most recent one. */
export interface RouterStatusRequest {
  host?: string;
  port?: number;
  user?: string;
  identityFile?: string;
  knownHostsFile?: string;
}

/**
 * connected: a handshake within the last 180 s (WireGuard re-handshakes every ~2 min while in
 * use); stale: an older one; never: no handshake since the interface came up; down: the
 * interface exists but is not up; absent: no such interface.
 */
export type TunnelState = 'connected' | 'stale' | 'never' | 'down' | 'absent';

export interface TunnelStatus {
  state: TunnelState;
  interfaceName: string;
  present: boolean;
  up: boolean;
  peerEndpoint?: string;
  /** Unix seconds by the router's clock; absent when there never was a handshake. */
  latestHandshakeUnixS?: number;
  /** Seconds between the latest handshake and the router's clock at measuredAt. */
  handshakeAgeS?: number;
  rxBytes?: number;
  txBytes?: number;
}

export type BridgeState = 'up' | 'down' | 'absent';

export interface BridgeStatus {
  state: BridgeState;
  bridge: { name: string; present: boolean; up: boolean; mtu?: number };
  vxlan: { name: string; present: boolean; up: boolean; mtu?: number };
  /** Ports enslaved to the bridge (vxlan0, the L2 SSID's AP interface, LAN ports). */
  memberPorts: string[];
  /** The bridge's IPv4 address (lan2's DHCP lease from home), if it has one. */
  address?: string;
}

export interface RouterStatus {
  schema: typeof routerSchema;
  host: string;
  port: number;
  user: string;
  hostKeyFingerprint?: string;
  hostname?: string;
  model?: string;
  release?: string;
  /** Key sign-in works; when false, the router was not read and `signInProblem` says why. */
  signedIn: boolean;
  signInProblem?: {
    kind: string;
    message: string;
    fix?: string;
    localized?: { 'zh-CN': { message: string; fix?: string } };
  };
  tunnel?: TunnelStatus;
  bridge?: BridgeStatus;
  /** ISO 8601, this computer's clock, when the router answered. */
  measuredAt: string;
}

/** A handshake older than this means no usable session (WireGuard's reject-after time). */
export const staleHandshakeS = 180;

/**
 * The handshake age now, from a status measured at `measuredAt`: the router's age then plus the
 * time passed here since, so the card ticks without asking the router (and without comparing
 * the two clocks).
 */
export function liveHandshakeAgeS(
  tunnel: Pick<TunnelStatus, 'handshakeAgeS'> | undefined,
  measuredAt: string,
  nowMs: number,
): number | undefined {
  if (tunnel?.handshakeAgeS === undefined) return undefined;
  const at = Date.parse(measuredAt);
  const passedS = Number.isNaN(at) ? 0 : Math.max(0, Math.floor((nowMs - at) / 1000));
  return tunnel.handshakeAgeS + passedS;
}

/** `5 s`, `2 min 5 s`, `3 h 4 min`, `2 d 3 h`: short and unit-labelled. */
export function formatAge(seconds: number): { value: number; unit: 's' | 'min' | 'h' | 'd' }[] {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return [{ value: s, unit: 's' }];
  if (s < 3600)
    return [
      { value: Math.floor(s / 60), unit: 'min' },
      { value: s % 60, unit: 's' },
    ];
  if (s < 86_400)
    return [
      { value: Math.floor(s / 3600), unit: 'h' },
      { value: Math.floor((s % 3600) / 60), unit: 'min' },
    ];
  return [
    { value: Math.floor(s / 86_400), unit: 'd' },
    { value: Math.floor((s % 86_400) / 3600), unit: 'h' },
  ];
}
