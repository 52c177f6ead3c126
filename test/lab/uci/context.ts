import {
  closeSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  writeFileSync,
  writeSync,
  appendFileSync,
  chmodSync,
  unlinkSync,
  constants,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import {
  LineSource,
  ParseContext,
  UCI_ERR,
  UciError,
  errorText,
  validateName,
  validatePackage,
  validateType,
} from './parser';
import {
  type Delta,
  type DeltaCmd,
  type PackageNode,
  type Ptr,
  type SectionNode,
  lookupInPackage,
  newPackage,
  parsePtr,
  reorderPosition,
  uciAddList,
  uciAddSection,
  uciDelList,
  uciDelete,
  uciRename,
  uciReorder,
  uciSet,
} from './model';

const PREFIX: Record<DeltaCmd, string> = {
  add: '+',
  remove: '-',
  change: '',
  rename: '@',
  reorder: '^',
  list_add: '|',
  list_del: '~',
};

const FROM_PREFIX: Record<string, DeltaCmd> = {
  '+': 'add',
  '-': 'remove',
  '@': 'rename',
  '^': 'reorder',
  '|': 'list_add',
  '~': 'list_del',
};

/** Bytes of a byte string, for file and stream output. */
export function bytes(s: string): Buffer {
  return Buffer.from(s, 'latin1');
}

function readBytes(path: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return undefined;
    return readFileSync(path).toString('latin1');
  } catch {
    return undefined;
  }
}

function fileMode(path: string): number | undefined {
  try {
    return statSync(path).mode & 0o7777;
  } catch {
    return undefined;
  }
}

export function quoteValue(v: string): string {
  return `'${v.split("'").join("'\\''")}'`;
}

export function deltaLine(pkg: string, d: Delta): string {
  let line = `${PREFIX[d.cmd]}${pkg}.${d.section}`;
  if (d.option !== undefined) line += `.${d.option}`;
  if (d.cmd === 'remove' && d.value === undefined) return `${line}\n`;
  return `${line}=${quoteValue(d.value ?? '')}\n`;
}

interface ImportState {
  package: PackageNode | undefined;
  section: SectionNode | undefined;
  name: string | undefined;
  merge: boolean;
}

export class UciContext {
  confDir = '/etc/config';
  saveDir = '/tmp/.uci';
  deltaPaths: string[] = [];
  strict = true;
  perror = false;
  exportName = false;
  /** Committed state only: staged delta files are not applied. */
  ignoreDeltas = false;
  root: PackageNode[] = [];
  pctx: ParseContext | undefined;

  constructor(readonly writeErr: (s: string) => void = () => undefined) {}

  /** uci_get_errorstr, printed: "prefix: Error (reason) at line L, byte B". */
  formatError(err: unknown, prefix: string | undefined): string {
    const code = err instanceof UciError ? err.code : UCI_ERR.unknown;
    let info = '';
    if (code === UCI_ERR.parse && this.pctx)
      info = ` (${this.pctx.reason ?? 'unknown'}) at line ${this.pctx.line}, byte ${this.pctx.byte}`;
    return `${prefix !== undefined ? `${prefix}: ` : ''}${errorText(code)}${info}\n`;
  }

  configPath(name: string): string {
    if (!validatePackage(name)) throw new UciError(UCI_ERR.inval);
    return `${this.confDir}/${name}`;
  }

  findLoaded(name: string): PackageNode | undefined {
    return this.root.find((p) => p.name === name);
  }

  unload(p: PackageNode): void {
    const i = this.root.indexOf(p);
    if (i >= 0) this.root.splice(i, 1);
  }

  unloadAll(): void {
    this.root = [];
  }

  // ---- parsing of config files (uci_import) ----

  importStream(
    source: LineSource,
    name: string | undefined,
    existing: PackageNode | undefined,
    single: boolean,
  ): PackageNode | undefined {
    const pctx = new ParseContext(source);
    this.pctx = pctx;
    const st: ImportState = {
      package: undefined,
      section: undefined,
      name: undefined,
      merge: false,
    };
    if (existing && single) {
      st.package = existing;
      st.merge = true;
    }
    if (name !== undefined) {
      if (!validatePackage(name)) throw new UciError(UCI_ERR.inval);
      st.name = name;
    }
    while (!source.eof) {
      pctx.pos = 0;
      pctx.getln(0);
      if (pctx.at(0) === '') continue;
      try {
        this.parseLine(pctx, st, single);
      } catch (e) {
        if (!(e instanceof UciError)) throw e;
        if (this.perror) this.writeErr(this.formatError(e, undefined));
        if (e.code !== UCI_ERR.parse || this.strict) throw e;
      }
    }
    if (!st.package && name !== undefined) this.switchConfig(st);
    const result = st.package;
    if (st.merge) st.package = undefined;
    st.name = undefined;
    this.switchConfig(st);
    this.pctx = undefined;
    return result;
  }

  private switchConfig(st: ImportState): void {
    if (st.package) {
      this.root.push(st.package);
      st.package = undefined;
      st.section = undefined;
    }
    if (st.name === undefined) return;
    if (this.findLoaded(st.name)) throw new UciError(UCI_ERR.duplicate);
    st.package = newPackage(st.name);
  }

  private parseLine(pctx: ParseContext, st: ImportState, single: boolean): void {
    pctx.skipWhitespace();
    for (;;) {
      const tok = pctx.strtok();
      if (!tok) return;
      const w = tok.word;
      const step = (what: string): void => {
        if (!pctx.increasePos(tok.start - pctx.pos + w.length + 1))
          pctx.error(`${what} without name`);
      };
      const is = (full: string): boolean => w === full[0] || w === full;
      if (w[0] === '#') return;
      if (is('package')) {
        step('package');
        const ofs = pctx.nextArg(true, true, true);
        this.assertEol(pctx);
        if (single) continue;
        st.name = pctx.str(ofs);
        this.switchConfig(st);
      } else if (is('config')) {
        this.parseConfig(pctx, st, step);
      } else if (is('option')) {
        this.parseOption(pctx, st, false, step);
      } else if (is('list')) {
        this.parseOption(pctx, st, true, step);
      } else {
        pctx.error('invalid command');
      }
    }
  }

  private assertEol(pctx: ParseContext): void {
    pctx.skipWhitespace();
    const ofs = pctx.nextArg(false, false, false);
    if (pctx.str(ofs) !== '' && this.strict) pctx.error('too many arguments');
  }

  private parseConfig(pctx: ParseContext, st: ImportState, step: (w: string) => void): void {
    if (!st.package) {
      if (st.name === undefined) pctx.error('attempting to import a file without a package name');
      this.switchConfig(st);
    }
    const pkg = st.package as PackageNode;
    step('config');
    const typeOfs = pctx.nextArg(true, false, false);
    if (!validateType(pctx.str(typeOfs))) pctx.error('invalid character in type field');
    const nameOfs = pctx.nextArg(false, true, false);
    this.assertEol(pctx);
    const type = pctx.str(typeOfs);
    const name = pctx.str(nameOfs);
    if (name === '') {
      st.section = uciAddSection(pkg, type, !st.merge);
      return;
    }
    const existing = pkg.sections.find((s) => s.name === name);
    if (existing && this.strict && existing.type !== type)
      pctx.error('section of different type overwrites prior section with same name');
    const ptr = this.fillPtr(pkg, existing);
    ptr.section = name;
    ptr.value = type;
    uciSet(ptr, !st.merge);
    st.section = ptr.s;
  }

  private parseOption(
    pctx: ParseContext,
    st: ImportState,
    list: boolean,
    step: (w: string) => void,
  ): void {
    if (!st.section) pctx.error('option/list command found before the first section');
    const section = st.section;
    step('option');
    const nameOfs = pctx.nextArg(true, true, false);
    const valueOfs = pctx.nextArg(false, false, false);
    this.assertEol(pctx);
    const name = pctx.str(nameOfs);
    const ptr = this.fillPtr(st.package as PackageNode, section);
    ptr.option = name;
    ptr.o = section.options.find((o) => o.name === name);
    ptr.value = pctx.str(valueOfs);
    if (list) uciAddList(ptr, !st.merge);
    else uciSet(ptr, !st.merge);
  }

  private fillPtr(p: PackageNode, s: SectionNode | undefined): Ptr {
    return {
      package: p.name,
      section: s?.name,
      option: undefined,
      value: undefined,
      extended: false,
      p,
      s,
      o: undefined,
      complete: false,
      last: s ? 'section' : 'package',
    };
  }

  // ---- loading ----

  load(nameIn: string): PackageNode {
    let name = nameIn;
    let filename: string;
    let inConfDir: boolean;
    if (name.startsWith('.') && name[1] !== '/') throw new UciError(UCI_ERR.notfound);
    if (name.startsWith('.') || name.startsWith('/')) {
      filename = name;
      name = name.slice(name.lastIndexOf('/') + 1);
      inConfDir = false;
    } else {
      filename = this.configPath(name);
      inConfDir = true;
    }
    const data = readBytes(filename);
    if (data === undefined) throw new UciError(UCI_ERR.notfound);
    const pkg = this.importStream(new LineSource(data), name, undefined, true);
    if (!pkg) throw new UciError(UCI_ERR.notfound);
    pkg.path = filename;
    pkg.hasDelta = inConfDir;
    this.loadDelta(pkg, false);
    return pkg;
  }

  private deltaFiles(name: string): string[] {
    return [...this.deltaPaths, this.saveDir].map((d) => `${d}/${name}`);
  }

  loadDelta(p: PackageNode, flush: boolean): number {
    if (!p.hasDelta || this.ignoreDeltas) return 0;
    let changes = 0;
    for (const file of this.deltaFiles(p.name)) {
      const data = readBytes(file);
      if (data !== undefined) changes += this.parseDelta(new LineSource(data), p);
    }
    if (flush && changes > 0) {
      const file = `${this.saveDir}/${p.name}`;
      if (readBytes(file) !== undefined) writeFileSync(file, '');
    }
    return changes;
  }

  private parseDelta(source: LineSource, p: PackageNode): number {
    const pctx = new ParseContext(source);
    this.pctx = pctx;
    let changes = 0;
    while (!source.eof) {
      pctx.pos = 0;
      pctx.getln(0);
      if (pctx.at(0) === '') continue;
      try {
        this.applyDeltaLine(pctx, p);
        changes++;
      } catch (e) {
        if (!(e instanceof UciError)) throw e;
      }
    }
    this.pctx = undefined;
    return changes;
  }

  private parseDeltaTuple(pctx: ParseContext): { cmd: DeltaCmd; ptr: Ptr } {
    let arg = pctx.str(pctx.nextArg(false, false, false));
    if (pctx.cur() !== '') throw new UciError(UCI_ERR.inval);
    const cmd = FROM_PREFIX[arg[0] ?? ''] ?? 'change';
    if (cmd !== 'change') arg = arg.slice(1);
    const ptr = parsePtr(arg);
    const bad =
      ptr.section === undefined ||
      ptr.extended ||
      (cmd !== 'remove' && ptr.value === undefined) ||
      (cmd === 'reorder' && ptr.option !== undefined) ||
      (cmd === 'rename' && !validateName(ptr.value ?? '')) ||
      ((cmd === 'list_add' || cmd === 'list_del') && ptr.option === undefined);
    if (bad) throw new UciError(UCI_ERR.inval);
    return { cmd, ptr };
  }

  private applyDeltaLine(pctx: ParseContext, p: PackageNode): void {
    const { cmd, ptr } = this.parseDeltaTuple(pctx);
    if (ptr.package !== p.name) throw new UciError(UCI_ERR.parse);
    p.savedDelta.push({
      cmd,
      section: ptr.section as string,
      option: ptr.option,
      value: ptr.value,
    });
    lookupInPackage(ptr, p);
    switch (cmd) {
      case 'reorder':
        if (!ptr.complete || !ptr.s) throw new UciError(UCI_ERR.notfound);
        uciReorder(p, ptr.s, reorderPosition(ptr.value ?? ''), true);
        break;
      case 'rename':
        uciRename(ptr, true);
        break;
      case 'remove':
        uciDelete(ptr, true);
        break;
      case 'list_add':
        uciAddList(ptr, true);
        break;
      case 'list_del':
        uciDelList(ptr, true);
        break;
      case 'add':
      case 'change':
        uciSet(ptr, true);
        if (ptr.option === undefined && ptr.last === 'section' && ptr.s && cmd === 'add')
          ptr.s.anonymous = true;
        break;
    }
  }

  /** uci_lookup_ptr with extended syntax: loads the package on demand. */
  lookup(str: string): Ptr {
    const ptr = parsePtr(str);
    const p = this.findLoaded(ptr.package) ?? this.load(ptr.package);
    lookupInPackage(ptr, p);
    return ptr;
  }

  listConfigs(): string[] {
    let entries: string[];
    try {
      entries = readdirSync(this.confDir, { encoding: 'latin1' }).filter((n) => !n.startsWith('.'));
    } catch {
      throw new UciError(UCI_ERR.notfound);
    }
    if (entries.length === 0) throw new UciError(UCI_ERR.notfound);
    entries.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return entries.filter((n) => {
      if (n.includes('.')) return false;
      try {
        if (statSync(`${this.confDir}/${n}`).isDirectory()) return false;
      } catch {
        /* a dangling link still counts for glob */
      }
      return validatePackage(n);
    });
  }

  // ---- writing ----

  save(p: PackageNode): void {
    if (!p.hasDelta) {
      this.commit(p, false);
      return;
    }
    if (p.delta.length === 0) return;
    let st;
    try {
      st = statSync(this.saveDir);
    } catch {
      st = undefined;
    }
    if (!st) {
      const mode = fileMode(this.confDir) ?? 0o700;
      try {
        mkdirSync(this.saveDir, { mode });
      } catch {
        /* open below reports the failure */
      }
    } else if (!st.isDirectory()) {
      throw new UciError(UCI_ERR.io);
    }
    const file = `${this.saveDir}/${p.name}`;
    const text = p.delta.map((d) => deltaLine(p.name, d)).join('');
    try {
      appendFileSync(file, bytes(text), { mode: fileMode(`${this.confDir}/${p.name}`) ?? 0o600 });
    } catch {
      throw new UciError(UCI_ERR.io);
    }
    p.delta = [];
  }

  exportPackage(p: PackageNode, header: boolean): string {
    let out = header ? `package ${p.name}\n` : '';
    for (const s of p.sections) {
      out += `\nconfig ${s.type}`;
      if (!s.anonymous || this.exportName) out += ` '${esc(s.name)}'`;
      out += '\n';
      for (const o of s.options) {
        if (o.kind === 'string') out += `\toption ${o.name} '${esc(o.value)}'\n`;
        else for (const item of o.items) out += `\tlist ${o.name} '${esc(item)}'\n`;
      }
    }
    return `${out}\n`;
  }

  /** uci_commit through the file backend; returns the package that now holds the state. */
  commit(pIn: PackageNode, overwrite: boolean): PackageNode {
    let p = pIn;
    if (!p.path) {
      if (!overwrite) throw new UciError(UCI_ERR.inval);
      p.path = this.configPath(p.name);
    }
    const path = p.path;
    let fd: number;
    try {
      fd = openSync(
        path,
        constants.O_RDWR | constants.O_CREAT,
        fileMode(`${this.confDir}/${p.name}`) ?? 0o600,
      );
    } catch {
      throw new UciError(UCI_ERR.io);
    }
    try {
      if (p.hasDelta) {
        if (!overwrite) {
          if (p.delta.length > 0) this.save(p);
          this.unload(p);
          const data = readFileSync(fd).toString('latin1');
          const reloaded = this.importStream(new LineSource(data), p.name, undefined, true);
          if (!reloaded) throw new UciError(UCI_ERR.notfound);
          reloaded.path = path;
          reloaded.hasDelta = true;
          p = reloaded;
        }
        // nothing staged: the committed file is left untouched
        if (this.loadDelta(p, true) === 0) return p;
      }
      const mode = fstatSync(fd).mode & 0o7777;
      const tmp = `${this.confDir}/.${p.name}.uci-${randomBytes(3).toString('hex')}`;
      const out = openSync(tmp, 'w', 0o600);
      try {
        writeSync(out, bytes(this.exportPackage(p, false)));
        fsyncSync(out);
      } finally {
        closeSync(out);
      }
      try {
        chmodSync(tmp, mode);
        renameSync(tmp, realpathSync(path));
      } catch {
        try {
          unlinkSync(tmp);
        } catch {
          /* already gone */
        }
        throw new UciError(UCI_ERR.io);
      }
    } finally {
      closeSync(fd);
    }
    return p;
  }

  revert(ptr: Ptr): void {
    const p = ptr.p as PackageNode;
    if (!p.hasDelta) throw new UciError(UCI_ERR.inval);
    this.save(p);
    const name = p.name;
    this.unload(p);
    this.filterDelta(name, ptr.section, ptr.option);
    ptr.p = this.load(name);
  }

  private filterDelta(name: string, section: string | undefined, option: string | undefined): void {
    const file = `${this.saveDir}/${name}`;
    const data = readBytes(file);
    if (data === undefined) return;
    const source = new LineSource(data);
    const pctx = new ParseContext(source);
    this.pctx = pctx;
    const kept: Delta[] = [];
    try {
      while (!source.eof) {
        pctx.pos = 0;
        pctx.getln(0);
        if (pctx.at(0) === '') continue;
        const { cmd, ptr } = this.parseDeltaTuple(pctx);
        let match = true;
        if (section !== undefined && ptr.section !== section) match = false;
        if (match && option !== undefined && ptr.option !== option) match = false;
        if (!match && ptr.section !== undefined)
          kept.push({ cmd, section: ptr.section, option: ptr.option, value: ptr.value });
      }
      writeFileSync(file, bytes(kept.map((d) => deltaLine(name, d)).join('')));
    } catch (e) {
      if (!(e instanceof UciError)) throw e;
    }
    this.pctx = undefined;
  }
}

function esc(s: string): string {
  return s.split("'").join("'\\''");
}
