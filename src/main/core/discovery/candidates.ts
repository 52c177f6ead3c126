import type { CandidateReason, DiscoveryCandidate } from '../../../shared/discovery';
import type { LocalNetwork } from '../../../shared/model';
import type { RawLocalNetwork } from '../local-network';
import { summarizeLocalNetwork } from '../local-network';
import type { MdnsFinding } from './mdns';

// Factory LAN addresses of the firmware a travel router is likely to run. Each is tried only when
// it falls inside a subnet the computer is on: discovery never sends a packet off the local link.
export const wellKnownRouterAddresses: readonly { address: string; vendor: string }[] = [
  { address: '192.168.8.1', vendor: 'GL.iNet' },
  { address: '192.168.1.1', vendor: 'OpenWrt' },
  { address: '192.168.0.1', vendor: 'common' },
  { address: '10.0.0.1', vendor: 'common' },
  { address: '192.168.31.1', vendor: 'Xiaomi' },
  { address: '192.168.2.1', vendor: 'common' },
];

/** Subnets wider than this are treated as misreported masks, not as a LAN to look in. */
export const widestPrefix = 8;
/** More than a handful of interfaces (containers, VMs) must not turn into a sweep. */
export const maxCandidates = 24;

export interface LocalSubnet {
  interface: string;
  address: number;
  prefix: number;
  network: number;
  broadcast: number;
}

export function parseIpv4(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const parts = text.trim().split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

function isLoopback(address: number): boolean {
  return Math.floor(address / 2 ** 24) === 127;
}

function isLinkLocal(address: number): boolean {
  return Math.floor(address / 2 ** 16) === 169 * 256 + 254;
}

function isMulticastOrReserved(address: number): boolean {
  return Math.floor(address / 2 ** 24) >= 224 || Math.floor(address / 2 ** 24) === 0;
}

function toLocalNetwork(network: RawLocalNetwork | LocalNetwork): LocalNetwork {
  // RawLocalNetwork always carries a `wifi` array; LocalNetwork at most one summary object.
  return Array.isArray(network.wifi)
    ? summarizeLocalNetwork(network as RawLocalNetwork)
    : (network as LocalNetwork);
}

/**
 * The IPv4 subnets discovery may look in: up, not loopback or link-local, prefix from /8 to /32.
 * A down interface is skipped: with no on-link route, its "local" addresses would be routed out
 * through the default gateway.
 */
export function localSubnets(network: RawLocalNetwork | LocalNetwork): LocalSubnet[] {
  const subnets: LocalSubnet[] = [];
  for (const iface of toLocalNetwork(network).interfaces) {
    if (!iface.up) continue;
    const address = parseIpv4(iface.ipv4);
    const prefix = iface.ipv4Cidr;
    if (address === undefined || prefix === undefined) continue;
    if (!Number.isInteger(prefix) || prefix < widestPrefix || prefix > 32) continue;
    if (isLoopback(address) || isLinkLocal(address) || isMulticastOrReserved(address)) continue;
    // Plain arithmetic: JavaScript's bitwise operators are signed 32-bit.
    const size = 2 ** (32 - prefix);
    const network = address - (address % size);
    subnets.push({
      interface: iface.name,
      address,
      prefix,
      network,
      broadcast: network + size - 1,
    });
  }
  return subnets;
}

/** A host address of the subnet other than our own (network and broadcast excluded below /31). */
function isProbeable(subnet: LocalSubnet, address: number): boolean {
  if (address < subnet.network || address > subnet.broadcast) return false;
  if (address === subnet.address) return false;
  if (subnet.prefix <= 30 && (address === subnet.network || address === subnet.broadcast)) {
    return false;
  }
  return !isLoopback(address) && !isLinkLocal(address) && !isMulticastOrReserved(address);
}

/**
 * Addresses worth a probe, each with why: the default gateway, hosts that announced SSH or HTTP
 * over mDNS, the usual factory addresses and the first host of each local subnet, but only those
 * inside a local subnet. Never a range sweep.
 */
export function discoveryCandidates(
  network: RawLocalNetwork | LocalNetwork,
  mdns: readonly MdnsFinding[] = [],
): DiscoveryCandidate[] {
  const local = toLocalNetwork(network);
  const subnets = localSubnets(local);
  const byAddress = new Map<number, DiscoveryCandidate>();

  const add = (address: number | undefined, reason: CandidateReason): void => {
    if (address === undefined) return;
    const subnet = subnets.find((s) => isProbeable(s, address));
    if (!subnet) return;
    const existing = byAddress.get(address);
    if (existing) {
      if (!existing.reasons.some((r) => r.kind === reason.kind)) existing.reasons.push(reason);
      return;
    }
    if (byAddress.size >= maxCandidates) return;
    byAddress.set(address, {
      address: formatIpv4(address),
      interface: subnet.interface,
      reasons: [reason],
    });
  };

  add(parseIpv4(local.defaultGateway), { kind: 'default-gateway' });
  for (const finding of mdns) {
    const name = finding.instances[0] ?? finding.hosts[0];
    const reason: CandidateReason = {
      kind: 'mdns',
      services: [...finding.services],
      ...(name ? { name } : {}),
    };
    // The announced address, else the sender: both must still lie in a local subnet.
    const addresses = finding.addresses.length > 0 ? finding.addresses : [finding.from];
    for (const address of addresses) add(parseIpv4(address), reason);
  }
  for (const known of wellKnownRouterAddresses) {
    add(parseIpv4(known.address), { kind: 'well-known', vendor: known.vendor });
  }
  for (const subnet of subnets) {
    if (subnet.prefix <= 30) add(subnet.network + 1, { kind: 'subnet-first-host' });
  }
  return [...byAddress.values()];
}
