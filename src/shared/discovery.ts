// Discovery of the travel router on the local network: why an address was tried, what answered
// on it, and the ranked verdict the UI and `homeward discover` show.

/** Why an address is worth a probe. Every one lies inside a local IPv4 subnet. */
export type CandidateReason =
  | { kind: 'default-gateway' }
  | { kind: 'well-known'; vendor: string }
  | { kind: 'subnet-first-host' }
  /** The host announced itself over mDNS (`_ssh._tcp`, `_http._tcp`). */
  | { kind: 'mdns'; services: string[]; name?: string };

export interface DiscoveryCandidate {
  address: string;
  /** The local interface whose subnet holds the address. */
  interface: string;
  reasons: CandidateReason[];
}

export type SshSoftware = 'dropbear' | 'openssh' | 'other';

export interface SshBanner {
  software: SshSoftware;
  /** `2022.83`, `9.2p1`; undefined when the server does not say. */
  version?: string;
  /** The software field as sent, e.g. `dropbear_2022.83`. */
  softwareField: string;
  /** Text after the software field, e.g. `Debian-2+deb12u10`. */
  comments?: string;
  protocol: string;
}

export type WebUi = 'luci' | 'glinet' | 'other';

export interface WebPage {
  ui: WebUi;
  title?: string;
}

/** Why a port gave nothing usable. */
export type ProbeFailure = 'refused' | 'timeout' | 'unreachable' | 'reset' | 'error';

/** What one TCP port said, as gathered; parsing happens in core. */
export type RawSshAnswer =
  | { kind: 'line'; text: string }
  | { kind: 'no-line'; received: number }
  | { kind: 'failed'; failure: ProbeFailure; code?: string };

export type RawHttpAnswer =
  | {
      kind: 'response';
      status: number;
      location?: string;
      server?: string;
      /** The start of the body (capped by the adapter). */
      body: string;
    }
  | { kind: 'failed'; failure: ProbeFailure; code?: string };

export interface CandidateProbe {
  candidate: DiscoveryCandidate;
  ssh: RawSshAnswer;
  http: RawHttpAnswer;
  elapsedMs: number;
}

export type SshFinding =
  | { kind: 'banner'; banner: SshBanner }
  | { kind: 'not-ssh'; line?: string }
  | { kind: 'failed'; failure: ProbeFailure };

export type WebFinding =
  | { kind: 'page'; status: number; page: WebPage; server?: string }
  | { kind: 'failed'; failure: ProbeFailure };

export type RouterVerdict = 'openwrt' | 'glinet' | 'ssh-host' | 'web-host' | 'no-answer';

export interface RankedCandidate extends DiscoveryCandidate {
  verdict: RouterVerdict;
  /** Higher is more likely the travel router; 0 = nothing answered. */
  score: number;
  /** One line for people: "OpenWrt (dropbear 2022.83), LuCI answers on port 80; default gateway". */
  summary: string;
  ssh: SshFinding;
  web: WebFinding;
  elapsedMs: number;
}

export interface DiscoveryResult {
  /** Best first. Candidates that did not answer at all come last, with score 0. */
  candidates: RankedCandidate[];
  budgetMs: number;
  elapsedMs: number;
}
