// The setup use cases as the contract sees them: plan, apply with automatic rollback, sign-in.
// Plain data only: every shell (IPC, WebSocket, CLI --json) carries these unchanged.
import type { MtuLadder, SetupIntent } from './setup';

export const setupSchema = 'homeward.setup/1';

export interface SetupSshTarget {
  host: string;
  port: number;
  user: string;
  /** A private key file; without it Homeward's own key (after sign-in), then the SSH agent. */
  identityFile?: string;
  knownHostsFile?: string;
  acceptNewHostKey: boolean;
}

export interface SetupPlanRequest {
  router: SetupSshTarget;
  /** SSH access to the home router; without it the home part is text to paste. */
  home?: SetupSshTarget;
  intent: SetupIntent;
}

export interface SetupApplyRequest extends SetupPlanRequest {
  /** Seconds the router waits for the confirmation before restoring its old config. */
  rollbackS: number;
  /** Install the missing packages first (opkg or apk); otherwise they are only reported. */
  installPackages: boolean;
}

export interface SetupSignInRequest {
  host: string;
  port: number;
  user: string;
  /** Used for this one connection and never stored. */
  password: string;
  knownHostsFile?: string;
  acceptNewHostKey: boolean;
}

export interface SetupFilePreview {
  config: string;
  /** `diff -u` style text for /etc/config/<config>; empty when nothing changes. */
  unified: string;
}

export interface SetupEndView {
  /** `uci batch` input including the commits. */
  batch: string;
  reloads: string[];
  packagesToInstall: string[];
  installCommand?: string;
  previews: SetupFilePreview[];
}

export interface SetupPlanView {
  schema: typeof setupSchema;
  mtu: MtuLadder;
  router: SetupEndView;
  home: SetupEndView;
  /** The router's LAN address after the apply, when the plan moves it. */
  routerAddressAfter?: string;
  /** The home part as text to paste when home is not reachable over SSH. */
  homePaste?: string;
  notes: string[];
  /** `notes` in other languages, index for index. */
  notesLocalized?: { 'zh-CN': string[] };
}

export type SetupEndName = 'router' | 'home';

export type SetupOutcome = 'applied' | 'rolled-back' | 'unchanged' | 'failed';

export interface SetupEndReport {
  end: SetupEndName;
  outcome: SetupOutcome;
  /** For `rolled-back`: the old config was read back byte for byte after the rollback. */
  verified?: boolean;
  message: string;
  localized?: { 'zh-CN': string };
}

export interface SetupApplyReport {
  schema: typeof setupSchema;
  outcome: SetupOutcome;
  ends: SetupEndReport[];
  packages: { installed: string[]; missing: string[]; output?: string };
  /** Paste-able text for home when it was not applied over SSH. */
  homePaste?: string;
  plan: SetupPlanView;
  durationMs: number;
}

export interface SetupSignInReport {
  schema: typeof setupSchema;
  host: string;
  port: number;
  hostKeyFingerprint: string;
  /** Where the Homeward private key is kept (0600). */
  keyPath: string;
  publicKeyFingerprint: string;
  authorizedKeysPath: string;
  /** False when the key was already installed. */
  keyAdded: boolean;
  /** True when a second connection with the key (no password) worked. */
  keyLoginVerified: boolean;
}

export type SetupStep =
  | 'connect'
  | 'read'
  | 'packages'
  | 'snapshot'
  | 'arm'
  | 'apply'
  | 'reconnect'
  | 'verify'
  | 'confirm'
  | 'rollback';

export type SetupProgress =
  | {
      kind: 'step';
      end: SetupEndName;
      step: SetupStep;
      message: string;
      localized?: { 'zh-CN': string };
    }
  /** The router restores its old config in `secondsLeft` unless confirmed. */
  | { kind: 'countdown'; end: SetupEndName; secondsLeft: number }
  | { kind: 'note'; end: SetupEndName; message: string; localized?: { 'zh-CN': string } };

export interface WireguardKeyPair {
  privateKey: string;
  publicKey: string;
}

/** Fresh keys for the travel router's end of the tunnel. */
export interface SetupKeys {
  travel: WireguardKeyPair;
  presharedKey: string;
}

/** What a wg-quick `.conf` for the travel router fills in of the intent. */
export interface WgQuickImport {
  travel: { privateKey: string; publicKey: string; tunnelAddress: string };
  home: { publicKey: string; endpointHost?: string; endpointPort?: number; name?: string };
  presharedKey?: string;
  keepaliveS?: number;
}

/** The underlay path MTU from the travel router to home's WireGuard endpoint, outside the tunnel. */
export interface UnderlayMeasureRequest {
  router: SetupSshTarget;
  /** Home's public endpoint (host name or address), as in the intent. */
  endpointHost: string;
}

export interface UnderlayMeasurement {
  target: string;
  pathMtu: number;
  /** 'icmp' when a "fragmentation needed" answer named it; 'search' when probes found it. */
  method: 'icmp' | 'search';
  /** Larger packets vanished without any ICMP answer on the way. */
  blackHole: boolean;
  probes: number;
}
