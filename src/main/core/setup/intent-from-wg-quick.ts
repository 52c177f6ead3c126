import type { SetupIntent, WifiSpec } from '../../../shared/setup';
import { wireguardOverhead } from './mtu';
import { parseCidr } from './validate';
import type { WgQuickConfig } from './wg-quick';

export interface WgQuickIntentExtras {
  /** The travel router's public key (derived from the file's PrivateKey by the caller). */
  travelPublicKey: string;
  wifi: { l3: WifiSpec; l2: WifiSpec };
  travelName?: string;
  homeName?: string;
}

export type WgQuickIntentResult =
  | { kind: 'ok'; intent: SetupIntent; assumptions: string[] }
  | { kind: 'error'; message: string; fix: string };

/**
 * A setup intent from the travel router's wg-quick file (as a home router or VPN panel exports
 * it): keys, tunnel address, endpoint, keepalive and MTU from the file, the rest the seed's
 * defaults. What had to be assumed is listed so the person can check it.
 */
export function intentFromWgQuick(
  config: WgQuickConfig,
  extras: WgQuickIntentExtras,
): WgQuickIntentResult {
  const peer = config.peers[0];
  const address = config.addresses[0];
  if (!peer || !address)
    return { kind: 'error', message: 'The file has no peer or address.', fix: 'Export it again.' };
  if (!peer.endpoint)
    return {
      kind: 'error',
      message: 'The [Peer] has no Endpoint, so Homeward cannot tell where home is.',
      fix: 'Add Endpoint = home.example.net:51820 to the [Peer].',
    };
  const assumptions: string[] = [];
  const travel = parseCidr(address);
  const homeHost = peer.allowedIps.find((a) => a.endsWith('/32'));
  let homeTunnel: string;
  if (homeHost) {
    homeTunnel = `${homeHost.split('/')[0] ?? ''}/24`;
    assumptions.push(`home's tunnel network is ${homeTunnel} (from AllowedIPs ${homeHost})`);
  } else {
    const octets = travel?.address ?? [10, 0, 0, 2];
    homeTunnel = `${octets.slice(0, 3).join('.')}.1/24`;
    assumptions.push(`home's tunnel address is ${homeTunnel} (no /32 in AllowedIPs)`);
  }
  const homeLan = peer.allowedIps.find((a) => a !== homeHost && !a.startsWith('0.0.0.0'));
  const underlayMtu = config.mtu !== undefined ? config.mtu + wireguardOverhead : 1500;
  if (config.mtu === undefined) assumptions.push('the underlay MTU is 1500 (the file has no MTU)');
  const intent: SetupIntent = {
    home: {
      endpointHost: peer.endpoint.host,
      endpointPort: peer.endpoint.port,
      tunnelAddress: homeTunnel,
      publicKey: peer.publicKey,
      name: extras.homeName ?? 'home',
      ...(homeLan ? { lanCidr: homeLan } : {}),
    },
    travel: {
      tunnelAddress: address.includes('/') ? address : `${address}/32`,
      privateKey: config.privateKey,
      publicKey: extras.travelPublicKey,
      name: extras.travelName ?? 'travel-router',
    },
    ...(peer.presharedKey ? { presharedKey: peer.presharedKey } : {}),
    keepaliveS: peer.persistentKeepalive ?? 25,
    vxlan: { vid: 8, port: 4789 },
    underlayMtu,
    wifi: extras.wifi,
    l3Nat: true,
    routeHomeLan: homeLan !== undefined,
    l2MtuStrategy: 'dhcp-option-26',
  };
  return { kind: 'ok', intent, assumptions };
}
