// The doctor's rule table: symptom -> test -> cause -> fix, one rule per finding id. Every number
// in a fix comes from the measured facts; nothing here knows the lab's addresses or MTUs.

import type {
  CheckId,
  CheckResult,
  Finding,
  FindingId,
  LocalizedText,
  Segment,
  Severity,
  Verdict,
} from '../../../shared/doctor';
import {
  assessL2Mtu,
  assessLatency,
  assessUnderlay,
  assessWifi,
  downMbps,
  endpointPort,
  handshakeState,
  routerSoc,
  streamerPacketLimit,
  tunnelDown,
  udpJitterFailMs,
  udpJitterWarnMs,
  udpLossFailPercent,
  udpLossWarnPercent,
  cpuBoundPercent,
  type ThroughputSegmentName,
  type WifiLinkAssessment,
} from './checks';
import type { Remedy } from '../../../shared/remedy';
import type { DoctorFacts } from './facts';
import { vxlanOverheadBytes, wireguardOverheadBytes } from './goodput';
import { socsAbove } from './soc';

interface RuleContext {
  facts: DoctorFacts;
  checks: ReadonlyMap<CheckId, CheckResult>;
}

interface RuleHit {
  severity: Severity;
  en: LocalizedText;
  zh: LocalizedText;
  /** What the app can apply itself for this finding (the fix text stays the manual way). */
  remedy?: Remedy;
}

export interface Rule {
  id: FindingId;
  /** The first is the primary check: without it in the run, the rule stays silent. */
  evidence: CheckId[];
  /** The finding says something only when the tunnel carries traffic; otherwise it is a symptom. */
  needsTunnel: boolean;
  test: (ctx: RuleContext) => RuleHit | undefined;
}

/** A bitrate with headroom: 80 % of what the path delivered, whole Mbps. */
export function safeBitrateMbps(measuredMbps: number): number {
  return Math.max(1, Math.floor(measuredMbps * 0.8));
}

function n(value: number, digits = 1): string {
  const f = 10 ** digits;
  return String(Math.round(value * f) / f);
}

const throughputSegments: ThroughputSegmentName[] = ['lan', 'tunnel', 'e2e'];

const throughputSegmentOf: Record<ThroughputSegmentName, Segment> = {
  lan: 'wifi',
  tunnel: 'tunnel',
  e2e: 'end-to-end',
};

/**
 * The slowest measured downstream segment. End-to-end is bounded by the others, so it is named
 * only when it is clearly (over 20 %) slower than each part measured on its own.
 */
export function slowestSegment(
  facts: DoctorFacts,
): { name: ThroughputSegmentName; downMbps: number } | undefined {
  const measured = throughputSegments
    .map((name) => ({ name, downMbps: downMbps(facts.throughput?.[name]) }))
    .filter(
      (s): s is { name: ThroughputSegmentName; downMbps: number } => s.downMbps !== undefined,
    );
  const parts = measured.filter((s) => s.name !== 'e2e');
  const e2e = measured.find((s) => s.name === 'e2e');
  const slowestPart = parts.reduce<(typeof parts)[number] | undefined>(
    (min, s) => (min === undefined || s.downMbps < min.downMbps ? s : min),
    undefined,
  );
  if (!slowestPart) return e2e;
  if (e2e && e2e.downMbps < slowestPart.downMbps * 0.8) return e2e;
  return slowestPart;
}

const segmentWords: Record<ThroughputSegmentName, { en: string; zh: string }> = {
  lan: {
    en: 'The Wi-Fi between the laptop and the travel router',
    zh: '笔记本与旅行路由器之间的 Wi-Fi',
  },
  tunnel: { en: 'The tunnel between home and the travel router', zh: '家里与旅行路由器之间的隧道' },
  e2e: { en: 'The whole path from home to the laptop', zh: '从家里到笔记本的完整路径' },
};

function whoWords(link: WifiLinkAssessment): { en: string; zh: string } {
  return link.who === 'station'
    ? { en: "headset's link to the travel router", zh: '头显与旅行路由器之间的连接' }
    : { en: "laptop's Wi-Fi link", zh: '笔记本的 Wi-Fi 连接' };
}

function wideHtmode(htmode: string | undefined): string {
  const family = htmode?.match(/^(EHT|HE|VHT|HT)/)?.[1];
  if (family === 'EHT' || family === 'HE') return `${family}80`;
  return 'VHT80';
}

const rules: Rule[] = [
  {
    id: 'wireguard.no-handshake',
    evidence: ['wireguard.handshake'],
    needsTunnel: false,
    test: ({ facts }) => {
      const s = handshakeState(facts);
      if (s.kind === 'no-peers') {
        return {
          severity: 'critical',
          en: {
            cause: 'The travel router has no WireGuard peer, so there is no tunnel to home at all.',
            fix: "Add home as a peer of wg0 on the travel router: home's public key, its public address and port as the endpoint, and home's tunnel address in allowed IPs.",
          },
          zh: {
            cause: '旅行路由器上没有任何 WireGuard 对端，所以根本没有通往家里的隧道。',
            fix: '在旅行路由器的 wg0 上把家里添加为对端：填写家里的公钥、以家里的公网地址和端口作为端点，并把家里的隧道地址加入允许的 IP。',
          },
        };
      }
      if (s.kind === 'no-data') {
        return {
          severity: 'critical',
          en: {
            cause: `Home stopped answering through the tunnel: the last handshake was ${s.ageS} s ago, but pings to home's tunnel address get no reply, so no session carries data.`,
            fix: 'Check WireGuard on the home router: `wg show wg0` there must list this travel router as a peer with a recent handshake; restart it with `ifup wg0` (or reboot home) if wg0 is down.',
          },
          zh: {
            cause: `家里不再通过隧道应答：上次握手在 ${s.ageS} 秒前，但 ping 家里的隧道地址没有回应，没有可用的会话传输数据。`,
            fix: '检查家里路由器上的 WireGuard：在那里运行 `wg show wg0`，应能看到这台旅行路由器是对端且握手时间很近；如果 wg0 停了，用 `ifup wg0` 重启（或重启家里路由器）。',
          },
        };
      }
      if (s.kind !== 'never') return undefined;
      const endpoint = s.peer.endpoint ?? "home's endpoint";
      const port = endpointPort(s.peer.endpoint) ?? 51820;
      return {
        severity: 'critical',
        en: {
          cause: `The travel router has never completed a WireGuard handshake with home (${endpoint}): the keys do not match, the endpoint is wrong, or UDP port ${port} does not reach home.`,
          fix: `Run \`wg show wg0\` on both routers and check that the peer key each side has configured is the other side's own public key; check that ${endpoint} is home's current public address and that home forwards UDP ${port} to its WireGuard router.`,
        },
        zh: {
          cause: `旅行路由器从未与家里（${endpoint}）完成 WireGuard 握手：密钥不匹配、端点地址错误，或 UDP ${port} 端口到不了家里。`,
          fix: `在两台路由器上运行 \`wg show wg0\`，确认每一端配置的对端公钥正是另一端自己的公钥；确认 ${endpoint} 是家里当前的公网地址，并且家里把 UDP ${port} 转发给 WireGuard 路由器。`,
        },
      };
    },
  },
  {
    id: 'wireguard.stale-handshake',
    evidence: ['wireguard.handshake'],
    needsTunnel: false,
    test: ({ facts }) => {
      const s = handshakeState(facts);
      if (s.kind !== 'stale') return undefined;
      const endpoint = s.peer.endpoint ?? "home's endpoint";
      const pingEn = s.pingAnswered === false ? ' and a ping through it got no answer' : '';
      const pingZh = s.pingAnswered === false ? '，而且通过隧道的 ping 没有回应' : '';
      const keepEn = s.peer.keepaliveS
        ? ''
        : ' Then set persistent keepalive to 25 s on the travel router so the session stays open.';
      const keepZh = s.peer.keepaliveS
        ? ''
        : ' 然后在旅行路由器上把持续保活（persistent keepalive）设为 25 秒，让会话保持打开。';
      return {
        severity: 'critical',
        en: {
          cause: `The last WireGuard handshake was ${s.ageS} s ago, more than 180 s, so the tunnel has no live session${pingEn}. Home's WireGuard side is most likely down, or home's public address changed.`,
          fix: `Check that WireGuard runs at home (\`wg show\` there should list this router with a recent handshake) and that ${endpoint} is still home's public address; update the endpoint if it changed.${keepEn}`,
        },
        zh: {
          cause: `最近一次 WireGuard 握手在 ${s.ageS} 秒前，超过 180 秒，隧道已经没有可用的会话${pingZh}。很可能是家里的 WireGuard 停了，或家里的公网地址变了。`,
          fix: `确认家里的 WireGuard 在运行（在家里运行 \`wg show\` 应能看到这台路由器且握手时间很近），并确认 ${endpoint} 仍是家里的公网地址；如果变了就更新端点。${keepZh}`,
        },
      };
    },
  },
  {
    id: 'mtu.underlay-too-small',
    evidence: ['mtu.underlay', 'throughput.tunnel', 'throughput.e2e'],
    needsTunnel: false,
    test: ({ facts }) => {
      const a = assessUnderlay(facts);
      if (!a?.tooSmall) return undefined;
      const overhead = wireguardOverheadBytes(a.family);
      const bridge = a.fittingWgMtu - vxlanOverheadBytes;
      const stall = downMbps(facts.throughput?.tunnel) ?? downMbps(facts.throughput?.e2e);
      const stallEn = stall !== undefined ? ` (measured ${n(stall)} Mbps)` : '';
      const stallZh = stall !== undefined ? `（实测 ${n(stall)} Mbps）` : '';
      return {
        severity: a.blackHole ? 'critical' : 'warning',
        en: {
          cause: a.blackHole
            ? `The path between the sites carries at most ${a.pathMtu} bytes, but full WireGuard packets need ${a.requiredMtu} (${a.wgMtu} inside + ${overhead} overhead), and larger packets vanish without any ICMP message: small packets such as SSH work while TCP through the tunnel stalls${stallEn}.`
            : `The path between the sites carries at most ${a.pathMtu} bytes, but full WireGuard packets need ${a.requiredMtu} (${a.wgMtu} inside + ${overhead} overhead), so every full-size packet is fragmented or bounced, which costs throughput.`,
          fix: `Set the WireGuard MTU to ${a.fittingWgMtu} on both routers (OpenWrt: \`uci set network.wg0.mtu=${a.fittingWgMtu}\`), and the VXLAN interface and br-lan2 to ${bridge}, with DHCP option 26 = ${bridge} for the L2 SSID.`,
        },
        zh: {
          cause: a.blackHole
            ? `两地之间的路径最多只能承载 ${a.pathMtu} 字节，而完整的 WireGuard 包需要 ${a.requiredMtu} 字节（内部 ${a.wgMtu} + 开销 ${overhead}），更大的包会在没有任何 ICMP 提示的情况下消失：SSH 这类小包能通，但隧道里的 TCP 会卡死${stallZh}。`
            : `两地之间的路径最多只能承载 ${a.pathMtu} 字节，而完整的 WireGuard 包需要 ${a.requiredMtu} 字节（内部 ${a.wgMtu} + 开销 ${overhead}），所以每个满长度的包都会被分片或退回，吞吐量因此下降。`,
          fix: `在两台路由器上把 WireGuard 的 MTU 设为 ${a.fittingWgMtu}（OpenWrt：\`uci set network.wg0.mtu=${a.fittingWgMtu}\`），把 VXLAN 接口和 br-lan2 设为 ${bridge}，并为 L2 SSID 设置 DHCP 选项 26 = ${bridge}。`,
        },
      };
    },
  },
  {
    id: 'l2.no-dhcp',
    evidence: ['l2.dhcp'],
    needsTunnel: true,
    test: ({ facts }) => {
      const d = facts.l2Dhcp?.discover;
      if (d?.kind !== 'no-offer') return undefined;
      return {
        severity: 'critical',
        en: {
          cause:
            'A DHCP request sent into the bridged SSID (br-lan2) got no offer from home, so devices on that SSID get no address even though the tunnel is up.',
          fix: "Check that home's DHCP server runs and serves the LAN that home's VXLAN port is bridged into (OpenWrt: `/etc/init.d/dnsmasq status`, `uci show dhcp.lan`), that home's vxlan0 is a port of br-lan with a forwarding entry toward the travel router's tunnel address, and that the travel router's vxlan0 is a port of br-lan2.",
        },
        zh: {
          cause:
            '从桥接 SSID（br-lan2）发出的 DHCP 请求没有收到家里的任何分配，所以连在这个 SSID 上的设备拿不到地址，尽管隧道本身是通的。',
          fix: '确认家里的 DHCP 服务器在运行，并且服务于家里 VXLAN 端口所桥接的那个局域网（OpenWrt：`/etc/init.d/dnsmasq status`、`uci show dhcp.lan`）；确认家里的 vxlan0 是 br-lan 的端口并有指向旅行路由器隧道地址的转发条目，以及旅行路由器的 vxlan0 是 br-lan2 的端口。',
        },
      };
    },
  },
  {
    id: 'mtu.l2-black-hole',
    evidence: ['mtu.l2', 'l2.dhcp'],
    needsTunnel: true,
    test: ({ facts }) => {
      const a = assessL2Mtu(facts);
      if (!a?.exceeds || !a.blackHole || a.clientMtuSource === 'assumed') return undefined;
      const limit = streamerPacketLimit(a.pathMtu);
      const source = {
        'dhcp-option-26': { en: "from home's DHCP MTU option", zh: '来自家里 DHCP 的 MTU 选项' },
        'laptop-interface': { en: "the laptop's interface MTU", zh: '笔记本网卡的 MTU' },
        assumed: { en: 'assumed', zh: '推定' },
        default: {
          en: 'the Ethernet and Wi-Fi default, as no DHCP MTU option is offered',
          zh: '以太网和 Wi-Fi 的默认值，因为 DHCP 没有提供 MTU 选项',
        },
      }[a.clientMtuSource];
      const current = facts.streamerPacketBytes;
      const nowEn = current !== undefined && current > limit ? ` (now ${current})` : '';
      const nowZh = current !== undefined && current > limit ? `（当前为 ${current}）` : '';
      return {
        severity: 'critical',
        remedy: { kind: 'home-dhcp-mtu', end: 'home', mtu: a.pathMtu },
        en: {
          cause: `Devices on the bridged SSID use an MTU of ${a.clientMtu} (${source.en}), but the L2 path through the tunnel carries at most ${a.pathMtu} bytes and drops larger frames without any ICMP message. Small packets such as DHCP and ping work; full-size packets such as VR video vanish.`,
          fix: `Set the home DHCP server's MTU option (26) to ${a.pathMtu} for the L2 SSID (OpenWrt: \`uci add_list dhcp.lan.dhcp_option='26,${a.pathMtu}'; uci commit dhcp; /etc/init.d/dnsmasq restart\`), or set ALVR's packet size to at most ${limit}${nowEn}.`,
        },
        zh: {
          cause: `桥接 SSID 上的设备使用 ${a.clientMtu} 的 MTU（${source.zh}），但经过隧道的二层路径最多只能承载 ${a.pathMtu} 字节，更大的帧会在没有任何 ICMP 提示的情况下被丢弃。DHCP、ping 这类小包能通，而 VR 视频这类满长度的包会消失。`,
          fix: `把家里 DHCP 服务器给 L2 SSID 的 MTU 选项（26）设为 ${a.pathMtu}（OpenWrt：\`uci add_list dhcp.lan.dhcp_option='26,${a.pathMtu}'; uci commit dhcp; /etc/init.d/dnsmasq restart\`），或者把 ALVR 的包大小（packet size）设为不超过 ${limit}${nowZh}。`,
        },
      };
    },
  },
  {
    id: 'router.cpu-bound',
    evidence: ['router.cpu', 'throughput.tunnel'],
    needsTunnel: true,
    test: ({ facts }) => {
      const cpu = facts.routerCpu;
      const tunnel = downMbps(facts.throughput?.tunnel);
      if (cpu?.kind !== 'measured' || tunnel === undefined) return undefined;
      if (cpu.busiestCorePercent < cpuBoundPercent || tunnel >= facts.targetMbps) return undefined;
      const soc = routerSoc(facts);
      const safe = safeBitrateMbps(tunnel);
      const better = socsAbove(facts.targetMbps * 1.5).slice(0, 2);
      const betterText = better.map((s) => `${s.soc} (~${s.wireguardMbps} Mbps)`).join(' or ');
      const socEn = soc
        ? `; the ${soc.soc} tops out around ${soc.wireguardMbps} Mbps of WireGuard (wg-bench)`
        : '';
      const socZh = soc
        ? `；${soc.soc} 的 WireGuard 上限大约是 ${soc.wireguardMbps} Mbps（wg-bench 数据）`
        : '';
      const upgrade =
        better.length > 0 && (soc === undefined || soc.wireguardMbps < facts.targetMbps * 1.5);
      return {
        severity: 'critical',
        en: {
          cause: `During the tunnel test the travel router's busiest core ran at ${n(cpu.busiestCorePercent, 0)} %: encryption, not the network, stops the tunnel at ${n(tunnel)} Mbps, below the ${facts.targetMbps} Mbps target${socEn}.`,
          fix: `Lower ALVR's bitrate to ${safe} Mbps${upgrade ? `, or use a travel router with a faster SoC such as ${betterText}` : ', and stop other work on the router (SQM, ad blocking, other VPNs) while playing'}.`,
        },
        zh: {
          cause: `隧道测试期间旅行路由器最忙的核心达到 ${n(cpu.busiestCorePercent, 0)}%：限制隧道速度在 ${n(tunnel)} Mbps 的是加密运算而不是网络，低于 ${facts.targetMbps} Mbps 的目标${socZh}。`,
          fix: `把 ALVR 的码率降到 ${safe} Mbps${upgrade ? `，或者换一台芯片更快的旅行路由器，例如 ${betterText}` : '，并在游玩时停掉路由器上的其他负载（SQM、广告过滤、其他 VPN）'}。`,
        },
      };
    },
  },
  {
    id: 'throughput.below-target',
    evidence: ['throughput.lan', 'throughput.tunnel', 'throughput.e2e'],
    needsTunnel: true,
    test: ({ facts }) => {
      const slow = slowestSegment(facts);
      if (!slow || slow.downMbps >= facts.targetMbps) return undefined;
      // A black-holed underlay already explains a stalled tunnel; saying it twice adds nothing.
      const underlay = assessUnderlay(facts);
      if (underlay?.tooSmall && underlay.blackHole && slow.name !== 'lan') return undefined;
      const safe = safeBitrateMbps(slow.downMbps);
      const words = segmentWords[slow.name];
      const fixEn: Record<ThroughputSegmentName, string> = {
        lan: `Bring the laptop or headset closer to the travel router and use its 5 GHz radio at 80 MHz, or lower ALVR's bitrate to ${safe} Mbps.`,
        tunnel: `Lower ALVR's bitrate to ${safe} Mbps; to go faster, raise home's upload (the VR direction leaves home) or the travel site's download.`,
        e2e: `Lower ALVR's bitrate to ${safe} Mbps; the parts measured on their own are faster, so look for load on the travel router or the laptop during the test.`,
      };
      const fixZh: Record<ThroughputSegmentName, string> = {
        lan: `让笔记本或头显更靠近旅行路由器，并使用 80 MHz 的 5 GHz 频段，或者把 ALVR 的码率降到 ${safe} Mbps。`,
        tunnel: `把 ALVR 的码率降到 ${safe} Mbps；想更快就要提高家里的上行带宽（VR 画面从家里发出）或旅行地的下行带宽。`,
        e2e: `把 ALVR 的码率降到 ${safe} Mbps；单独测量的各段都更快，请检查测试期间旅行路由器或笔记本上的其他负载。`,
      };
      return {
        severity: 'critical',
        en: {
          cause: `${words.en} carries ${n(slow.downMbps)} Mbps toward the headset, below the ${facts.targetMbps} Mbps target.`,
          fix: fixEn[slow.name],
        },
        zh: {
          cause: `${words.zh}朝头显方向只能传输 ${n(slow.downMbps)} Mbps，低于 ${facts.targetMbps} Mbps 的目标。`,
          fix: fixZh[slow.name],
        },
      };
    },
  },
  {
    id: 'udp.loss',
    evidence: ['udp.vr', 'mtu.l3', 'mtu.l2'],
    needsTunnel: true,
    test: ({ facts }) => {
      const u = facts.udp;
      if (u?.kind !== 'measured') return undefined;
      if (u.lossPercent < udpLossWarnPercent && u.jitterMs < udpJitterWarnMs) return undefined;
      const severity: Severity =
        u.lossPercent >= udpLossFailPercent || u.jitterMs >= udpJitterFailMs
          ? 'critical'
          : 'warning';
      const what = `${n(u.lossPercent, 2)} % of UDP packets lost and ${n(u.jitterMs, 2)} ms jitter at ${n(u.offeredMbps)} Mbps`;
      const whatZh = `以 ${n(u.offeredMbps)} Mbps 发送 UDP 时丢包 ${n(u.lossPercent, 2)}%、抖动 ${n(u.jitterMs, 2)} ms`;
      const l3 = facts.mtu?.l3;
      const pathMtu =
        l3?.kind === 'measured' && l3.search.kind === 'found' ? l3.search.pathMtu : undefined;
      if (pathMtu !== undefined && u.packetBytes + 28 > pathMtu) {
        const limit = streamerPacketLimit(pathMtu);
        return {
          severity,
          en: {
            cause: `${what}: each ${u.packetBytes}-byte datagram is larger than the ${pathMtu}-byte path and travels as fragments, and losing any fragment loses the packet.`,
            fix: `Set ALVR's packet size to at most ${limit} so every packet crosses whole.`,
          },
          zh: {
            cause: `${whatZh}：每个 ${u.packetBytes} 字节的数据报都超过了 ${pathMtu} 字节的路径 MTU，只能分片传输，任何一个分片丢了整个包就丢了。`,
            fix: `把 ALVR 的包大小设为不超过 ${limit}，让每个包都能完整通过。`,
          },
        };
      }
      if (u.receivedMbps < u.offeredMbps * 0.95) {
        const safe = safeBitrateMbps(u.receivedMbps);
        return {
          severity,
          en: {
            cause: `${what}: the path delivered only ${n(u.receivedMbps)} Mbps of the ${n(u.offeredMbps)} offered, so the stream overruns it.`,
            fix: `Lower ALVR's bitrate to ${safe} Mbps.`,
          },
          zh: {
            cause: `${whatZh}：路径只送达了 ${n(u.receivedMbps)} Mbps（发送 ${n(u.offeredMbps)} Mbps），视频流超出了它的能力。`,
            fix: `把 ALVR 的码率降到 ${safe} Mbps。`,
          },
        };
      }
      return {
        severity,
        en: {
          cause: `${what}, even though the path has room for the rate: packets are dropped or delayed on the way, usually by Wi-Fi interference or a lossy internet link.`,
          fix: "Compare with the Wi-Fi check: if the link is weak or busy, move closer or pick a quieter 5 GHz channel; if Wi-Fi is clean, the loss is on the internet path, so switch ALVR's stream protocol to TCP.",
        },
        zh: {
          cause: `${whatZh}，尽管路径的带宽足够：包在途中被丢弃或延迟，通常是 Wi-Fi 干扰或有丢包的互联网链路造成的。`,
          fix: '对照 Wi-Fi 检查：如果连接弱或拥挤，就靠近一些或换一个更空闲的 5 GHz 信道；如果 Wi-Fi 没问题，丢包发生在互联网路径上，请把 ALVR 的传输协议改为 TCP。',
        },
      };
    },
  },
  {
    id: 'latency.bufferbloat',
    evidence: ['latency.loaded', 'throughput.tunnel'],
    needsTunnel: true,
    test: ({ facts }) => {
      const a = assessLatency(facts);
      if (!a || a.grade === 'A+' || a.grade === 'A') return undefined;
      const t = facts.throughput?.tunnel;
      const down = t?.kind === 'measured' ? t.downMbps : undefined;
      const up = t?.kind === 'measured' ? t.upMbps : undefined;
      const rates =
        down !== undefined && up !== undefined
          ? `about ${Math.floor(down * 0.9)} Mbps down and ${Math.floor(up * 0.9)} Mbps up`
          : 'about 90 % of the measured line rate';
      const ratesZh =
        down !== undefined && up !== undefined
          ? `下行约 ${Math.floor(down * 0.9)} Mbps、上行约 ${Math.floor(up * 0.9)} Mbps`
          : '实测线路速率的 90% 左右';
      const dirEn = a.worstDirection === 'down' ? 'downstream' : 'upstream';
      const dirZh = a.worstDirection === 'down' ? '下行' : '上行';
      return {
        severity: a.grade === 'D' || a.grade === 'F' ? 'critical' : 'warning',
        en: {
          cause: `Under load the round trip grows from ${n(a.idleMs)} ms to ${n(a.loadedMs)} ms (+${n(a.addedMs)} ms, grade ${a.grade} on Waveform's bufferbloat scale): a queue on the ${dirEn} path fills up and VR frames wait in it.`,
          fix: `Install SQM on the travel router (luci-app-sqm) and shape its WAN with cake to ${rates}, just below the measured tunnel rates, so the queue forms where it is managed.`,
        },
        zh: {
          cause: `有负载时往返延迟从 ${n(a.idleMs)} ms 增加到 ${n(a.loadedMs)} ms（增加 ${n(a.addedMs)} ms，在 Waveform 缓冲膨胀评分中为 ${a.grade}）：${dirZh}路径上的某个队列被塞满，VR 画面要在里面排队。`,
          fix: `在旅行路由器上安装 SQM（luci-app-sqm），用 cake 把 WAN 限速到${ratesZh}，略低于实测的隧道速率，让排队发生在受控的地方。`,
        },
      };
    },
  },
  {
    id: 'wifi.weak-link',
    evidence: ['wifi.link'],
    needsTunnel: false,
    test: ({ facts }) => {
      const links = assessWifi(facts).filter((l) => l.weak !== 'no');
      const link = links.find((l) => l.weak === 'fail') ?? links[0];
      if (!link) return undefined;
      const who = whoWords(link);
      const target = facts.targetMbps;
      const parts: string[] = [];
      const partsZh: string[] = [];
      if (link.signalDbm !== undefined) {
        parts.push(`signal ${link.signalDbm} dBm`);
        partsZh.push(`信号 ${link.signalDbm} dBm`);
      }
      if (link.phyMbps !== undefined && link.expectedMbps !== undefined) {
        parts.push(
          `link rate ${link.phyMbps} Mbps, about ${Math.floor(link.expectedMbps)} Mbps of real throughput`,
        );
        partsZh.push(
          `连接速率 ${link.phyMbps} Mbps，实际吞吐约 ${Math.floor(link.expectedMbps)} Mbps`,
        );
      }
      const signalFix =
        link.signalDbm !== undefined
          ? `aim for -60 dBm or better (now ${link.signalDbm} dBm)`
          : 'aim for -60 dBm or better';
      const signalFixZh =
        link.signalDbm !== undefined
          ? `目标是 -60 dBm 或更好（当前 ${link.signalDbm} dBm）`
          : '目标是 -60 dBm 或更好';
      const rateFix =
        link.expectedMbps !== undefined && link.expectedMbps < target
          ? `, or lower ALVR's bitrate to ${safeBitrateMbps(link.expectedMbps)} Mbps`
          : '';
      const rateFixZh =
        link.expectedMbps !== undefined && link.expectedMbps < target
          ? `，或者把 ALVR 的码率降到 ${safeBitrateMbps(link.expectedMbps)} Mbps`
          : '';
      return {
        severity: link.weak === 'fail' ? 'critical' : 'warning',
        en: {
          cause: `The ${who.en} is weak: ${parts.join(', ')} (target ${target} Mbps).`,
          fix: `Put the travel router in the play space, in line of sight of the headset and at head height; ${signalFix}${rateFix}.`,
        },
        zh: {
          cause: `${who.zh}较弱：${partsZh.join('，')}（目标 ${target} Mbps）。`,
          fix: `把旅行路由器放在游玩区域内，与头显之间无遮挡、高度与头部相当；${signalFixZh}${rateFixZh}。`,
        },
      };
    },
  },
  {
    id: 'wifi.narrow-channel',
    evidence: ['wifi.link'],
    needsTunnel: false,
    test: ({ facts }) => {
      const link = assessWifi(facts).find((l) => l.narrow);
      const station = facts.wifi?.router;
      if (!link || link.widthMhz === undefined || station?.kind !== 'measured') return undefined;
      const radio = station.radio ?? 'radio1';
      const mode = wideHtmode(station.htmode);
      const channels =
        link.band === '6' ? 'a free 80 MHz block' : 'a free 80 MHz block (36-48 or 149-161)';
      const channelsZh =
        link.band === '6' ? '空闲的 80 MHz 信道块' : '空闲的 80 MHz 信道块（36-48 或 149-161）';
      return {
        severity: 'warning',
        ...(station.radio
          ? { remedy: { kind: 'router-wifi-width', end: 'router', radio, htmode: mode } as const }
          : {}),
        en: {
          cause: `The headset's link uses a ${link.widthMhz} MHz channel on ${link.band} GHz; an 80 MHz channel carries about ${80 / link.widthMhz} times as much, which VR streaming needs.`,
          fix: `Set the radio to 80 MHz: \`uci set wireless.${radio}.htmode='${mode}'; uci commit wireless; wifi reload\`, on ${channels}.`,
        },
        zh: {
          cause: `头显的连接在 ${link.band} GHz 上使用 ${link.widthMhz} MHz 信道；80 MHz 信道的容量约为它的 ${80 / link.widthMhz} 倍，VR 串流需要这样的容量。`,
          fix: `把无线电设为 80 MHz：\`uci set wireless.${radio}.htmode='${mode}'; uci commit wireless; wifi reload\`，并选择${channelsZh}。`,
        },
      };
    },
  },
  {
    id: 'wifi.band-2g',
    evidence: ['wifi.link'],
    needsTunnel: false,
    test: ({ facts }) => {
      const link = assessWifi(facts).find((l) => l.band2g);
      if (!link) return undefined;
      const who = whoWords(link);
      return {
        severity: 'warning',
        en: {
          cause: `The ${who.en} is on 2.4 GHz: a crowded band with narrow channels and a fraction of 5 GHz's capacity.`,
          fix: "Connect the headset to the travel router's 5 GHz SSID, and give the 2.4 GHz and 5 GHz radios different SSIDs so it cannot drift back.",
        },
        zh: {
          cause: `${who.zh}在 2.4 GHz 上：这个频段拥挤、信道窄，容量只有 5 GHz 的一小部分。`,
          fix: '让头显连接旅行路由器的 5 GHz SSID，并给 2.4 GHz 和 5 GHz 设置不同的 SSID，避免它又连回 2.4 GHz。',
        },
      };
    },
  },
];

export const diagnosisRules: readonly Rule[] = rules;

const severityRank: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

export function diagnose(facts: DoctorFacts, checks: readonly CheckResult[]): Finding[] {
  const ctx: RuleContext = { facts, checks: new Map(checks.map((c) => [c.id, c])) };
  const down = tunnelDown(facts);
  const findings: { finding: Finding; order: number }[] = [];
  rules.forEach((rule, order) => {
    if (rule.needsTunnel && down) return;
    // A finding must point at a check in the same report: its primary check has to have run.
    const primary = rule.evidence[0];
    if (primary === undefined || !ctx.checks.has(primary)) return;
    const hit = rule.test(ctx);
    if (!hit) return;
    findings.push({
      order,
      finding: {
        id: rule.id,
        severity: hit.severity,
        cause: hit.en.cause,
        fix: hit.en.fix,
        localized: { 'zh-CN': hit.zh },
        evidence: rule.evidence.filter((id) => ctx.checks.has(id)),
        ...(hit.remedy ? { remedy: hit.remedy } : {}),
      },
    });
  });
  return findings
    .sort(
      (a, b) =>
        severityRank[a.finding.severity] - severityRank[b.finding.severity] || a.order - b.order,
    )
    .map((f) => f.finding);
}

const findingSegment: Record<FindingId, Segment | 'slowest'> = {
  'wireguard.no-handshake': 'tunnel',
  'wireguard.stale-handshake': 'tunnel',
  'l2.no-dhcp': 'l2-bridge',
  'mtu.l2-black-hole': 'l2-bridge',
  'mtu.underlay-too-small': 'underlay',
  'throughput.below-target': 'slowest',
  'router.cpu-bound': 'router-cpu',
  'latency.bufferbloat': 'underlay',
  'udp.loss': 'end-to-end',
  'wifi.weak-link': 'wifi',
  'wifi.narrow-channel': 'wifi',
  'wifi.band-2g': 'wifi',
};

const checkSegment: Partial<Record<CheckId, Segment>> = {
  'wireguard.handshake': 'tunnel',
  'mtu.underlay': 'underlay',
  'mtu.l3': 'tunnel',
  'l2.dhcp': 'l2-bridge',
  'mtu.l2': 'l2-bridge',
  'router.cpu': 'router-cpu',
  'wifi.link': 'wifi',
  'throughput.lan': 'wifi',
  'throughput.tunnel': 'tunnel',
  'throughput.e2e': 'end-to-end',
  'udp.vr': 'end-to-end',
  'latency.loaded': 'underlay',
};

/**
 * VR-ready means: no critical finding, no failed check, and a measured downstream (end-to-end or
 * tunnel) at or above the target. Without a throughput measurement the doctor does not vouch.
 */
export function verdict(
  facts: DoctorFacts,
  checks: readonly CheckResult[],
  findings: readonly Finding[],
): Verdict {
  const slow = slowestSegment(facts);
  const critical = findings.find((f) => f.severity === 'critical');
  const failed = checks.find((c) => c.status === 'fail' && checkSegment[c.id] !== undefined);
  let limitingSegment: Segment | null = null;
  if (critical) {
    const s = findingSegment[critical.id];
    limitingSegment = s === 'slowest' ? (slow ? throughputSegmentOf[slow.name] : null) : s;
  } else if (failed) {
    limitingSegment = checkSegment[failed.id] ?? null;
  } else if (slow) {
    limitingSegment = throughputSegmentOf[slow.name];
  }
  const measuredDown = downMbps(facts.throughput?.e2e) ?? downMbps(facts.throughput?.tunnel);
  const vrReady =
    critical === undefined &&
    !checks.some((c) => c.status === 'fail') &&
    measuredDown !== undefined &&
    measuredDown >= facts.targetMbps;
  return { vrReady, targetMbps: facts.targetMbps, limitingSegment, findings: [...findings] };
}
