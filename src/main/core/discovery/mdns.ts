// Multicast DNS (RFC 6762) and DNS-SD (RFC 6763) just far enough to ask "who offers SSH or HTTP
// here" and read the answers. OpenWrt's umdns announces `_ssh._tcp` for dropbear (the dropbear
// init script's `procd_add_mdns "ssh" "tcp" ...`); GL.iNet firmware and most desktops run a
// responder too. Every parser here returns undefined on malformed input instead of throwing.

export const mdnsGroup = '224.0.0.251';
export const mdnsPort = 5353;
export const mdnsServices = ['_ssh._tcp.local', '_http._tcp.local'] as const;

const typePtr = 12;
const typeA = 1;
const typeSrv = 33;
const classIn = 1;

export type MdnsRecord =
  | { type: 'PTR'; name: string; target: string }
  | { type: 'SRV'; name: string; target: string; port: number }
  | { type: 'A'; name: string; address: string }
  | { type: 'other'; name: string; code: number };

export interface MdnsMessage {
  response: boolean;
  records: MdnsRecord[];
}

/** What one responder said about itself, reduced to what discovery needs. */
export interface MdnsFinding {
  /** Where the answer came from (on-link by construction). */
  from: string;
  /** Addresses from A records of the announced hosts, in answer order. */
  addresses: string[];
  /** `_ssh._tcp`, `_http._tcp` */
  services: string[];
  /** Instance names, e.g. `OpenWrt` from `OpenWrt._ssh._tcp.local`. */
  instances: string[];
  /** Host names from SRV targets, e.g. `OpenWrt.local`. */
  hosts: string[];
}

function encodeName(name: string): number[] {
  const bytes: number[] = [];
  for (const label of name.split('.').filter(Boolean)) {
    const encoded = [...new TextEncoder().encode(label)];
    if (encoded.length > 63) throw new Error(`DNS label too long: ${label}`);
    bytes.push(encoded.length, ...encoded);
  }
  bytes.push(0);
  return bytes;
}

/** A one-shot query (ID 0, QM questions) for the PTR records of `services`. */
export function buildMdnsQuery(services: readonly string[] = mdnsServices): Uint8Array {
  const bytes = [0, 0, 0, 0, services.length >> 8, services.length & 0xff, 0, 0, 0, 0, 0, 0];
  for (const service of services) {
    bytes.push(...encodeName(service), 0, typePtr, 0, classIn);
  }
  return Uint8Array.from(bytes);
}

class Reader {
  constructor(readonly bytes: Uint8Array) {}

  u16(offset: number): number | undefined {
    const a = this.bytes[offset];
    const b = this.bytes[offset + 1];
    return a === undefined || b === undefined ? undefined : a * 256 + b;
  }

  /** A possibly compressed name at `offset`, and the offset just past it. */
  name(offset: number): { name: string; next: number } | undefined {
    const labels: string[] = [];
    let position = offset;
    let next: number | undefined;
    // Compression pointers may only point backwards; a bound on jumps stops loops.
    for (let jumps = 0; jumps < 64;) {
      const length = this.bytes[position];
      if (length === undefined) return undefined;
      if (length === 0) return { name: labels.join('.'), next: next ?? position + 1 };
      if ((length & 0xc0) === 0xc0) {
        const low = this.bytes[position + 1];
        if (low === undefined) return undefined;
        const target = ((length & 0x3f) << 8) | low;
        if (target >= position) return undefined;
        next ??= position + 2;
        position = target;
        jumps++;
        continue;
      }
      if (length > 63 || position + 1 + length > this.bytes.length) return undefined;
      labels.push(
        new TextDecoder().decode(this.bytes.subarray(position + 1, position + 1 + length)),
      );
      if (labels.length > 127) return undefined;
      position += 1 + length;
    }
    return undefined;
  }
}

/** A DNS message as mDNS sends it; undefined when it is cut or malformed. */
export function parseMdnsMessage(bytes: Uint8Array): MdnsMessage | undefined {
  const reader = new Reader(bytes);
  const flags = reader.u16(2);
  const counts = [4, 6, 8, 10].map((offset) => reader.u16(offset));
  if (flags === undefined || counts.some((c) => c === undefined)) return undefined;
  const [questions = 0, answers = 0, authority = 0, additional = 0] = counts as number[];
  let offset = 12;
  for (let i = 0; i < questions; i++) {
    const name = reader.name(offset);
    if (!name || name.next + 4 > bytes.length) return undefined;
    offset = name.next + 4;
  }
  const records: MdnsRecord[] = [];
  for (let i = 0; i < answers + authority + additional; i++) {
    const name = reader.name(offset);
    if (!name) return undefined;
    const type = reader.u16(name.next);
    const length = reader.u16(name.next + 8);
    const start = name.next + 10;
    if (type === undefined || length === undefined || start + length > bytes.length) {
      return undefined;
    }
    const record = parseRecord(reader, name.name, type, start, length);
    if (!record) return undefined;
    records.push(record);
    offset = start + length;
  }
  return { response: (flags & 0x8000) !== 0, records };
}

function parseRecord(
  reader: Reader,
  name: string,
  type: number,
  start: number,
  length: number,
): MdnsRecord | undefined {
  switch (type) {
    case typePtr: {
      const target = reader.name(start);
      return target ? { type: 'PTR', name, target: target.name } : undefined;
    }
    case typeSrv: {
      const port = reader.u16(start + 4);
      const target = reader.name(start + 6);
      return port !== undefined && target && length >= 7
        ? { type: 'SRV', name, target: target.name, port }
        : undefined;
    }
    case typeA: {
      if (length !== 4) return undefined;
      return { type: 'A', name, address: [...reader.bytes.subarray(start, start + 4)].join('.') };
    }
    default:
      return { type: 'other', name, code: type };
  }
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * Per responder, the services among `services` it offers, their instance and host names and the
 * host addresses. Responses that name none of the services are left out.
 */
export function mdnsFindings(
  responses: readonly { from: string; bytes: Uint8Array }[],
  services: readonly string[] = mdnsServices,
): MdnsFinding[] {
  const byFrom = new Map<string, MdnsFinding>();
  for (const response of responses) {
    const message = parseMdnsMessage(response.bytes);
    if (!message?.response) continue;
    const pointers = message.records.filter(
      (r): r is Extract<MdnsRecord, { type: 'PTR' }> =>
        r.type === 'PTR' && services.some((s) => sameName(s, r.name)),
    );
    if (pointers.length === 0) continue;
    const finding = byFrom.get(response.from) ?? {
      from: response.from,
      addresses: [],
      services: [],
      instances: [],
      hosts: [],
    };
    const add = (list: string[], value: string): void => {
      if (!list.some((v) => sameName(v, value))) list.push(value);
    };
    for (const pointer of pointers) {
      add(finding.services, pointer.name.replace(/\.local$/i, ''));
      const suffix = `.${pointer.name}`;
      const instance = pointer.target.toLowerCase().endsWith(suffix.toLowerCase())
        ? pointer.target.slice(0, -suffix.length)
        : pointer.target;
      add(finding.instances, instance);
      for (const srv of message.records) {
        if (srv.type !== 'SRV' || !sameName(srv.name, pointer.target)) continue;
        add(finding.hosts, srv.target);
        for (const a of message.records) {
          if (a.type === 'A' && sameName(a.name, srv.target)) add(finding.addresses, a.address);
        }
      }
    }
    byFrom.set(response.from, finding);
  }
  return [...byFrom.values()];
}
