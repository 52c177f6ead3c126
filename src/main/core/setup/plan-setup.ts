import type { FieldError, MtuLadder, SetupIntent, WifiSpec } from '../../../shared/setup';
import type { UciChange } from '../uci/changes';
import { applyChanges, diffConfigs, renderUnifiedDiff, toUciBatch } from '../uci/changes';
import type { UciConfigDiff } from '../uci/changes';
import type { UciConfig, UciConfigs, UciSection } from '../uci/model';
import { findOption } from '../uci/model';
import { serializeUci } from '../uci/serialize';
import { mtuLadder, vxlanOverhead, wireguardOverhead } from './mtu';
import { validateIntent } from './validate';

export interface RouterFacts {
  /** Committed configs read from the router (network, wireless, firewall, dhcp at least). */
  configs: UciConfigs;
  packageManager: 'opkg' | 'apk';
  installedPackages: string[];
}

export interface HomeFacts {
  configs: UciConfigs;
}

export interface FilePreview {
  config: string;
  diff: UciConfigDiff | undefined;
  unified: string;
}

export interface EndPlan {
  changes: UciChange[];
  /** `uci batch` input including the commits. */
  batch: string;
  reloads: string[];
  packagesToInstall: string[];
  installCommand?: string;
  previews: FilePreview[];
  after: UciConfigs;
}

export interface SetupPlan {
  mtu: MtuLadder;
  router: EndPlan;
  home: EndPlan;
  /** The router's LAN address after the apply, when the plan moves it. */
  routerLanAddressAfter?: string;
  notes: string[];
  /** `notes` in Simplified Chinese, index for index. */
  notesLocalized: { 'zh-CN': string[] };
}

/** The ladder's `arithmetic` lines in Simplified Chinese, line for line. */
export function mtuArithmeticZh(mtu: MtuLadder, strategy: SetupIntent['l2MtuStrategy']): string[] {
  const fits = mtu.wireguard - vxlanOverhead;
  return [
    `WireGuard MTU = ${mtu.underlay}（底层）- ${wireguardOverhead}（外层 IPv6 40 + UDP 8 + WireGuard 32）= ${mtu.wireguard}`,
    `可容纳的 VXLAN MTU = ${mtu.wireguard}（WireGuard）- ${vxlanOverhead}（IPv4 20 + UDP 8 + VXLAN 8 + 以太网 14）= ${fits}`,
    strategy === 'vxlan-1500-fragment'
      ? `VXLAN 和网桥改为以 1500 运行：大于 ${fits} 的帧会在隧道内分片`
      : `家里 DHCP 选项 26 告诉桥接客户端 MTU ${fits}`,
  ];
}

/** A plan that cannot be made for this router, said in English and Simplified Chinese. */
export interface PlanError {
  kind: 'error';
  message: string;
  fix: string;
  zh: { message: string; fix: string };
}

export type PlanResult =
  { kind: 'ok'; plan: SetupPlan } | { kind: 'invalid'; errors: FieldError[] } | PlanError;

export const routerPackages = [
  'wireguard-tools',
  'kmod-wireguard',
  'luci-proto-wireguard',
  'kmod-vxlan',
  'vxlan',
  'luci-proto-vxlan',
  'iperf3',
];

function optionValue(section: UciSection, name: string): string | undefined {
  const option = findOption(section, name);
  return typeof option?.value === 'string' ? option.value : undefined;
}

function listValue(section: UciSection, name: string): string[] {
  const option = findOption(section, name);
  if (!option) return [];
  return Array.isArray(option.value) ? option.value : option.value.split(/\s+/).filter(Boolean);
}

function sections(config: UciConfig | undefined, type: string): UciSection[] {
  return config?.sections.filter((s) => s.type === type) ?? [];
}

function anonymousRef(
  config: UciConfig | undefined,
  type: string,
  match: (s: UciSection) => boolean,
): string | undefined {
  const list = sections(config, type);
  const index = list.findIndex(match);
  if (index === -1) return undefined;
  const section = list[index] as UciSection;
  return section.name ?? `@${type}[${index}]`;
}

/** The section `ref` names in the current configs; undefined for one this plan adds. */
function resolve(configs: UciConfigs, config: string, ref: string): UciSection | undefined {
  const m = /^@([^[\]]+)\[(\d+)\]$/.exec(ref);
  if (m) return sections(configs[config], m[1] ?? '')[Number(m[2])];
  if (ref.startsWith('@')) return undefined;
  return configs[config]?.sections.find((s) => s.name === ref);
}

/** Writes one section's options, replacing lists whole; `ref` names or addresses the section. */
function setOptions(
  changes: UciChange[],
  configs: UciConfigs,
  config: string,
  ref: string,
  options: Record<string, string | string[] | undefined>,
): void {
  const current = resolve(configs, config, ref);
  for (const [option, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const existing = current ? findOption(current, option) : undefined;
    if (Array.isArray(value)) {
      const same = Array.isArray(existing?.value) && existing.value.join('\n') === value.join('\n');
      if (same) continue;
      if (existing) changes.push({ kind: 'delete', config, section: ref, option });
      for (const item of value)
        changes.push({ kind: 'add_list', config, section: ref, option, value: item });
    } else if (existing?.value !== value) {
      changes.push({ kind: 'set', config, section: ref, option, value });
    }
  }
}

/** A named section: created if missing (or retyped), then its options written. */
function ensureNamed(
  changes: UciChange[],
  configs: UciConfigs,
  config: string,
  name: string,
  type: string,
  options: Record<string, string | string[] | undefined>,
): void {
  const existing = configs[config]?.sections.find((s) => s.name === name);
  if (!existing || existing.type !== type)
    changes.push({ kind: 'set', config, section: name, value: type });
  setOptions(changes, configs, config, name, options);
}

/** An anonymous section found by `match`, or added; `@type[-1]` addresses the one just added. */
function ensureAnonymous(
  changes: UciChange[],
  configs: UciConfigs,
  config: string,
  type: string,
  match: (s: UciSection) => boolean,
  options: Record<string, string | string[] | undefined>,
): void {
  let ref = anonymousRef(configs[config], type, match);
  if (!ref) {
    changes.push({ kind: 'add', config, type });
    ref = `@${type}[-1]`;
  }
  setOptions(changes, configs, config, ref, options);
}

function hostAddress(cidr: string): string {
  return cidr.split('/')[0] ?? cidr;
}

function htmode(existing: string | undefined, spec: WifiSpec): string {
  const family = existing?.match(/^(EHT|HE|VHT|HT)/)?.[1] ?? (spec.band === '2g' ? 'HE' : 'HE');
  const width = family === 'HT' ? Math.min(spec.widthMhz, 40) : spec.widthMhz;
  return `${family}${width}`;
}

function radioFor(wireless: UciConfig | undefined, band: WifiSpec['band']): UciSection | undefined {
  return sections(wireless, 'wifi-device').find((radio) => {
    const b = optionValue(radio, 'band');
    if (b) return b === band;
    const hwmode = optionValue(radio, 'hwmode');
    return band === '5g' ? hwmode === '11a' : hwmode === '11g' || hwmode === '11b';
  });
}

function planWifi(
  changes: UciChange[],
  configs: UciConfigs,
  spec: WifiSpec,
  network: 'lan' | 'lan2',
  sectionName: string,
): PlanError | undefined {
  const wireless = configs['wireless'];
  const radio = radioFor(wireless, spec.band);
  if (!radio?.name) {
    const band = spec.band === '5g' ? '5 GHz' : '2.4 GHz';
    return {
      kind: 'error',
      message: `No ${band} radio found in /etc/config/wireless.`,
      fix: 'Pick a band this router has.',
      zh: {
        message: `在 /etc/config/wireless 中没有找到 ${band} 的无线电。`,
        fix: '请选择这台路由器有的频段。',
      },
    };
  }
  setOptions(changes, configs, 'wireless', radio.name, {
    htmode: htmode(optionValue(radio, 'htmode'), spec),
    disabled: '0',
  });
  // Reuse the SSID already bound to this network on this radio (the factory one for `lan`).
  const existing = sections(wireless, 'wifi-iface').find(
    (iface) =>
      optionValue(iface, 'device') === radio.name && listValue(iface, 'network').includes(network),
  );
  const ref =
    existing?.name ?? anonymousRef(wireless, 'wifi-iface', (s) => s === existing) ?? sectionName;
  if (!existing)
    changes.push({ kind: 'set', config: 'wireless', section: sectionName, value: 'wifi-iface' });
  setOptions(changes, configs, 'wireless', ref, {
    device: radio.name,
    mode: 'ap',
    network,
    ssid: spec.ssid,
    encryption: spec.encryption,
    key: spec.password,
    disabled: '0',
  });
  return undefined;
}

function dottedMask(prefix: number): string {
  const bits = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [24, 16, 8, 0].map((shift) => (bits >>> shift) & 255).join('.');
}

/** Moves `network.lan` to the address; false when it is already there. */
function planLanAddress(changes: UciChange[], configs: UciConfigs, cidr: string): boolean {
  const lan = configs['network']?.sections.find((s) => s.name === 'lan');
  const [address = '', prefixText = '32'] = cidr.split('/');
  const prefix = Number(prefixText);
  const current = lan ? findOption(lan, 'ipaddr') : undefined;
  if (Array.isArray(current?.value)) {
    // The CIDR list form (`list ipaddr '192.168.1.1/24'`) that newer configs use.
    if (current.value.length === 1 && current.value[0] === cidr) return false;
    setOptions(changes, configs, 'network', 'lan', { ipaddr: [cidr] });
    return true;
  }
  const mask = dottedMask(prefix);
  const currentMask = lan ? optionValue(lan, 'netmask') : undefined;
  if (current?.value === address && currentMask === mask) return false;
  if (!lan) changes.push({ kind: 'set', config: 'network', section: 'lan', value: 'interface' });
  setOptions(changes, configs, 'network', 'lan', { ipaddr: address, netmask: mask });
  return true;
}

/** Drops a `set` that repeats the value an earlier `set` gave the same option. */
function withoutRepeats(changes: UciChange[]): UciChange[] {
  const last = new Map<string, string>();
  return changes.filter((change) => {
    const key = `${change.config}.${change.section ?? ''}.${'option' in change ? (change.option ?? '') : ''}`;
    if (change.kind === 'set' && 'option' in change && change.option !== undefined) {
      if (last.get(key) === change.value) return false;
      last.set(key, change.value);
      return true;
    }
    for (const k of [...last.keys()])
      if (k.startsWith(`${change.config}.${change.section ?? ''}.`)) last.delete(k);
    return true;
  });
}

function previewsFor(before: UciConfigs, after: UciConfigs, touched: string[]): FilePreview[] {
  const diffs = diffConfigs(before, after);
  return touched.map((config) => ({
    config,
    diff: diffs.find((d) => d.config === config),
    unified: renderUnifiedDiff(
      before[config] ? serializeUci(before[config]) : '',
      after[config] ? serializeUci(after[config]) : '',
      { fromFile: `a/etc/config/${config}`, toFile: `b/etc/config/${config}` },
    ),
  }));
}

export function finishEnd(
  before: UciConfigs,
  changes: UciChange[],
  reloads: string[],
  packagesToInstall: string[],
  installCommand: string | undefined,
  known = true,
): EndPlan | PlanError {
  changes = withoutRepeats(changes);
  const batch = toUciBatch(changes, { commit: true });
  if (batch.kind === 'error') {
    return {
      kind: 'error',
      message: `A value cannot be written with uci: ${batch.message}`,
      fix: 'Remove control characters from names, SSIDs and passwords.',
      zh: {
        message: `有一个值无法用 uci 写入：${batch.message}`,
        fix: '请去掉名称、SSID 和密码中的控制字符。',
      },
    };
  }
  const base = {
    changes,
    batch: batch.text,
    reloads,
    packagesToInstall,
    ...(installCommand ? { installCommand } : {}),
  };
  // An end whose configs could not be read (home without SSH) has no preview, only its text.
  if (!known) return { ...base, previews: [], after: {} };
  const applied = applyChanges(before, changes);
  if (applied.kind === 'error') {
    return {
      kind: 'error',
      message: `The plan does not apply to this router's config: ${applied.message}`,
      fix: 'Report this as a Homeward bug with the router config attached.',
      zh: {
        message: `这个计划无法套用到该路由器的配置上：${applied.message}`,
        fix: '请把它作为 Homeward 的缺陷报告，并附上路由器的配置。',
      },
    };
  }
  const touched = [...new Set(changes.map((c) => c.config))];
  return {
    ...base,
    previews: previewsFor(before, applied.configs, touched),
    after: applied.configs,
  };
}

/**
 * Home's `dhcp.lan` offering MTU `mtu` (option 26), replacing an older MTU option. `known`: the
 * configs were read, so a missing `lan` section is created rather than assumed.
 */
export function dhcpMtuChanges(configs: UciConfigs, mtu: number, known: boolean): UciChange[] {
  const changes: UciChange[] = [];
  const lanDhcp = configs['dhcp']?.sections.find((s) => s.name === 'lan');
  const current = lanDhcp ? listValue(lanDhcp, 'dhcp_option') : [];
  const wanted = `26,${mtu}`;
  if (!current.includes(wanted)) {
    if (known && !lanDhcp)
      changes.push({ kind: 'set', config: 'dhcp', section: 'lan', value: 'dhcp' });
    for (const old of current.filter((o) => /^(26|option:mtu),/.test(o))) {
      changes.push({
        kind: 'del_list',
        config: 'dhcp',
        section: 'lan',
        option: 'dhcp_option',
        value: old,
      });
    }
    changes.push({
      kind: 'add_list',
      config: 'dhcp',
      section: 'lan',
      option: 'dhcp_option',
      value: wanted,
    });
  }
  return changes;
}

export function installCommand(
  packageManager: 'opkg' | 'apk',
  packages: string[],
): string | undefined {
  if (packages.length === 0) return undefined;
  return packageManager === 'apk'
    ? `apk update && apk add ${packages.join(' ')}`
    : `opkg update && opkg install ${packages.join(' ')}`;
}

/** Both ends' UCI changes for the intent, matching the sections the seed's setup uses. */
export function planSetup(intent: SetupIntent, router: RouterFacts, home?: HomeFacts): PlanResult {
  const errors = validateIntent(intent);
  if (errors.length > 0) return { kind: 'invalid', errors };
  const mtu = mtuLadder(intent.underlayMtu, intent.l2MtuStrategy);
  const homeIp = hostAddress(intent.home.tunnelAddress);
  const travelIp = hostAddress(intent.travel.tunnelAddress);
  const notes: string[] = [...mtu.arithmetic];
  const notesZh: string[] = mtuArithmeticZh(mtu, intent.l2MtuStrategy);
  const note = (en: string, zh: string) => {
    notes.push(en);
    notesZh.push(zh);
  };

  // --- travel router ---
  const r: UciChange[] = [];
  const rc = router.configs;
  ensureNamed(r, rc, 'network', 'wg0', 'interface', {
    proto: 'wireguard',
    private_key: intent.travel.privateKey,
    addresses: [intent.travel.tunnelAddress],
    mtu: String(mtu.wireguard),
  });
  const allowed = [
    `${homeIp}/32`,
    ...(intent.routeHomeLan && intent.home.lanCidr ? [intent.home.lanCidr] : []),
  ];
  ensureAnonymous(
    r,
    rc,
    'network',
    'wireguard_wg0',
    (s) => optionValue(s, 'public_key') === intent.home.publicKey,
    {
      description: intent.home.name,
      public_key: intent.home.publicKey,
      preshared_key: intent.presharedKey || undefined,
      allowed_ips: allowed,
      route_allowed_ips: '1',
      endpoint_host: intent.home.endpointHost,
      endpoint_port: String(intent.home.endpointPort),
      persistent_keepalive: String(intent.keepaliveS),
    },
  );
  ensureNamed(r, rc, 'network', 'vxlan0', 'interface', {
    proto: 'vxlan',
    peeraddr: homeIp,
    port: String(intent.vxlan.port),
    vid: String(intent.vxlan.vid),
    tunlink: 'wg0',
    mtu: String(mtu.vxlan),
    force_link: '1',
  });
  ensureAnonymous(r, rc, 'network', 'device', (s) => optionValue(s, 'name') === 'br-lan2', {
    type: 'bridge',
    name: 'br-lan2',
    ports: ['vxlan0'],
    mtu: String(mtu.l2Segment),
    bridge_empty: '1',
  });
  ensureNamed(r, rc, 'network', 'lan2', 'interface', {
    proto: 'dhcp',
    device: 'br-lan2',
    defaultroute: '0',
  });
  for (const [spec, network, name] of [
    [intent.wifi.l3, 'lan', 'homeward_l3'],
    [intent.wifi.l2, 'lan2', 'homeward_l2'],
  ] as const) {
    const problem = planWifi(r, rc, spec, network, name);
    if (problem) return problem;
  }
  const firewall = rc['firewall'];
  ensureAnonymous(
    r,
    rc,
    'firewall',
    'zone',
    (s) => optionValue(s, 'name') === 'wg' || listValue(s, 'network').includes('wg0'),
    {
      name: 'wg',
      network: ['wg0'],
      input: 'ACCEPT',
      output: 'ACCEPT',
      forward: 'REJECT',
      masq: intent.l3Nat ? '1' : '0',
      mtu_fix: '1',
    },
  );
  const hasForwarding = sections(firewall, 'forwarding').some(
    (s) => optionValue(s, 'src') === 'lan' && optionValue(s, 'dest') === 'wg',
  );
  if (!hasForwarding) {
    r.push({ kind: 'add', config: 'firewall', type: 'forwarding' });
    setOptions(r, rc, 'firewall', '@forwarding[-1]', { src: 'lan', dest: 'wg' });
  }
  const routerReloads = [
    '/etc/init.d/network reload',
    'wifi reload',
    '/etc/init.d/firewall reload',
  ];
  let routerLanAddressAfter: string | undefined;
  if (intent.travel.lanAddress) {
    const moved = planLanAddress(r, rc, intent.travel.lanAddress);
    if (moved) {
      routerLanAddressAfter = hostAddress(intent.travel.lanAddress);
      routerReloads.push('/etc/init.d/dnsmasq reload');
      note(
        `The router's LAN moves to ${intent.travel.lanAddress}: devices on it get new addresses when they renew their DHCP lease (reconnect Wi-Fi or replug the cable).`,
        `路由器的局域网将改为 ${intent.travel.lanAddress}：其上的设备续租 DHCP 时会获得新地址（重新连接 Wi-Fi 或重新插拔网线）。`,
      );
    }
  }
  const installed = new Set(router.installedPackages);
  const missing = routerPackages.filter((p) => !installed.has(p));
  const routerEnd = finishEnd(
    rc,
    r,
    routerReloads,
    missing,
    installCommand(router.packageManager, missing),
  );
  if ('kind' in routerEnd) return routerEnd;

  // --- home router ---
  const h: UciChange[] = [];
  const hc = home?.configs ?? {};
  const homeAllowed = [
    `${travelIp}/32`,
    ...(!intent.l3Nat && intent.travel.lanCidr ? [intent.travel.lanCidr] : []),
  ];
  ensureAnonymous(
    h,
    hc,
    'network',
    'wireguard_wg0',
    (s) => optionValue(s, 'public_key') === intent.travel.publicKey,
    {
      description: intent.travel.name,
      public_key: intent.travel.publicKey,
      preshared_key: intent.presharedKey || undefined,
      allowed_ips: homeAllowed,
      route_allowed_ips: '1',
    },
  );
  const homeNetwork = hc['network'];
  const homeVxlan = homeNetwork?.sections.find((s) => s.name === 'vxlan0');
  if (home && !homeVxlan) {
    ensureNamed(h, hc, 'network', 'vxlan0', 'interface', {
      proto: 'vxlan',
      port: String(intent.vxlan.port),
      vid: String(intent.vxlan.vid),
      tunlink: 'wg0',
      mtu: String(mtu.vxlan),
    });
    const lanBridge = anonymousRef(
      homeNetwork,
      'device',
      (s) => optionValue(s, 'name') === 'br-lan',
    );
    if (lanBridge)
      h.push({
        kind: 'add_list',
        config: 'network',
        section: lanBridge,
        option: 'ports',
        value: 'vxlan0',
      });
    else
      note(
        'Home has no br-lan bridge device: add vxlan0 to the home LAN bridge by hand.',
        '家里的路由器没有 br-lan 网桥设备：请手动把 vxlan0 加入家里的局域网网桥。',
      );
  } else if (homeVxlan && optionValue(homeVxlan, 'mtu') !== String(mtu.vxlan)) {
    setOptions(h, hc, 'network', 'vxlan0', { mtu: String(mtu.vxlan) });
  }
  const hasVxlanPeer = sections(homeNetwork, 'vxlan_peer').some(
    (s) => optionValue(s, 'dst') === travelIp,
  );
  if (!hasVxlanPeer) {
    h.push({ kind: 'add', config: 'network', type: 'vxlan_peer' });
    setOptions(h, hc, 'network', '@vxlan_peer[-1]', { vxlan: 'vxlan0', dst: travelIp });
  }
  const homeReloads = ['/etc/init.d/network reload'];
  if (intent.l2MtuStrategy === 'dhcp-option-26') {
    h.push(...dhcpMtuChanges(hc, mtu.l2Segment, home !== undefined));
    homeReloads.push('/etc/init.d/dnsmasq reload');
    note(
      `Home's DHCP gives MTU ${mtu.l2Segment} (option 26) to its LAN, so devices on the bridged SSID never send frames the bridge drops. Home LAN devices get the same MTU: a small cost for them, none for VR.`,
      `家里的 DHCP 向局域网提供 MTU ${mtu.l2Segment}（选项 26），桥接 SSID 上的设备就不会发出被网桥丢弃的帧。家里局域网的设备也会得到同样的 MTU：对它们影响很小，对 VR 没有影响。`,
    );
  } else {
    note(
      'VXLAN runs at 1500 over the tunnel: every device works without DHCP changes, but full-size frames are fragmented inside WireGuard (more packets, less throughput at VR rates).',
      'VXLAN 在隧道上以 1500 运行：所有设备无需改动 DHCP 即可使用，但满长帧会在 WireGuard 内分片（包更多，VR 码率下吞吐更低）。',
    );
  }
  // Without home facts, the home part is text to paste (see homePasteText).
  const homeEnd = finishEnd(hc, h, homeReloads, [], undefined, home !== undefined);
  if ('kind' in homeEnd) return homeEnd;
  return {
    kind: 'ok',
    plan: {
      mtu,
      router: routerEnd,
      home: homeEnd,
      ...(routerLanAddressAfter ? { routerLanAddressAfter } : {}),
      notes,
      notesLocalized: { 'zh-CN': notesZh },
    },
  };
}
