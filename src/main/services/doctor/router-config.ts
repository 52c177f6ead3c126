import type { UciConfig, UciSection } from '../../core/uci/model';
import { findOption } from '../../core/uci/model';
import { parseUci } from '../../core/uci/parse';

// What the doctor reads from the router's UCI config: which interfaces make up the tunnel and
// the bridged segment, and their configured MTUs. Names follow the config, not the seed.

export interface RouterLayout {
  wgInterface?: string;
  wgMtu?: number;
  /** Home's tunnel address: the vxlan peer, else the peer's first /32 allowed IP. */
  homeTunnelAddress?: string;
  vxlanInterface?: string;
  vxlanMtu?: number;
  /** The bridge the VXLAN port sits in (the L2 segment), e.g. br-lan2. */
  l2Bridge?: string;
  l2BridgeMtu?: number;
  /** The DHCP client interface on that bridge, e.g. lan2. */
  l2Interface?: string;
  lanInterface?: string;
}

function value(section: UciSection, name: string): string | undefined {
  const option = findOption(section, name);
  return typeof option?.value === 'string' ? option.value : undefined;
}

function values(section: UciSection, name: string): string[] {
  const option = findOption(section, name);
  if (!option) return [];
  return Array.isArray(option.value) ? option.value : option.value.split(/\s+/).filter(Boolean);
}

function mtu(section: UciSection | undefined): number | undefined {
  const raw = section ? value(section, 'mtu') : undefined;
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

export function parseExport(text: string | undefined): UciConfig | undefined {
  if (!text?.trim()) return undefined;
  const parsed = parseUci(text);
  return parsed.kind === 'ok' ? parsed.config : undefined;
}

export function routerLayout(network: UciConfig | undefined): RouterLayout {
  if (!network) return {};
  const interfaces = network.sections.filter((s) => s.type === 'interface');
  const devices = network.sections.filter((s) => s.type === 'device');
  const wg = interfaces.find((s) => value(s, 'proto') === 'wireguard');
  const vxlan = interfaces.find((s) => value(s, 'proto') === 'vxlan');
  const layout: RouterLayout = {};
  if (wg?.name) {
    layout.wgInterface = wg.name;
    const m = mtu(wg);
    if (m !== undefined) layout.wgMtu = m;
    const peer = network.sections.find((s) => s.type === `wireguard_${wg.name ?? ''}`);
    const host = peer ? values(peer, 'allowed_ips').find((a) => a.endsWith('/32')) : undefined;
    if (host) layout.homeTunnelAddress = host.replace('/32', '');
  }
  if (vxlan?.name) {
    layout.vxlanInterface = vxlan.name;
    const m = mtu(vxlan);
    if (m !== undefined) layout.vxlanMtu = m;
    const peer = value(vxlan, 'peeraddr');
    if (peer) layout.homeTunnelAddress = peer;
    const bridge = devices.find((d) => values(d, 'ports').includes(vxlan.name ?? ''));
    const bridgeName = bridge ? value(bridge, 'name') : undefined;
    if (bridgeName) {
      layout.l2Bridge = bridgeName;
      const bm = mtu(bridge);
      if (bm !== undefined) layout.l2BridgeMtu = bm;
      const client = interfaces.find((s) => value(s, 'device') === bridgeName);
      if (client?.name) layout.l2Interface = client.name;
    }
  }
  if (interfaces.some((s) => s.name === 'lan')) layout.lanInterface = 'lan';
  return layout;
}
