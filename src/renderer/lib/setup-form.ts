import { headerBytes, vxlanOverhead, wireguardOverhead } from '../../shared/packet-math';
import type { L2MtuStrategy, SetupIntent, WifiSpec } from '../../shared/setup';

// The wizard's form as plain data, and the pure rules around it: which step edits a field, the
// intent the form asks for, the MTU ladder drawn while typing (main/core's planner stays the
// authority; the review step shows its arithmetic).

export const setupSteps = [
  'find',
  'sign-in',
  'home',
  'bridge',
  'wifi',
  'review',
  'apply',
  'verify',
] as const;
export type SetupStepId = (typeof setupSteps)[number];

export interface WifiForm {
  ssid: string;
  password: string;
  band: WifiSpec['band'];
  widthMhz: WifiSpec['widthMhz'];
  encryption: WifiSpec['encryption'];
}

export interface SetupForm {
  endpointHost: string;
  endpointPort: number;
  homeTunnel: string;
  homePublicKey: string;
  homeName: string;
  homeLan: string;
  routeHomeLan: boolean;
  travelTunnel: string;
  travelPrivateKey: string;
  travelPublicKey: string;
  travelName: string;
  travelLan: string;
  presharedKey: string;
  keepaliveS: number;
  vid: number;
  vxlanPort: number;
  underlayMtu: number;
  strategy: L2MtuStrategy;
  l3: WifiForm;
  l2: WifiForm;
  l3Nat: boolean;
}

export function defaultSetupForm(): SetupForm {
  return {
    endpointHost: '',
    endpointPort: 51820,
    homeTunnel: '10.0.31.1/24',
    homePublicKey: '',
    homeName: 'home',
    homeLan: '',
    routeHomeLan: false,
    travelTunnel: '10.0.31.103/32',
    travelPrivateKey: '',
    travelPublicKey: '',
    travelName: 'travel',
    travelLan: '',
    presharedKey: '',
    keepaliveS: 25,
    vid: 8,
    vxlanPort: 4789,
    underlayMtu: 1500,
    strategy: 'dhcp-option-26',
    l3: { ssid: '', password: '', band: '5g', widthMhz: 80, encryption: 'sae-mixed' },
    l2: { ssid: '', password: '', band: '5g', widthMhz: 80, encryption: 'sae-mixed' },
    l3Nat: true,
  };
}

/** An emptied number input binds to null; the core then names the field. */
const num = (value: number | null): number => (value === null ? Number.NaN : Number(value));
const optional = (text: string): string | undefined => text.trim() || undefined;

export function intentOf(form: SetupForm): SetupIntent {
  const homeLan = optional(form.homeLan);
  const travelLan = optional(form.travelLan);
  const presharedKey = optional(form.presharedKey);
  const wifi = (w: WifiForm): WifiSpec => ({
    ...w,
    widthMhz: num(w.widthMhz) as WifiSpec['widthMhz'],
  });
  return {
    home: {
      endpointHost: form.endpointHost.trim(),
      endpointPort: num(form.endpointPort),
      tunnelAddress: form.homeTunnel.trim(),
      publicKey: form.homePublicKey.trim(),
      name: form.homeName,
      ...(homeLan ? { lanCidr: homeLan } : {}),
    },
    travel: {
      tunnelAddress: form.travelTunnel.trim(),
      privateKey: form.travelPrivateKey.trim(),
      publicKey: form.travelPublicKey.trim(),
      name: form.travelName,
      ...(travelLan ? { lanCidr: travelLan } : {}),
    },
    ...(presharedKey ? { presharedKey } : {}),
    keepaliveS: num(form.keepaliveS),
    vxlan: { vid: num(form.vid), port: num(form.vxlanPort) },
    underlayMtu: num(form.underlayMtu),
    wifi: { l3: wifi(form.l3), l2: wifi(form.l2) },
    l3Nat: form.l3Nat,
    routeHomeLan: form.routeHomeLan,
    l2MtuStrategy: form.strategy,
  };
}

/** The step whose inputs edit an intent field (dotted path as the core names it). */
export function stepOfField(field: string): SetupStepId {
  if (field.startsWith('wifi') || field === 'l3Nat' || field === 'travel.lanCidr') return 'wifi';
  if (field.startsWith('vxlan') || field === 'underlayMtu' || field === 'l2MtuStrategy')
    return 'bridge';
  return 'home';
}

export interface MtuLadderView {
  underlay: number;
  wireguard: number;
  vxlanFits: number;
  /** What the bridge and its clients run at under the chosen strategy. */
  l2: number;
  fragments: boolean;
}

/** The same sums as the core's planner: WireGuard sized for an IPv6 underlay, then VXLAN. */
export function mtuLadderView(underlay: number, strategy: L2MtuStrategy): MtuLadderView {
  const wireguard = underlay - wireguardOverhead('ipv6');
  const vxlanFits = wireguard - vxlanOverhead;
  const l2 = strategy === 'vxlan-1500-fragment' ? 1500 : vxlanFits;
  return { underlay, wireguard, vxlanFits, l2, fragments: l2 > vxlanFits };
}

export const overheadParts = {
  wireguard: `${headerBytes.ipv6} + ${headerBytes.udp} + ${headerBytes.wireguard}`,
  vxlan: `${headerBytes.ipv4} + ${headerBytes.udp} + ${headerBytes.vxlan} + ${headerBytes.ethernet}`,
};
