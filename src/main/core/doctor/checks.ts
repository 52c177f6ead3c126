import type { CheckId, CheckResult, CheckStatus, CheckValue } from '../../../shared/doctor';
import type {
  DoctorFacts,
  NotMeasured,
  PathMtuFacts,
  ThroughputFacts,
  WifiBand,
  WireguardPeerFacts,
} from './facts';
import { wireguardMtuForUnderlay, wireguardOverheadBytes, type OuterFamily } from './goodput';
import type { PathMtuResult } from './pmtu';
import { lookupSocCeiling, type SocCeiling } from './soc';

// Thresholds live here, next to the checks that apply them, so a test can name each edge.

/** A live tunnel re-handshakes about every 2 minutes; past 180 s there is no usable session. */
export const handshakeStaleAfterS = 180;
export const wireguardDefaultMtu = 1420;
export const ethernetDefaultMtu = 1500;
/** Throughput below target fails; below target * headroom it warns. */
export const throughputHeadroom = 1.2;
export const udpLossWarnPercent = 0.5;
export const udpLossFailPercent = 2;
export const udpJitterWarnMs = 10;
export const udpJitterFailMs = 30;
export const cpuBoundPercent = 90;
export const wifiSignalWarnDbm = -67;
export const wifiSignalFailDbm = -75;
/** Share of the Wi-Fi PHY rate a single stream typically gets as goodput. */
export const wifiGoodputShare = 0.6;
export const wifiWideChannelMhz = 80;

type Data = Record<string, CheckValue | undefined>;

function compact(data: Data): Record<string, CheckValue> {
  const out: Record<string, CheckValue> = {};
  for (const [key, value] of Object.entries(data)) if (value !== undefined) out[key] = value;
  return out;
}

/** A summary in English and in Simplified Chinese, written from the same values. */
interface Summary {
  en: string;
  zh: string;
}

function result(id: CheckId, status: CheckStatus, summary: Summary, data: Data = {}): CheckResult {
  return {
    id,
    status,
    summary: summary.en,
    data: compact(data),
    localized: { 'zh-CN': { summary: summary.zh } },
  };
}

// The reason and message come from the services and stay in English in both languages.
function notMeasured(id: CheckId, value: NotMeasured | undefined, what: Summary): CheckResult {
  if (value === undefined) {
    return result(id, 'skip', {
      en: `${what.en}: not measured in this run.`,
      zh: `${what.zh}：本次运行未测量。`,
    });
  }
  if (value.kind === 'skipped') {
    return result(id, 'skip', {
      en: `${what.en}: skipped (${value.reason}).`,
      zh: `${what.zh}：已跳过（${value.reason}）。`,
    });
  }
  const space = /[A-Za-z0-9]$/.test(what.zh) ? ' ' : '';
  return result(id, 'error', {
    en: `${what.en}: ${value.message}`,
    zh: `${what.zh}${space}出错：${value.message}`,
  });
}

function inconsistent(id: CheckId, what: Summary): CheckResult {
  return result(id, 'error', {
    en: `${what.en}: inconsistent facts.`,
    zh: `${what.zh}：测量数据相互矛盾。`,
  });
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function mbps(value: number): string {
  return `${round(value)} Mbps`;
}

// ---------------------------------------------------------------------------------------------
// Assessments shared by checks and diagnosis rules.

export type HandshakeState =
  | { kind: 'not-measured'; value: NotMeasured | undefined }
  | { kind: 'no-peers' }
  | { kind: 'never'; peer: WireguardPeerFacts }
  | { kind: 'stale'; peer: WireguardPeerFacts; ageS: number; pingAnswered?: boolean }
  | { kind: 'no-data'; peer: WireguardPeerFacts; ageS: number }
  | { kind: 'up'; peer: WireguardPeerFacts; ageS: number; pingAnswered?: boolean };

export function handshakeState(facts: DoctorFacts): HandshakeState {
  const wg = facts.wireguard;
  if (wg === undefined || wg.kind !== 'measured') return { kind: 'not-measured', value: wg };
  if (wg.peers.length === 0) return { kind: 'no-peers' };
  const peer = wg.peers.reduce((best, p) =>
    p.latestHandshakeUnixS > best.latestHandshakeUnixS ? p : best,
  );
  if (peer.latestHandshakeUnixS === 0) return { kind: 'never', peer };
  const ageS = Math.max(0, wg.nowUnixS - peer.latestHandshakeUnixS);
  const pingAnswered = wg.tunnelPing?.answered;
  // A ping that crossed the tunnel outranks an old timestamp: the dump may predate it.
  if (ageS > handshakeStaleAfterS && pingAnswered !== true) {
    return { kind: 'stale', peer, ageS, pingAnswered };
  }
  if (pingAnswered === false) return { kind: 'no-data', peer, ageS };
  return { kind: 'up', peer, ageS, pingAnswered };
}

/** The tunnel cannot carry traffic: checks that ride it say nothing new about their own part. */
export function tunnelDown(facts: DoctorFacts): boolean {
  const s = handshakeState(facts).kind;
  return s === 'no-peers' || s === 'never' || s === 'stale' || s === 'no-data';
}

export function endpointFamily(endpoint: string | undefined): OuterFamily {
  return endpoint?.startsWith('[') ? 'ipv6' : 'ipv4';
}

export function endpointPort(endpoint: string | undefined): number | undefined {
  const match = endpoint?.match(/:(\d+)$/);
  return match ? Number(match[1]) : undefined;
}

function found(path: PathMtuFacts | undefined): PathMtuResult | undefined {
  return path?.kind === 'measured' && path.search.kind === 'found' ? path.search : undefined;
}

export interface UnderlayAssessment {
  pathMtu: number;
  blackHole: boolean;
  wgMtu: number;
  wgMtuAssumed: boolean;
  family: OuterFamily;
  requiredMtu: number;
  /** The WireGuard MTU that fits this underlay. */
  fittingWgMtu: number;
  tooSmall: boolean;
}

export function assessUnderlay(facts: DoctorFacts): UnderlayAssessment | undefined {
  const search = found(facts.mtu?.underlay);
  if (!search) return undefined;
  const wg = facts.wireguard?.kind === 'measured' ? facts.wireguard : undefined;
  const peer = wg?.peers.find((p) => p.endpoint) ?? wg?.peers[0];
  const family = endpointFamily(peer?.endpoint);
  const wgMtu = facts.configuredMtu?.wg0 ?? wireguardDefaultMtu;
  const requiredMtu = wgMtu + wireguardOverheadBytes(family);
  return {
    pathMtu: search.pathMtu,
    blackHole: search.blackHole,
    wgMtu,
    wgMtuAssumed: facts.configuredMtu?.wg0 === undefined,
    family,
    requiredMtu,
    fittingWgMtu: wireguardMtuForUnderlay(search.pathMtu, family),
    tooSmall: search.pathMtu < requiredMtu,
  };
}

/**
 * 'default': home's offer carried no option 26, so clients use 1500. 'assumed': no offer was
 * seen (none, skipped, or not run), so 1500 is a guess and no finding rests on it.
 */
export type ClientMtuSource = 'dhcp-option-26' | 'laptop-interface' | 'default' | 'assumed';

export interface L2MtuAssessment {
  pathMtu: number;
  blackHole: boolean;
  clientMtu: number;
  clientMtuSource: ClientMtuSource;
  /** Clients will send packets the bridged path drops. */
  exceeds: boolean;
  /** The largest streamer UDP payload that crosses the path in one packet. */
  maxStreamerPacketBytes: number;
  search: PathMtuResult;
}

/**
 * The largest UDP payload that fits `pathMtu` over IPv4 and IPv6 alike (48 header bytes),
 * rounded down to a multiple of 8: 1370 -> 1320.
 */
export function streamerPacketLimit(pathMtu: number): number {
  return Math.floor((pathMtu - 48) / 8) * 8;
}

export function assessL2Mtu(facts: DoctorFacts): L2MtuAssessment | undefined {
  const search = found(facts.mtu?.l2);
  if (!search) return undefined;
  const discover = facts.l2Dhcp?.discover;
  const offered = discover?.kind === 'offer' ? discover.mtuOption : undefined;
  const lease = facts.l2Dhcp?.laptopLease;
  let clientMtu = ethernetDefaultMtu;
  let clientMtuSource: ClientMtuSource = discover?.kind === 'offer' ? 'default' : 'assumed';
  if (offered !== undefined) {
    clientMtu = offered;
    clientMtuSource = 'dhcp-option-26';
  } else if (lease?.onL2 && lease.interfaceMtu !== undefined) {
    clientMtu = lease.interfaceMtu;
    clientMtuSource = 'laptop-interface';
  }
  // Probed from the router, the bridge's own MTU stops the probe locally; a bridged client gets
  // no such error and no ICMP either: a bridge drops oversize frames silently.
  const cappedByBridge = search.localMtu !== undefined && search.localMtu <= search.pathMtu;
  return {
    pathMtu: search.pathMtu,
    blackHole: search.blackHole || (cappedByBridge && clientMtu > search.pathMtu),
    clientMtu,
    clientMtuSource,
    exceeds: clientMtu > search.pathMtu,
    maxStreamerPacketBytes: streamerPacketLimit(search.pathMtu),
    search,
  };
}

export type ThroughputSegmentName = 'lan' | 'tunnel' | 'e2e';

export function downMbps(value: ThroughputFacts | undefined): number | undefined {
  return value?.kind === 'measured' ? value.downMbps : undefined;
}

/** Waveform's bufferbloat grades by latency added under load. */
export type BufferbloatGrade = 'A+' | 'A' | 'B' | 'C' | 'D' | 'F';

// Waveform's scale, as re-implemented by open tools that cite it (e.g. the netspd crate's test
// `grades_follow_waveform_thresholds`, docs.rs/crate/netspd/0.1.7/source/tests/bufferbloat.rs, and
// cloudflare-speed-cli's BUFFERBLOAT_THRESHOLDS): A+ < 5 ms, A < 30, B < 60, C < 200, D < 400,
// else F. Waveform's own page was not reachable from here.
export function bufferbloatGrade(addedMs: number): BufferbloatGrade {
  if (addedMs < 5) return 'A+';
  if (addedMs < 30) return 'A';
  if (addedMs < 60) return 'B';
  if (addedMs < 200) return 'C';
  if (addedMs < 400) return 'D';
  return 'F';
}

export interface LatencyAssessment {
  idleMs: number;
  loadedMs: number;
  addedMs: number;
  worstDirection: 'down' | 'up';
  grade: BufferbloatGrade;
}

export function assessLatency(facts: DoctorFacts): LatencyAssessment | undefined {
  const l = facts.latency;
  if (l?.kind !== 'measured') return undefined;
  const down = l.loadedDownMs;
  const up = l.loadedUpMs;
  if (down === undefined && up === undefined) return undefined;
  const worstDirection = (down ?? -Infinity) >= (up ?? -Infinity) ? 'down' : 'up';
  const loadedMs = (worstDirection === 'down' ? down : up) ?? l.idleMs;
  const addedMs = Math.max(0, loadedMs - l.idleMs);
  return { idleMs: l.idleMs, loadedMs, addedMs, worstDirection, grade: bufferbloatGrade(addedMs) };
}

export function routerSoc(facts: DoctorFacts): SocCeiling | undefined {
  const r = facts.router;
  return r.kind === 'reached' ? lookupSocCeiling(r.board, r.model, r.system) : undefined;
}

export function bandOf(frequencyMhz: number | undefined): WifiBand | undefined {
  if (frequencyMhz === undefined) return undefined;
  if (frequencyMhz >= 2400 && frequencyMhz < 2500) return '2.4';
  if (frequencyMhz >= 5150 && frequencyMhz < 5925) return '5';
  if (frequencyMhz >= 5925 && frequencyMhz <= 7125) return '6';
  return undefined;
}

export interface WifiLinkAssessment {
  who: 'station' | 'laptop';
  band?: WifiBand;
  widthMhz?: number;
  signalDbm?: number;
  noiseDbm?: number;
  phyMbps?: number;
  /** Expected single-stream goodput from the PHY rate. */
  expectedMbps?: number;
  weak: 'no' | 'warn' | 'fail';
  narrow: boolean;
  band2g: boolean;
}

function weakness(signalDbm: number | undefined, expected: number | undefined, target: number) {
  if (
    (signalDbm !== undefined && signalDbm < wifiSignalFailDbm) ||
    (expected ?? Infinity) < target
  ) {
    return 'fail';
  }
  if (
    (signalDbm !== undefined && signalDbm < wifiSignalWarnDbm) ||
    (expected ?? Infinity) < target * 1.5
  ) {
    return 'warn';
  }
  return 'no';
}

export function assessWifi(facts: DoctorFacts): WifiLinkAssessment[] {
  const links: WifiLinkAssessment[] = [];
  const target = facts.targetMbps;
  const station = facts.wifi?.router;
  if (station?.kind === 'measured') {
    const band = station.band ?? bandOf(station.frequencyMhz);
    const expected =
      station.bitrateMbps === undefined ? undefined : station.bitrateMbps * wifiGoodputShare;
    links.push({
      who: 'station',
      band,
      widthMhz: station.widthMhz,
      signalDbm: station.signalDbm,
      noiseDbm: station.noiseDbm,
      phyMbps: station.bitrateMbps,
      expectedMbps: expected,
      weak: weakness(station.signalDbm, expected, target),
      narrow:
        band !== '2.4' && station.widthMhz !== undefined && station.widthMhz < wifiWideChannelMhz,
      band2g: band === '2.4',
    });
  }
  const laptop = facts.wifi?.laptop;
  if (laptop?.kind === 'measured') {
    const band = bandOf(laptop.frequencyMhz);
    const expected =
      laptop.txRateMbps === undefined ? undefined : laptop.txRateMbps * wifiGoodputShare;
    links.push({
      who: 'laptop',
      band,
      signalDbm: laptop.signalDbm,
      phyMbps: laptop.txRateMbps,
      expectedMbps: expected,
      weak: weakness(laptop.signalDbm, expected, target),
      narrow: false,
      band2g: band === '2.4',
    });
  }
  return links;
}

// ---------------------------------------------------------------------------------------------
// One function per check id.

const recommendedPackages: { name: string; matches: (p: string) => boolean; why: Summary }[] = [
  {
    name: 'wireguard-tools',
    matches: (p) => p === 'wireguard-tools',
    why: { en: 'reads tunnel state', zh: '读取隧道状态' },
  },
  {
    name: 'iperf3',
    matches: (p) => p.startsWith('iperf3'),
    why: { en: 'runs the tunnel test', zh: '运行隧道测试' },
  },
];

export function checkRouterReach(facts: DoctorFacts): CheckResult {
  const r = facts.router;
  if (r.kind === 'unreachable') {
    return result('router.reach', 'fail', {
      en: `Router not reachable over SSH: ${r.message}`,
      zh: `无法通过 SSH 连接路由器：${r.message}`,
    });
  }
  const missing = r.packages ? recommendedPackages.filter((p) => !r.packages?.some(p.matches)) : [];
  const known = r.model ?? r.hostname;
  const name = [known ?? 'router', r.release].filter(Boolean).join(', ');
  // A leading space only before a Latin name: 已连接 GL-MT3000 but 已连接路由器.
  const nameZh =
    known === undefined
      ? `路由器${r.release ? `（${r.release}）` : ''}`
      : ` ${[known, r.release].filter(Boolean).join('，')}`;
  const data: Data = {
    hostname: r.hostname,
    model: r.model,
    board: r.board,
    release: r.release,
    packageManager: r.packageManager,
    missingPackages: r.packages ? missing.map((p) => p.name) : undefined,
  };
  if (missing.length > 0) {
    const list = missing.map((p) => `${p.name} (${p.why.en})`).join(', ');
    const listZh = missing.map((p) => `${p.name}（${p.why.zh}）`).join('、');
    return result(
      'router.reach',
      'warn',
      { en: `Reached ${name}; missing ${list}.`, zh: `已连接${nameZh}；缺少 ${listZh}。` },
      data,
    );
  }
  return result('router.reach', 'pass', { en: `Reached ${name}.`, zh: `已连接${nameZh}。` }, data);
}

export function checkWireguardHandshake(facts: DoctorFacts): CheckResult {
  const id = 'wireguard.handshake';
  const s = handshakeState(facts);
  if (s.kind === 'not-measured') {
    return notMeasured(id, s.value, { en: 'WireGuard', zh: 'WireGuard' });
  }
  if (s.kind === 'no-peers') {
    return result(id, 'fail', { en: 'wg0 has no peers configured.', zh: 'wg0 没有配置任何对端。' });
  }
  const wg = facts.wireguard?.kind === 'measured' ? facts.wireguard : undefined;
  const base: Data = {
    interfaceName: wg?.interfaceName,
    peers: wg?.peers.length,
    endpoint: s.peer.endpoint,
    rxBytes: s.peer.rxBytes,
    txBytes: s.peer.txBytes,
    keepaliveS: s.peer.keepaliveS,
    tunnelPingTarget: wg?.tunnelPing?.target,
    tunnelPingAnswered: wg?.tunnelPing?.answered,
    tunnelPingRttMs: wg?.tunnelPing?.rttMs,
  };
  const peer = s.peer.endpoint ?? 'the peer';
  const peerZh = s.peer.endpoint === undefined ? '对端' : ` ${s.peer.endpoint} `;
  switch (s.kind) {
    case 'never':
      return result(
        id,
        'fail',
        { en: `No handshake ever completed with ${peer}.`, zh: `从未与${peerZh}完成握手。` },
        { ...base, latestHandshakeAgeS: null },
      );
    case 'stale':
      return result(
        id,
        'fail',
        {
          en: `Last handshake ${s.ageS} s ago (over ${handshakeStaleAfterS} s): no usable session.`,
          zh: `上次握手在 ${s.ageS} 秒前（超过 ${handshakeStaleAfterS} 秒）：没有可用的会话。`,
        },
        { ...base, latestHandshakeAgeS: s.ageS },
      );
    case 'no-data':
      return result(
        id,
        'fail',
        {
          en: `Handshake ${s.ageS} s ago, yet a ping through the tunnel got no answer.`,
          zh: `${s.ageS} 秒前有过握手，但经隧道的 ping 没有回应。`,
        },
        { ...base, latestHandshakeAgeS: s.ageS },
      );
    case 'up': {
      const rtt = wg?.tunnelPing?.rttMs;
      const ping = s.pingAnswered ? `; tunnel ping ${rtt === undefined ? 'ok' : `${rtt} ms`}` : '';
      const pingZh = s.pingAnswered
        ? `；隧道 ping ${rtt === undefined ? '正常' : `${rtt} ms`}`
        : '';
      return result(
        id,
        'pass',
        {
          en: `Handshake ${s.ageS} s ago with ${peer}${ping}.`,
          zh: `${s.ageS} 秒前与${peerZh}完成握手${pingZh}。`,
        },
        { ...base, latestHandshakeAgeS: s.ageS },
      );
    }
  }
}

export function checkL2Dhcp(facts: DoctorFacts): CheckResult {
  const id = 'l2.dhcp';
  const l2 = facts.l2Dhcp;
  const what = { en: 'L2 DHCP', zh: '二层桥接 DHCP' };
  if (l2 === undefined) return notMeasured(id, undefined, what);
  const lease = l2.laptopLease;
  const leaseData: Data = {
    laptopOnL2: lease?.onL2,
    laptopAddress: lease?.onL2 ? lease.address : undefined,
    laptopMtuOption: lease?.onL2 ? lease.mtuOption : undefined,
  };
  const d = l2.discover;
  if (d.kind === 'skipped' || d.kind === 'error')
    return { ...notMeasured(id, d, what), data: compact(leaseData) };
  if (d.kind === 'no-offer') {
    const timeout = d.reason === 'timeout';
    const why = timeout ? 'no offer before the timeout' : (d.message ?? 'error');
    const whyZh = timeout ? '超时前没有收到分配' : (d.message ?? '出错');
    return result(
      id,
      'fail',
      {
        en: `DHCP discover through br-lan2 got no answer from home (${why}).`,
        zh: `经 br-lan2 发出的 DHCP 请求没有收到家里的应答（${whyZh}）。`,
      },
      { ...leaseData, offered: false },
    );
  }
  const mtu = d.mtuOption === undefined ? 'no MTU option' : `MTU option ${d.mtuOption}`;
  const mtuZh = d.mtuOption === undefined ? '不带 MTU 选项' : `MTU 选项为 ${d.mtuOption}`;
  return result(
    id,
    'pass',
    {
      en: `Home offered ${d.address}${d.server ? ` from ${d.server}` : ''} through the bridge (${mtu}).`,
      zh: `家里经网桥分配了 ${d.address}${d.server ? `（服务器 ${d.server}）` : ''}，${mtuZh}。`,
    },
    {
      ...leaseData,
      offered: true,
      offeredAddress: d.address,
      server: d.server,
      mtuOption: d.mtuOption,
    },
  );
}

function mtuData(search: PathMtuResult, target: string): Data {
  return {
    target,
    pathMtu: search.pathMtu,
    method: search.method,
    exact: search.exact,
    probes: search.probes,
    blackHole: search.blackHole,
    blackHoleAbove: search.blackHoleAbove,
    firstSilentSize: search.firstSilentSize,
    icmpMtu: search.icmpMtu,
    localMtu: search.localMtu,
  };
}

function mtuPrecheck(
  id: CheckId,
  path: PathMtuFacts | undefined,
  what: Summary,
): CheckResult | undefined {
  if (path === undefined || path.kind !== 'measured') return notMeasured(id, path, what);
  if (path.search.kind === 'unreachable') {
    return result(
      id,
      'fail',
      {
        en: `${what.en}: no DF probe to ${path.target} got any answer.`,
        zh: `${what.zh}：发往 ${path.target} 的 DF 探测包都没有收到任何回应。`,
      },
      { target: path.target, probes: path.search.probes },
    );
  }
  return undefined;
}

export function checkMtuUnderlay(facts: DoctorFacts): CheckResult {
  const id = 'mtu.underlay';
  const path = facts.mtu?.underlay;
  const what = { en: 'Underlay MTU', zh: '底层网络 MTU' };
  const early = mtuPrecheck(id, path, what);
  if (early) return early;
  const a = assessUnderlay(facts);
  if (!a || path?.kind !== 'measured' || path.search.kind !== 'found') {
    return inconsistent(id, what);
  }
  const data: Data = {
    ...mtuData(path.search, path.target),
    requiredMtu: a.requiredMtu,
    wgMtu: a.wgMtu,
    wgMtuAssumed: a.wgMtuAssumed,
    outerFamily: a.family,
    fittingWgMtu: a.fittingWgMtu,
  };
  if (!a.tooSmall) {
    return result(
      id,
      'pass',
      {
        en: `Underlay carries ${a.pathMtu}; the tunnel needs ${a.requiredMtu}.`,
        zh: `底层网络可承载 ${a.pathMtu}，隧道需要 ${a.requiredMtu}。`,
      },
      data,
    );
  }
  if (a.blackHole) {
    return result(
      id,
      'fail',
      {
        en: `Underlay carries only ${a.pathMtu} and drops larger packets silently; full tunnel packets need ${a.requiredMtu}.`,
        zh: `底层网络只能承载 ${a.pathMtu}，更大的包被静默丢弃；完整的隧道包需要 ${a.requiredMtu}。`,
      },
      data,
    );
  }
  return result(
    id,
    'warn',
    {
      en: `Underlay carries only ${a.pathMtu}; full tunnel packets need ${a.requiredMtu} and get fragmented.`,
      zh: `底层网络只能承载 ${a.pathMtu}；完整的隧道包需要 ${a.requiredMtu}，会被分片。`,
    },
    data,
  );
}

export function checkMtuL3(facts: DoctorFacts): CheckResult {
  const id = 'mtu.l3';
  const path = facts.mtu?.l3;
  const what = { en: 'Tunnel MTU', zh: '隧道路径 MTU' };
  const early = mtuPrecheck(id, path, what);
  if (early) return early;
  if (path?.kind !== 'measured' || path.search.kind !== 'found') return inconsistent(id, what);
  const s = path.search;
  const wgMtu = facts.configuredMtu?.wg0;
  const data: Data = { ...mtuData(s, path.target), wgMtu };
  if (s.blackHole) {
    return result(
      id,
      'fail',
      {
        en: `Path MTU to ${path.target} is ${s.pathMtu}; larger packets vanish without ICMP.`,
        zh: `到 ${path.target} 的路径 MTU 为 ${s.pathMtu}；更大的包会在没有 ICMP 提示的情况下消失。`,
      },
      data,
    );
  }
  if (wgMtu !== undefined && s.pathMtu < wgMtu) {
    return result(
      id,
      'warn',
      {
        en: `Path MTU to ${path.target} is ${s.pathMtu}, below wg0's ${wgMtu}.`,
        zh: `到 ${path.target} 的路径 MTU 为 ${s.pathMtu}，低于 wg0 的 ${wgMtu}。`,
      },
      data,
    );
  }
  const icmp = s.method === 'icmp';
  return result(
    id,
    'pass',
    {
      en: `Path MTU to ${path.target} is ${s.pathMtu}${icmp ? ', announced by ICMP' : ''}.`,
      zh: `到 ${path.target} 的路径 MTU 为 ${s.pathMtu}${icmp ? '（由 ICMP 告知）' : ''}。`,
    },
    data,
  );
}

export function checkMtuL2(facts: DoctorFacts): CheckResult {
  const id = 'mtu.l2';
  const path = facts.mtu?.l2;
  const what = { en: 'L2 MTU', zh: '二层桥接路径 MTU' };
  const early = mtuPrecheck(id, path, what);
  if (early) return early;
  const a = assessL2Mtu(facts);
  if (!a || path?.kind !== 'measured') return inconsistent(id, what);
  const data: Data = {
    ...mtuData(a.search, path.target),
    clientMtu: a.clientMtu,
    clientMtuSource: a.clientMtuSource,
    maxStreamerPacketBytes: a.maxStreamerPacketBytes,
    streamerPacketBytes: facts.streamerPacketBytes,
  };
  if (a.exceeds && a.blackHole && a.clientMtuSource !== 'assumed') {
    return result(
      id,
      'fail',
      {
        en: `L2 path carries ${a.pathMtu} but clients use ${a.clientMtu}: larger frames vanish without ICMP.`,
        zh: `二层路径只能承载 ${a.pathMtu}，客户端却使用 ${a.clientMtu}：更大的帧会在没有 ICMP 提示的情况下消失。`,
      },
      data,
    );
  }
  if (a.exceeds && a.clientMtuSource === 'assumed') {
    return result(
      id,
      'warn',
      {
        en: `L2 path carries ${a.pathMtu}; clients probably use ${a.clientMtu}, but no DHCP offer showed it.`,
        zh: `二层路径可承载 ${a.pathMtu}；客户端可能使用 ${a.clientMtu}，但没有 DHCP 分配能证实这一点。`,
      },
      data,
    );
  }
  if (a.exceeds) {
    return result(
      id,
      'warn',
      {
        en: `L2 path carries ${a.pathMtu} but clients use ${a.clientMtu}; larger packets get ICMP and fragment.`,
        zh: `二层路径只能承载 ${a.pathMtu}，客户端却使用 ${a.clientMtu}；更大的包会收到 ICMP 提示并被分片。`,
      },
      data,
    );
  }
  return result(
    id,
    'pass',
    {
      en: `L2 path carries ${a.pathMtu}; clients use ${a.clientMtu}.`,
      zh: `二层路径可承载 ${a.pathMtu}，客户端使用 ${a.clientMtu}。`,
    },
    data,
  );
}

const segmentLabel: Record<ThroughputSegmentName, Summary> = {
  lan: { en: 'Laptop <-> travel router', zh: '笔记本 <-> 旅行路由器' },
  tunnel: { en: 'Travel router <-> home', zh: '旅行路由器 <-> 家里' },
  e2e: { en: 'Laptop <-> home', zh: '笔记本 <-> 家里' },
};

function checkThroughput(
  id: CheckId,
  segment: ThroughputSegmentName,
  facts: DoctorFacts,
): CheckResult {
  const t = facts.throughput?.[segment];
  const label = segmentLabel[segment];
  if (t === undefined || t.kind !== 'measured') return notMeasured(id, t, label);
  const target = facts.targetMbps;
  const data: Data = {
    downMbps: t.downMbps === undefined ? undefined : round(t.downMbps, 2),
    upMbps: t.upMbps === undefined ? undefined : round(t.upMbps, 2),
    downRetransmits: t.downRetransmits,
    upRetransmits: t.upRetransmits,
    targetMbps: target,
  };
  if (t.downMbps === undefined) {
    return result(
      id,
      'error',
      { en: `${label.en}: no downstream result.`, zh: `${label.zh}：没有下行结果。` },
      data,
    );
  }
  const up = t.upMbps === undefined ? '' : `, ${mbps(t.upMbps)} up`;
  const upZh = t.upMbps === undefined ? '' : `，上行 ${mbps(t.upMbps)}`;
  const measured = `${label.en}: ${mbps(t.downMbps)} down${up} (target ${target})`;
  const measuredZh = `${label.zh}：下行 ${mbps(t.downMbps)}${upZh}（目标 ${target} Mbps）`;
  const line = { en: `${measured}.`, zh: `${measuredZh}。` };
  if (t.downMbps <= 0) {
    return result(
      id,
      'fail',
      {
        en: `${label.en}: stalled at 0 Mbps down${up}.`,
        zh: `${label.zh}：下行停滞在 0 Mbps${upZh}。`,
      },
      data,
    );
  }
  if (t.downMbps < target) return result(id, 'fail', line, data);
  if (t.downMbps < target * throughputHeadroom) {
    return result(
      id,
      'warn',
      { en: `${measured}; little headroom.`, zh: `${measuredZh}；余量很小。` },
      data,
    );
  }
  return result(id, 'pass', line, data);
}

export function checkThroughputLan(facts: DoctorFacts): CheckResult {
  return checkThroughput('throughput.lan', 'lan', facts);
}

export function checkThroughputTunnel(facts: DoctorFacts): CheckResult {
  return checkThroughput('throughput.tunnel', 'tunnel', facts);
}

export function checkThroughputE2e(facts: DoctorFacts): CheckResult {
  return checkThroughput('throughput.e2e', 'e2e', facts);
}

export function checkUdpVr(facts: DoctorFacts): CheckResult {
  const id = 'udp.vr';
  const u = facts.udp;
  if (u === undefined || u.kind !== 'measured') {
    return notMeasured(id, u, { en: 'UDP at the VR bitrate', zh: 'VR 码率下的 UDP' });
  }
  const data: Data = {
    offeredMbps: round(u.offeredMbps, 2),
    receivedMbps: round(u.receivedMbps, 2),
    lossPercent: round(u.lossPercent, 2),
    jitterMs: round(u.jitterMs, 3),
    packetBytes: u.packetBytes,
    targetMbps: facts.targetMbps,
  };
  const loss = round(u.lossPercent, 2);
  const jitter = round(u.jitterMs, 2);
  const line = {
    en: `UDP ${mbps(u.offeredMbps)} in ${u.packetBytes}-byte packets: ${loss} % lost, jitter ${jitter} ms.`,
    zh: `UDP ${mbps(u.offeredMbps)}，每包 ${u.packetBytes} 字节：丢包 ${loss}%，抖动 ${jitter} ms。`,
  };
  if (u.lossPercent >= udpLossFailPercent || u.jitterMs >= udpJitterFailMs)
    return result(id, 'fail', line, data);
  if (u.lossPercent >= udpLossWarnPercent || u.jitterMs >= udpJitterWarnMs)
    return result(id, 'warn', line, data);
  return result(id, 'pass', line, data);
}

export function checkLatencyLoaded(facts: DoctorFacts): CheckResult {
  const id = 'latency.loaded';
  const l = facts.latency;
  if (l === undefined || l.kind !== 'measured') {
    return notMeasured(id, l, { en: 'Latency under load', zh: '负载下延迟' });
  }
  const a = assessLatency(facts);
  if (!a) {
    return result(
      id,
      'skip',
      {
        en: `Idle latency ${round(l.idleMs)} ms; no loaded measurement.`,
        zh: `空闲延迟 ${round(l.idleMs)} ms；没有负载下的测量。`,
      },
      { idleMs: round(l.idleMs, 2) },
    );
  }
  const data: Data = {
    idleMs: round(a.idleMs, 2),
    loadedMs: round(a.loadedMs, 2),
    loadedDownMs: l.loadedDownMs === undefined ? undefined : round(l.loadedDownMs, 2),
    loadedUpMs: l.loadedUpMs === undefined ? undefined : round(l.loadedUpMs, 2),
    addedMs: round(a.addedMs, 2),
    grade: a.grade,
  };
  const direction = a.worstDirection === 'down' ? '下行' : '上行';
  const line = {
    en: `Latency ${round(a.idleMs)} ms idle, ${round(a.loadedMs)} ms loaded (${a.worstDirection}): +${round(a.addedMs)} ms, grade ${a.grade}.`,
    zh: `延迟：空闲 ${round(a.idleMs)} ms，负载下 ${round(a.loadedMs)} ms（${direction}）：增加 ${round(a.addedMs)} ms，评级 ${a.grade}。`,
  };
  const status: CheckStatus =
    a.grade === 'A+' || a.grade === 'A'
      ? 'pass'
      : a.grade === 'B' || a.grade === 'C'
        ? 'warn'
        : 'fail';
  return result(id, status, line, data);
}

export function checkRouterCpu(facts: DoctorFacts): CheckResult {
  const id = 'router.cpu';
  const soc = routerSoc(facts);
  const socData: Data = { soc: soc?.soc, socWireguardCeilingMbps: soc?.wireguardMbps };
  const c = facts.routerCpu;
  if (c === undefined || c.kind !== 'measured') {
    const r = notMeasured(id, c, { en: 'Router CPU', zh: '路由器 CPU' });
    return { ...r, data: compact(socData) };
  }
  const tunnelDown = downMbps(facts.throughput?.tunnel);
  const data: Data = {
    ...socData,
    busiestCorePercent: round(c.busiestCorePercent),
    cores: c.cores,
  };
  const busiest = round(c.busiestCorePercent);
  const socNote = soc ? ` (${soc.soc}, ~${soc.wireguardMbps} Mbps WireGuard)` : '';
  const socNoteZh = soc ? `（${soc.soc}，WireGuard 约 ${soc.wireguardMbps} Mbps）` : '';
  const measured = `Busiest core ${busiest} % during the tunnel test${socNote}`;
  const measuredZh = `隧道测试期间最忙的核心占用 ${busiest}%${socNoteZh}`;
  const line = { en: `${measured}.`, zh: `${measuredZh}。` };
  if (c.busiestCorePercent >= cpuBoundPercent) {
    const below = tunnelDown !== undefined && tunnelDown < facts.targetMbps;
    return result(id, below ? 'fail' : 'warn', line, data);
  }
  if (soc && soc.wireguardMbps < facts.targetMbps) {
    return result(
      id,
      'warn',
      {
        en: `${measured}; below the ${facts.targetMbps} Mbps target.`,
        zh: `${measuredZh}；芯片的 WireGuard 上限低于 ${facts.targetMbps} Mbps 的目标。`,
      },
      data,
    );
  }
  return result(id, 'pass', line, data);
}

export function checkWifiLink(facts: DoctorFacts): CheckResult {
  const id = 'wifi.link';
  const links = assessWifi(facts);
  if (links.length === 0) {
    const station = facts.wifi?.router;
    const laptop = facts.wifi?.laptop;
    const reason = [station, laptop].find(
      (v): v is NotMeasured => v !== undefined && v.kind !== 'measured',
    );
    return notMeasured(id, reason, { en: 'Wi-Fi link', zh: 'Wi-Fi 链路' });
  }
  const data: Data = {};
  const parts: string[] = [];
  const partsZh: string[] = [];
  for (const l of links) {
    const p = l.who;
    data[`${p}Band`] = l.band === undefined ? undefined : `${l.band} GHz`;
    data[`${p}WidthMhz`] = l.widthMhz;
    data[`${p}SignalDbm`] = l.signalDbm;
    data[`${p}NoiseDbm`] = l.noiseDbm;
    data[`${p}PhyMbps`] = l.phyMbps;
    data[`${p}ExpectedMbps`] = l.expectedMbps === undefined ? undefined : round(l.expectedMbps);
    const bits = [
      l.band ? `${l.band} GHz` : undefined,
      l.widthMhz ? `${l.widthMhz} MHz` : undefined,
      l.signalDbm !== undefined ? `${l.signalDbm} dBm` : undefined,
      l.phyMbps !== undefined ? `PHY ${l.phyMbps} Mbps` : undefined,
    ].filter(Boolean);
    parts.push(`${l.who === 'station' ? 'headset link' : 'laptop'} ${bits.join(', ')}`);
    partsZh.push(`${l.who === 'station' ? '头显连接' : '笔记本'} ${bits.join('，')}`);
  }
  const laptop = facts.wifi?.laptop;
  if (laptop?.kind === 'measured') data.laptopSsid = laptop.ssid;
  const status: CheckStatus = links.some((l) => l.weak === 'fail')
    ? 'fail'
    : links.some((l) => l.weak === 'warn' || l.narrow || l.band2g)
      ? 'warn'
      : 'pass';
  return result(
    id,
    status,
    { en: `Wi-Fi: ${parts.join('; ')}.`, zh: `Wi-Fi：${partsZh.join('；')}。` },
    data,
  );
}

export const checkFunctions: Record<CheckId, (facts: DoctorFacts) => CheckResult> = {
  'router.reach': checkRouterReach,
  'wireguard.handshake': checkWireguardHandshake,
  'l2.dhcp': checkL2Dhcp,
  'mtu.underlay': checkMtuUnderlay,
  'mtu.l3': checkMtuL3,
  'mtu.l2': checkMtuL2,
  'throughput.lan': checkThroughputLan,
  'throughput.tunnel': checkThroughputTunnel,
  'throughput.e2e': checkThroughputE2e,
  'udp.vr': checkUdpVr,
  'latency.loaded': checkLatencyLoaded,
  'router.cpu': checkRouterCpu,
  'wifi.link': checkWifiLink,
};

export function runChecks(facts: DoctorFacts, ids: readonly CheckId[]): CheckResult[] {
  return ids.map((id) => checkFunctions[id](facts));
}
