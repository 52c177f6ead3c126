// The doctor's report: the JSON contract of `homeward doctor --json` and of `doctor:finished`.
// Kept stable: later features add fields, never rename. Numbers are in plain units with the
// unit in the field name (latestHandshakeAgeS, pathMtu, downMbps, lossPercent, jitterMs, ...).

import type { Remedy } from './remedy';

export const doctorSchema = 'homeward.doctor/1';

export const checkIds = [
  'router.reach',
  'wireguard.handshake',
  'l2.dhcp',
  'mtu.underlay',
  'mtu.l3',
  'mtu.l2',
  'throughput.lan',
  'throughput.tunnel',
  'throughput.e2e',
  'udp.vr',
  'latency.loaded',
  'router.cpu',
  'wifi.link',
] as const;
export type CheckId = (typeof checkIds)[number];

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip' | 'error';

export type CheckValue =
  string | number | boolean | null | CheckValue[] | { [key: string]: CheckValue };

export interface CheckResult {
  id: CheckId;
  status: CheckStatus;
  /** One line for people, in English; `localized` carries other languages. */
  summary: string;
  data: Record<string, CheckValue>;
  /** Always written by the checks; optional because runs stored before it was added lack it. */
  localized?: { 'zh-CN': { summary: string } };
}

export const findingIds = [
  'wireguard.no-handshake',
  'wireguard.stale-handshake',
  'l2.no-dhcp',
  'mtu.l2-black-hole',
  'mtu.underlay-too-small',
  'throughput.below-target',
  'router.cpu-bound',
  'latency.bufferbloat',
  'udp.loss',
  'wifi.weak-link',
  'wifi.narrow-channel',
  'wifi.band-2g',
] as const;
export type FindingId = (typeof findingIds)[number];

export type Severity = 'critical' | 'warning' | 'info';

export interface LocalizedText {
  cause: string;
  fix: string;
}

export interface Finding {
  id: FindingId;
  severity: Severity;
  /** Plain-words cause and fix in English; `localized` carries other languages. */
  cause: string;
  fix: string;
  localized: { 'zh-CN': LocalizedText };
  /** The check ids whose data led to this finding. */
  evidence: CheckId[];
  /** A fix the app can apply (fix:plan / fix:apply), when there is one. */
  remedy?: Remedy;
}

/** The path split the way VR video flows: home -> tunnel -> travel router -> Wi-Fi -> headset. */
export type Segment = 'wifi' | 'tunnel' | 'end-to-end' | 'underlay' | 'l2-bridge' | 'router-cpu';

export interface Verdict {
  vrReady: boolean;
  targetMbps: number;
  limitingSegment: Segment | null;
  findings: Finding[];
}

export interface DoctorRouterInfo {
  host: string;
  hostname?: string;
  model?: string;
  release?: string;
  packageManager?: 'opkg' | 'apk';
  /** The uplink network's name (the SSID the travel router joined as a client), when it has one. */
  location?: string;
}

export interface DoctorReport {
  schema: typeof doctorSchema;
  startedAt: string;
  durationMs: number;
  router: DoctorRouterInfo;
  checks: CheckResult[];
  verdict: Verdict;
}

export interface DoctorErrorReport {
  schema: typeof doctorSchema;
  error: { kind: string; message: string; fix?: string };
}

export interface SshTargetRequest {
  host: string;
  port: number;
  user: string;
  /** Path of a private key file; without it the SSH agent is tried. */
  identityFile?: string;
}

export interface DoctorRequest {
  router: SshTargetRequest & { knownHostsFile?: string; acceptNewHostKey: boolean };
  /** SSH access to the home router, to start its iperf3 server. */
  home?: SshTargetRequest;
  /** An iperf3 server at home to use when `home` is not given (default: the peer's tunnel address). */
  homeIperf?: { host: string; port: number };
  targetMbps: number;
  durationS: number;
  quick: boolean;
  saveHistory: boolean;
  /** The streamer's UDP payload size in bytes (ALVR, Virtual Desktop, ...). */
  packetBytes: number;
}

export type DoctorProgress =
  | { kind: 'check-started'; runId: string; id: CheckId; title: string }
  | { kind: 'check-finished'; runId: string; result: CheckResult }
  | {
      kind: 'throughput';
      runId: string;
      id: CheckId;
      direction: 'down' | 'up';
      second: number;
      mbps: number;
    }
  | { kind: 'note'; runId: string; message: string };
