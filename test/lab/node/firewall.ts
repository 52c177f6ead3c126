import { ConfigError, bool, list, loadSections, opt } from './config';
import type { UciSection } from './config';
import { deviceOfInterface } from './netifd';
import { run } from './sh';

const POLICIES: Record<string, string> = { ACCEPT: 'ACCEPT', REJECT: 'REJECT', DROP: 'DROP' };

function policy(s: UciSection, key: string, fallback: string): string {
  const v = (opt(s, key) ?? fallback).toUpperCase();
  const p = POLICIES[v];
  if (p === undefined)
    throw new ConfigError(`${s.name}.${key}: '${v}' is not ACCEPT, REJECT or DROP`);
  return p;
}

function target(p: string): string {
  return p === 'REJECT' ? 'lab_reject' : p;
}

interface Zone {
  name: string;
  devices: string[];
  input: string;
  output: string;
  forward: string;
  masq: boolean;
  mtuFix: boolean;
}

/** fw3-like rules for iptables-restore: zones with policies and masquerading, forwardings, rules. */
export function planFirewall(
  fw: UciSection[],
  network: UciSection[],
): { rules: string; errors: string[] } {
  const errors: string[] = [];
  const defaults = fw.find((s) => s.type === 'defaults');
  const def = {
    input: defaults === undefined ? 'ACCEPT' : policy(defaults, 'input', 'ACCEPT'),
    output: defaults === undefined ? 'ACCEPT' : policy(defaults, 'output', 'ACCEPT'),
    forward: defaults === undefined ? 'REJECT' : policy(defaults, 'forward', 'REJECT'),
  };
  const zones: Zone[] = [];
  for (const s of fw.filter((x) => x.type === 'zone')) {
    try {
      const name = opt(s, 'name');
      if (name === undefined) throw new ConfigError('a zone needs a name');
      const devices = [...list(s, 'device')];
      for (const net of list(s, 'network')) {
        const dev = deviceOfInterface(network, net);
        if (dev !== undefined) devices.push(dev);
      }
      zones.push({
        name,
        devices: [...new Set(devices)],
        input: policy(s, 'input', def.input),
        output: policy(s, 'output', def.output),
        forward: policy(s, 'forward', def.forward),
        masq: bool(s, 'masq', false),
        mtuFix: bool(s, 'mtu_fix', false),
      });
    } catch (e) {
      errors.push(`zone ${s.name}: ${(e as Error).message}`);
    }
  }
  const zone = (name: string | undefined): Zone | undefined => zones.find((z) => z.name === name);

  const filter: string[] = [
    '*filter',
    `:INPUT ${def.input === 'REJECT' ? 'DROP' : def.input}`,
    `:FORWARD ${def.forward === 'REJECT' ? 'DROP' : def.forward}`,
    `:OUTPUT ${def.output === 'REJECT' ? 'DROP' : def.output}`,
    ':lab_reject - [0:0]',
    '-A lab_reject -p tcp -j REJECT --reject-with tcp-reset',
    '-A lab_reject -j REJECT --reject-with icmp-port-unreachable',
    '-A INPUT -i lo -j ACCEPT',
    '-A OUTPUT -o lo -j ACCEPT',
    '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    '-A OUTPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    '-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
  ];
  const nat: string[] = [
    '*nat',
    ':PREROUTING ACCEPT',
    ':INPUT ACCEPT',
    ':OUTPUT ACCEPT',
    ':POSTROUTING ACCEPT',
  ];
  const mangle: string[] = [
    '*mangle',
    ':PREROUTING ACCEPT',
    ':INPUT ACCEPT',
    ':FORWARD ACCEPT',
    ':OUTPUT ACCEPT',
    ':POSTROUTING ACCEPT',
  ];

  for (const s of fw.filter((x) => x.type === 'rule')) {
    try {
      if (!bool(s, 'enabled', true)) continue;
      const family = opt(s, 'family');
      if (family === 'ipv6') continue;
      const src = opt(s, 'src');
      const dest = opt(s, 'dest');
      const tgt = target(policy(s, 'target', 'DROP'));
      let protos = list(s, 'proto');
      if (protos.length === 0) protos = ['tcp', 'udp'];
      const chain = dest === undefined ? (src === undefined ? 'OUTPUT' : 'INPUT') : 'FORWARD';
      const srcDevs = src === undefined || src === '*' ? [undefined] : (zone(src)?.devices ?? []);
      const destDevs =
        dest === undefined || dest === '*' ? [undefined] : (zone(dest)?.devices ?? []);
      for (const proto of protos) {
        const icmpTypes = proto === 'icmp' ? list(s, 'icmp_type') : [];
        for (const sd of srcDevs) {
          for (const dd of destDevs) {
            for (const icmp of icmpTypes.length > 0 ? icmpTypes : [undefined]) {
              const m: string[] = [`-A ${chain}`];
              if (sd !== undefined) m.push(`-i ${sd}`);
              if (dd !== undefined) m.push(`-o ${dd}`);
              if (proto !== 'all') m.push(`-p ${proto}`);
              if (icmp !== undefined) m.push(`--icmp-type ${icmp}`);
              const srcIp = opt(s, 'src_ip');
              const destIp = opt(s, 'dest_ip');
              if (srcIp !== undefined) m.push(`-s ${srcIp}`);
              if (destIp !== undefined) m.push(`-d ${destIp}`);
              const dport = opt(s, 'dest_port');
              if (dport !== undefined && (proto === 'tcp' || proto === 'udp')) {
                m.push(`--dport ${dport.replace('-', ':')}`);
              }
              const sport = opt(s, 'src_port');
              if (sport !== undefined && (proto === 'tcp' || proto === 'udp')) {
                m.push(`--sport ${sport.replace('-', ':')}`);
              }
              m.push(`-j ${tgt}`);
              filter.push(m.join(' '));
            }
          }
        }
      }
    } catch (e) {
      errors.push(`rule ${s.name}: ${(e as Error).message}`);
    }
  }

  for (const s of fw.filter((x) => x.type === 'forwarding')) {
    if (!bool(s, 'enabled', true)) continue;
    const src = zone(opt(s, 'src'));
    const dest = zone(opt(s, 'dest'));
    if (src === undefined || dest === undefined) {
      errors.push(
        `forwarding ${s.name}: zone '${opt(s, src === undefined ? 'src' : 'dest') ?? ''}' does not exist`,
      );
      continue;
    }
    for (const i of src.devices)
      for (const o of dest.devices) filter.push(`-A FORWARD -i ${i} -o ${o} -j ACCEPT`);
  }
  for (const z of zones) {
    for (const d of z.devices) {
      filter.push(`-A INPUT -i ${d} -j ${target(z.input)}`);
      filter.push(`-A OUTPUT -o ${d} -j ${target(z.output)}`);
      // fw3: the zone's forward policy covers traffic staying inside the zone
      for (const o of z.devices) filter.push(`-A FORWARD -i ${d} -o ${o} -j ${target(z.forward)}`);
      if (z.masq) nat.push(`-A POSTROUTING -o ${d} -j MASQUERADE`);
      if (z.mtuFix)
        mangle.push(
          `-A FORWARD -o ${d} -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu`,
        );
    }
  }
  if (def.input === 'REJECT') filter.push('-A INPUT -j lab_reject');
  if (def.forward === 'REJECT') filter.push('-A FORWARD -j lab_reject');
  if (def.output === 'REJECT') filter.push('-A OUTPUT -j lab_reject');

  for (const s of fw) {
    if (!['defaults', 'zone', 'forwarding', 'rule', 'include'].includes(s.type)) {
      errors.push(`section type '${s.type}' (${s.name}) is not supported by the lab`);
    }
  }
  return {
    rules: [...filter, 'COMMIT', ...nat, 'COMMIT', ...mangle, 'COMMIT', ''].join('\n'),
    errors,
  };
}

export function applyFirewall(): { errors: string[] } {
  const plan = planFirewall(loadSections('firewall'), loadSections('network'));
  const r = run('iptables-restore', [], plan.rules);
  if (r.code !== 0) plan.errors.push(`iptables-restore: ${r.stderr.trim()}`);
  return { errors: plan.errors };
}

export function flushFirewall(): void {
  run(
    'iptables-restore',
    [],
    '*filter\n:INPUT ACCEPT\n:FORWARD ACCEPT\n:OUTPUT ACCEPT\nCOMMIT\n*nat\n:PREROUTING ACCEPT\n:INPUT ACCEPT\n:OUTPUT ACCEPT\n:POSTROUTING ACCEPT\nCOMMIT\n',
  );
}
