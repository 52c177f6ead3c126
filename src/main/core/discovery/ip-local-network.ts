import type { RawInterface, RawLocalNetwork } from '../local-network';
import { isRecord, list, parseJsonText, string } from '../parsers/json-fields';
import { parseIpJson } from '../parsers/parse-ip-json';

function netmask(prefix: number): string {
  const mask = prefix <= 0 ? 0 : 2 ** 32 - 2 ** (32 - Math.min(prefix, 32));
  return [24, 16, 8, 0].map((shift) => Math.floor(mask / 2 ** shift) % 256).join('.');
}

/** The default route's gateway and device in `ip -j route show` output, if there is one. */
export function parseDefaultRoute(text: string): { gateway?: string; dev?: string } {
  const parsed = parseJsonText(text.trim() === '' ? '[]' : text);
  if (parsed.kind === 'error') return {};
  for (const item of list(parsed.value)) {
    if (!isRecord(item) || string(item.dst) !== 'default') continue;
    const gateway = string(item.gateway);
    const dev = string(item.dev);
    return { ...(gateway ? { gateway } : {}), ...(dev ? { dev } : {}) };
  }
  return {};
}

/**
 * The local network as systeminformation would describe it, from `ip -j addr show` and
 * `ip -j route show` (Linux, iproute2 with JSON). Lets a namespace describe itself.
 */
export function localNetworkFromIp(
  addrJson: string,
  routeJson: string,
): { kind: 'ok'; network: RawLocalNetwork } | { kind: 'error'; message: string } {
  const links = parseIpJson(addrJson);
  if (links.kind === 'error') return links;
  const route = parseDefaultRoute(routeJson);
  const interfaces = links.links.map((link): RawInterface => {
    const inet = link.addresses.find((a) => a.family === 'inet');
    const inet6 = link.addresses.find((a) => a.family === 'inet6');
    return {
      iface: link.ifname,
      ...(inet ? { ip4: inet.local, ip4subnet: netmask(inet.prefixlen) } : {}),
      ...(inet6 ? { ip6: inet6.local } : {}),
      ...(link.address ? { mac: link.address } : {}),
      ...(link.mtu !== undefined ? { mtu: link.mtu } : {}),
      ...(link.operstate ? { operstate: link.operstate.toLowerCase() } : {}),
      internal: link.flags.includes('LOOPBACK'),
      default: link.ifname === route.dev,
    };
  });
  return {
    kind: 'ok',
    network: {
      ...(route.gateway ? { gateway: route.gateway } : {}),
      ...(route.dev ? { defaultInterface: route.dev } : {}),
      interfaces,
      wifi: [],
    },
  };
}
