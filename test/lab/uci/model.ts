import {
  UCI_ERR,
  UciError,
  validateName,
  validatePackage,
  validateText,
  validateType,
} from './parser';

export type DeltaCmd = 'add' | 'remove' | 'change' | 'rename' | 'reorder' | 'list_add' | 'list_del';

export interface Delta {
  cmd: DeltaCmd;
  section: string;
  option: string | undefined;
  value: string | undefined;
}

export interface OptionNode {
  name: string;
  kind: 'string' | 'list';
  value: string;
  items: string[];
}

export interface SectionNode {
  name: string;
  type: string;
  anonymous: boolean;
  options: OptionNode[];
}

export interface PackageNode {
  name: string;
  sections: SectionNode[];
  /** Sections ever allocated in this load: the XX of cfgXXYYYY. */
  nSection: number;
  hasDelta: boolean;
  path: string | undefined;
  delta: Delta[];
  savedDelta: Delta[];
}

export interface Ptr {
  package: string;
  section: string | undefined;
  option: string | undefined;
  value: string | undefined;
  extended: boolean;
  p: PackageNode | undefined;
  s: SectionNode | undefined;
  o: OptionNode | undefined;
  complete: boolean;
  last: 'package' | 'section' | 'option' | undefined;
}

export function newPackage(name: string): PackageNode {
  return {
    name,
    sections: [],
    nSection: 0,
    hasDelta: false,
    path: undefined,
    delta: [],
    savedDelta: [],
  };
}

/** uci_parse_ptr: "pkg[.sec[.opt]][=value]". */
export function parsePtr(input: string): Ptr {
  let str = input;
  let value: string | undefined;
  const eq = str.indexOf('=');
  if (eq >= 0) {
    value = str.slice(eq + 1);
    str = str.slice(0, eq);
  }
  const parts = str.split('.');
  if (parts.length > 3) throw new UciError(UCI_ERR.parse);
  const [pkg = '', section, option] = parts;
  if (!validatePackage(pkg)) throw new UciError(UCI_ERR.parse);
  const extended = section !== undefined && !validateName(section);
  if (option !== undefined && !validateName(option)) throw new UciError(UCI_ERR.parse);
  if (value !== undefined && !validateText(value)) throw new UciError(UCI_ERR.parse);
  return {
    package: pkg,
    section,
    option,
    value,
    extended,
    p: undefined,
    s: undefined,
    o: undefined,
    complete: false,
    last: undefined,
  };
}

function toInt32(n: bigint): number {
  return Number(BigInt.asIntN(32, n));
}

/** C strtol/strtoul prefix parse; returns undefined rest when nothing was consumed. */
function cNumber(s: string): { value: bigint; rest: string } {
  const m = /^[ \t\n\r\v\f]*([+-]?)(\d+)/.exec(s);
  if (!m) return { value: 0n, rest: s };
  const digits = BigInt(m[2] ?? '0');
  return { value: m[1] === '-' ? -digits : digits, rest: s.slice(m[0].length) };
}

/** strtoul(value, NULL, 10) cast to int, as reorder does. */
export function reorderPosition(value: string): number {
  const { value: n } = cNumber(value);
  const unsigned = n < 0n ? BigInt.asUintN(64, n) : BigInt.asUintN(64, n);
  return toInt32(unsigned);
}

/** sscanf(value, "%d") -> number or undefined when no conversion. */
export function scanInt(value: string): number | undefined {
  const m = /^[ \t\n\r\v\f]*[+-]?\d+/.exec(value);
  if (!m) return undefined;
  return toInt32(BigInt(m[0].trim()));
}

function djbhash(hash: number, str: string): number {
  let h = hash === -1 ? 5381 : hash;
  for (let i = 0; i < str.length; i++) {
    let c = str.charCodeAt(i) & 0xff;
    if (c >= 128) c -= 256; // plain char is signed on the platforms uci was recorded on
    h = (Math.imul(h, 33) + c) >>> 0;
  }
  return h & 0x7fffffff;
}

function anonymousName(p: PackageNode, s: SectionNode): string {
  let hash = djbhash(-1, s.type);
  for (const o of s.options) {
    hash = djbhash(hash, o.name);
    if (o.kind === 'string') hash = djbhash(hash, o.value);
  }
  return `cfg${p.nSection.toString(16).padStart(2, '0')}${(hash % 65536).toString(16).padStart(4, '0')}`;
}

function allocSection(p: PackageNode, type: string, name: string | undefined): SectionNode {
  const s: SectionNode = { name: name ?? '', type, anonymous: !name, options: [] };
  p.nSection++;
  p.sections.push(s);
  return s;
}

function record(p: PackageNode, internal: boolean, d: Delta): void {
  if (!internal && p.hasDelta) p.delta.push(d);
}

function lookupExtSection(p: PackageNode, section: string): SectionNode | undefined {
  const m = /^@([^[]*)\[([^\]]*)\]$/.exec(section);
  if (!m) throw new UciError(UCI_ERR.inval);
  const type = m[1] ?? '';
  const idxStr = m[2] ?? '';
  if (idxStr !== '' && !/^[ \t\n\r\v\f]*[+-]?\d+$/.test(idxStr)) throw new UciError(UCI_ERR.inval);
  let idx = idxStr === '' ? 0 : Number(idxStr.trim());
  if (type !== '' && !validateType(type)) throw new UciError(UCI_ERR.inval);
  const matching = p.sections.filter((s) => type === '' || s.type === type);
  if (idx < 0) idx += matching.length;
  return matching[idx];
}

/** The part of uci_lookup_ptr after the package is known. */
export function lookupInPackage(ptr: Ptr, p: PackageNode): void {
  ptr.p = p;
  ptr.last = 'package';
  if (ptr.section === undefined) {
    ptr.complete = true;
    return;
  }
  const s = ptr.extended
    ? lookupExtSection(p, ptr.section)
    : p.sections.find((x) => x.name === ptr.section);
  if (!s) return;
  if (ptr.extended) ptr.section = s.name;
  ptr.s = s;
  ptr.last = 'section';
  if (ptr.option !== undefined) {
    const o = s.options.find((x) => x.name === ptr.option);
    if (!o) return;
    ptr.o = o;
    ptr.last = 'option';
  }
  ptr.complete = true;
}

function replaceOption(s: SectionNode, old: OptionNode | undefined, next: OptionNode): void {
  const i = old ? s.options.indexOf(old) : -1;
  if (i >= 0) s.options[i] = next;
  else s.options.push(next);
}

function stringOption(name: string, value: string): OptionNode {
  return { name, kind: 'string', value, items: [] };
}

export function uciAddSection(p: PackageNode, type: string, internal: boolean): SectionNode {
  const s = allocSection(p, type, undefined);
  s.name = anonymousName(p, s);
  record(p, internal, { cmd: 'add', section: s.name, option: undefined, value: type });
  return s;
}

export function uciDelete(ptr: Ptr, internal: boolean): void {
  if (!ptr.complete) throw new UciError(UCI_ERR.notfound);
  const p = ptr.p as PackageNode;
  if (!ptr.s) throw new UciError(UCI_ERR.inval);
  const section = ptr.section ?? ptr.s.name;
  if (ptr.o && ptr.o.kind === 'list' && ptr.value !== undefined && ptr.value !== '') {
    const index = scanInt(ptr.value);
    if (index === undefined) throw new UciError(UCI_ERR.mem);
    if (index >= 0 && index < ptr.o.items.length) {
      record(p, internal, { cmd: 'remove', section, option: ptr.option, value: ptr.value });
      ptr.o.items.splice(index, 1);
    }
    return;
  }
  record(p, internal, { cmd: 'remove', section, option: ptr.option, value: undefined });
  if (ptr.o) {
    ptr.s.options.splice(ptr.s.options.indexOf(ptr.o), 1);
    ptr.o = undefined;
  } else {
    p.sections.splice(p.sections.indexOf(ptr.s), 1);
    ptr.s = undefined;
  }
}

export function uciSet(ptr: Ptr, internal: boolean): void {
  const p = ptr.p as PackageNode;
  if (ptr.value === undefined) throw new UciError(UCI_ERR.inval);
  if (!(ptr.s || (ptr.option === undefined && ptr.section !== undefined)))
    throw new UciError(UCI_ERR.inval);
  if (ptr.option === undefined && ptr.value !== '' && !validateType(ptr.value))
    throw new UciError(UCI_ERR.inval);
  if (!ptr.o && ptr.s && ptr.option !== undefined)
    ptr.o = ptr.s.options.find((x) => x.name === ptr.option);
  const value = ptr.value;
  if (value === '') {
    if (!ptr.complete) return;
    uciDelete(ptr, internal);
    return;
  }
  const section = ptr.section as string;
  if (!ptr.o && ptr.option !== undefined) {
    const o = stringOption(ptr.option, value);
    (ptr.s as SectionNode).options.push(o);
    ptr.o = o;
    ptr.last = 'option';
  } else if (!ptr.s && ptr.section !== undefined) {
    ptr.s = allocSection(p, value, ptr.section);
    ptr.last = 'section';
  } else if (ptr.o && ptr.option !== undefined) {
    if (ptr.o.kind === 'string' && ptr.o.value === value) return;
    const o = stringOption(ptr.option, value);
    replaceOption(ptr.s as SectionNode, ptr.o, o);
    ptr.o = o;
    ptr.last = 'option';
  } else if (ptr.s && ptr.section !== undefined) {
    ptr.last = 'section';
    if (ptr.s.type === value) return;
    ptr.s.type = value;
  } else {
    throw new UciError(UCI_ERR.inval);
  }
  record(p, internal, { cmd: 'change', section, option: ptr.option, value });
}

export function uciAddList(ptr: Ptr, internal: boolean): void {
  const p = ptr.p as PackageNode;
  if (!ptr.s) throw new UciError(UCI_ERR.inval);
  if (ptr.value === undefined) throw new UciError(UCI_ERR.inval);
  const name = ptr.option as string;
  const section = ptr.section as string;
  const add = (o: OptionNode): void => {
    record(p, internal, { cmd: 'list_add', section, option: name, value: ptr.value });
    o.items.push(ptr.value as string);
  };
  if (ptr.o && ptr.o.kind === 'list') {
    add(ptr.o);
    return;
  }
  const list: OptionNode = { name, kind: 'list', value: '', items: [] };
  if (ptr.o) {
    list.items.push(ptr.o.value);
    replaceOption(ptr.s, ptr.o, list);
  } else {
    ptr.s.options.push(list);
  }
  ptr.o = list;
  add(list);
}

export function uciDelList(ptr: Ptr, internal: boolean): void {
  const p = ptr.p as PackageNode;
  if (!ptr.s) throw new UciError(UCI_ERR.inval);
  if (ptr.value === undefined) throw new UciError(UCI_ERR.inval);
  if (!ptr.o || ptr.option === undefined || ptr.o.kind !== 'list') return;
  record(p, internal, {
    cmd: 'list_del',
    section: ptr.section as string,
    option: ptr.option,
    value: ptr.value,
  });
  ptr.o.items = ptr.o.items.filter((v) => v !== ptr.value);
}

export function uciRename(ptr: Ptr, internal: boolean): void {
  if (!ptr.complete) throw new UciError(UCI_ERR.notfound);
  if (!ptr.s) throw new UciError(UCI_ERR.inval);
  if (ptr.value === undefined) throw new UciError(UCI_ERR.inval);
  record(ptr.p as PackageNode, internal, {
    cmd: 'rename',
    section: ptr.section as string,
    option: ptr.option,
    value: ptr.value,
  });
  if (ptr.o) {
    ptr.o.name = ptr.value;
  } else {
    ptr.s.name = ptr.value;
    ptr.s.anonymous = false;
  }
}

export function uciReorder(p: PackageNode, s: SectionNode, pos: number, internal: boolean): void {
  const i = p.sections.indexOf(s);
  if (i >= 0) p.sections.splice(i, 1);
  const at = Math.min(Math.max(pos, 0), p.sections.length);
  p.sections.splice(at, 0, s);
  record(p, internal, { cmd: 'reorder', section: s.name, option: undefined, value: String(pos) });
}
