import { UciContext, quoteValue } from './context';
import {
  type OptionNode,
  type PackageNode,
  type Ptr,
  type SectionNode,
  reorderPosition,
  scanInt,
  uciAddList,
  uciAddSection,
  uciDelList,
  uciDelete,
  uciRename,
  uciReorder,
  uciSet,
} from './model';
import { LineSource, ParseContext, UCI_ERR, UciError, parseArgument } from './parser';

/** Byte strings (latin1) in and out. */
export interface UciIo {
  /** Whole standard input; called at most when batch/import need it. */
  readStdin(): string;
  /** Contents of a -f file, or an errno-style message when it cannot be read. */
  readInputFile(path: string): { data: string } | { error: string };
  stdout(s: string): void;
  stderr(s: string): void;
}

const USAGE = `Usage: %s [<options>] <command> [<arguments>]

Commands:
\tbatch
\texport     [<config>]
\timport     [<config>]
\tchanges    [<config>]
\tcommit     [<config>]
\tadd        <config> <section-type>
\tadd_list   <config>.<section>.<option>=<string>
\tdel_list   <config>.<section>.<option>=<string>
\tshow       [<config>[.<section>[.<option>]]]
\tget        <config>.<section>[.<option>]
\tset        <config>.<section>[.<option>]=<value>
\tdelete     <config>[.<section>[[.<option>][=<id>]]]
\trename     <config>.<section>[.<option>]=<name>
\trevert     <config>[.<section>[.<option>]]
\treorder    <config>.<section>=<position>

Options:
\t-c <path>  set the search path for config files (default: /etc/config)
\t-C <path>  set the search path for config override files (default: /var/run/uci)
\t-d <str>   set the delimiter for list values in uci show
\t-f <file>  use <file> as input instead of stdin
\t-m         when importing, merge data into an existing package
\t-n         name unnamed sections on export (default)
\t-N         don't name unnamed sections
\t-p <path>  add a search path for config change files
\t-P <path>  add a search path for config change files and use as default
\t-t <path>  set save path for config change files
\t-q         quiet mode (don't print error messages)
\t-s         force strict mode (stop on parser errors, default)
\t-S         disable strict mode
\t-X         do not use extended syntax on 'show'

`;

const OPTSTRING = 'c:C:d:f:LmnNp:P:qsSt:X';

type SectionCmd = 'get' | 'set' | 'add_list' | 'del_list' | 'del' | 'rename' | 'revert' | 'reorder';
type PackageCmd = 'show' | 'changes' | 'export' | 'commit';

const COMMANDS: Record<string, SectionCmd | PackageCmd | 'import' | 'help' | 'add'> = {
  show: 'show',
  changes: 'changes',
  export: 'export',
  commit: 'commit',
  get: 'get',
  set: 'set',
  ren: 'rename',
  rename: 'rename',
  revert: 'revert',
  reorder: 'reorder',
  del: 'del',
  delete: 'del',
  import: 'import',
  help: 'help',
  add: 'add',
  add_list: 'add_list',
  del_list: 'del_list',
};

const VALUE_CMDS: ReadonlySet<SectionCmd> = new Set([
  'set',
  'del',
  'add_list',
  'del_list',
  'rename',
  'reorder',
]);

function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

class Cli {
  readonly ctx: UciContext;
  private quiet = false;
  private merge = false;
  private noCommit = false;
  private inBatch = false;
  private showExt = true;
  private delimiter = ' ';
  private input: string | undefined;
  private inputFile: string | undefined;
  // batch and import read the same stream, as they share one FILE in uci
  private source: LineSource | undefined;

  constructor(
    private readonly io: UciIo,
    private readonly appname: string,
  ) {
    this.ctx = new UciContext((s) => io.stderr(s));
  }

  private usage(): void {
    this.io.stderr(USAGE.replace('%s', this.appname));
  }

  private perror(e: unknown): void {
    if (!(e instanceof UciError)) throw e;
    if (!this.quiet) this.io.stderr(this.ctx.formatError(e, this.appname));
  }

  private cliError(s: string): void {
    if (!this.quiet) this.io.stderr(s);
  }

  private inputData(): string {
    if (this.input === undefined) {
      if (this.inputFile !== undefined) {
        const r = this.io.readInputFile(this.inputFile);
        this.input = 'data' in r ? r.data : '';
      } else {
        this.input = this.io.readStdin();
      }
    }
    return this.input;
  }

  private inputSource(): LineSource {
    this.source ??= new LineSource(this.inputData());
    return this.source;
  }

  main(args: string[]): number {
    const rest: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i] as string;
      if (a === '--') {
        rest.push(...args.slice(i + 1));
        break;
      }
      if (!a.startsWith('-') || a.length === 1) {
        rest.push(a);
        continue;
      }
      for (let j = 1; j < a.length; j++) {
        const c = a[j] as string;
        const at = OPTSTRING.indexOf(c);
        if (at < 0 || c === ':') {
          this.io.stderr(`${this.appname}: invalid option -- '${c}'\n`);
          this.usage();
          return 0;
        }
        let optarg: string | undefined;
        if (OPTSTRING[at + 1] === ':') {
          if (j + 1 < a.length) optarg = a.slice(j + 1);
          else if (i + 1 < args.length) optarg = args[++i];
          else {
            this.io.stderr(`${this.appname}: option requires an argument -- '${c}'\n`);
            this.usage();
            return 0;
          }
          j = a.length;
        }
        const stop = this.option(c, optarg ?? '');
        if (stop !== undefined) return stop;
      }
    }
    if (rest.length < 1) {
      this.usage();
      return 0;
    }
    const ret = this.cmd(rest);
    if (ret === 255) this.usage();
    return ret;
  }

  private option(c: string, arg: string): number | undefined {
    const ctx = this.ctx;
    switch (c) {
      case 'c':
        ctx.confDir = arg;
        break;
      case 'd':
        this.delimiter = arg;
        break;
      case 'f': {
        if (this.inputFile !== undefined) {
          this.cliError('Too many input files.\n');
          return 1;
        }
        const r = this.io.readInputFile(arg);
        if ('error' in r) {
          this.cliError(`uci: ${r.error}`);
          return 1;
        }
        this.inputFile = arg;
        this.input = r.data;
        break;
      }
      case 'm':
        this.merge = true;
        break;
      case 's':
        ctx.strict = true;
        break;
      case 'S':
        ctx.strict = false;
        ctx.perror = true;
        break;
      case 'n':
        ctx.exportName = true;
        break;
      case 'N':
        ctx.exportName = false;
        break;
      case 'p':
        if (!ctx.deltaPaths.includes(arg)) ctx.deltaPaths.push(arg);
        break;
      case 'P':
        if (!ctx.deltaPaths.includes(ctx.saveDir)) ctx.deltaPaths.push(ctx.saveDir);
        ctx.saveDir = arg;
        this.noCommit = true;
        break;
      case 't':
        ctx.deltaPaths = ctx.deltaPaths.filter((d) => d !== arg);
        ctx.saveDir = arg;
        break;
      case 'q':
        this.quiet = true;
        break;
      case 'X':
        this.showExt = false;
        break;
      default:
        // -C (override dir) and -L are accepted; the lab has no override configs
        break;
    }
    return undefined;
  }

  private cmd(argv: string[]): number {
    const name = asciiLower(argv[0] as string);
    if (name === 'batch' && !this.inBatch) return this.batch();
    const cmd = COMMANDS[name];
    switch (cmd) {
      case undefined:
        return 255;
      case 'show':
      case 'changes':
      case 'export':
      case 'commit':
        return this.packageCmds(cmd, argv);
      case 'import':
        return this.doImport(argv);
      case 'add':
        return this.doAdd(argv);
      case 'help':
        this.usage();
        return 0;
      default:
        return this.sectionCmd(cmd, argv);
    }
  }

  // ---- output ----

  private printValue(v: string): string {
    return quoteValue(v);
  }

  private showValue(o: OptionNode, quote: boolean): void {
    if (o.kind === 'string') {
      this.io.stdout(`${quote ? this.printValue(o.value) : o.value}\n`);
      return;
    }
    const parts = o.items.map((item) =>
      !/[ \t\r\n]/.test(item) && !quote ? item : this.printValue(item),
    );
    this.io.stdout(`${parts.join(this.delimiter)}\n`);
  }

  private showOption(p: PackageNode, s: SectionNode, o: OptionNode, ref: string | undefined): void {
    this.io.stdout(`${p.name}.${ref ?? s.name}.${o.name}=`);
    this.showValue(o, true);
  }

  private showSection(p: PackageNode, s: SectionNode, ref: string | undefined): void {
    this.io.stdout(`${p.name}.${ref ?? s.name}=${s.type}\n`);
    for (const o of s.options) this.showOption(p, s, o, ref);
  }

  private showPackage(p: PackageNode): void {
    const counters = new Map<string, number>();
    for (const s of p.sections) {
      let ref = s.name;
      if (this.showExt) {
        const idx = counters.get(s.type) ?? 0;
        if (s.anonymous) ref = `@${s.type}[${idx}]`;
        counters.set(s.type, idx + 1);
      }
      this.showSection(p, s, ref);
    }
  }

  private showChanges(p: PackageNode): void {
    for (const d of p.savedDelta) {
      let line = `${d.cmd === 'remove' ? '-' : ''}${p.name}.${d.section}`;
      if (d.option !== undefined) line += `.${d.option}`;
      if (d.cmd !== 'remove') {
        const op = d.cmd === 'list_add' ? '+=' : d.cmd === 'list_del' ? '-=' : '=';
        line += op + this.printValue(d.value ?? '');
      }
      this.io.stdout(`${line}\n`);
    }
  }

  // ---- commands ----

  private packageCmd(cmd: PackageCmd, tuple: string): number {
    let ptr: Ptr;
    try {
      ptr = this.ctx.lookup(tuple);
    } catch (e) {
      this.perror(e);
      return 1;
    }
    const p = ptr.p as PackageNode;
    try {
      switch (cmd) {
        case 'changes':
          this.showChanges(p);
          break;
        case 'commit':
          if (this.noCommit) return 0;
          try {
            this.ctx.unload(this.ctx.commit(p, false));
          } catch (e) {
            this.perror(e);
            return 1;
          }
          break;
        case 'export':
          this.io.stdout(this.ctx.exportPackage(p, true));
          break;
        case 'show':
          if (!ptr.complete) {
            this.perror(new UciError(UCI_ERR.notfound));
            return 1;
          }
          if (ptr.last === 'package') this.showPackage(p);
          else if (ptr.last === 'section') this.showSection(p, ptr.s as SectionNode, undefined);
          else this.showOption(p, ptr.s as SectionNode, ptr.o as OptionNode, undefined);
          break;
      }
      return 0;
    } finally {
      this.ctx.unload(p);
    }
  }

  private packageCmds(cmd: PackageCmd, argv: string[]): number {
    if (argv.length > 2) return 255;
    if (argv.length === 2) return this.packageCmd(cmd, argv[1] as string);
    let configs: string[];
    try {
      configs = this.ctx.listConfigs();
    } catch (e) {
      this.perror(e);
      return 1;
    }
    for (const c of configs) this.packageCmd(cmd, c);
    return 0;
  }

  private doImport(argv: string[]): number {
    if (argv.length > 2) return 255;
    const name = argv[1];
    if (name === undefined && this.merge) return 255;
    let pkg: PackageNode | undefined;
    let merged = false;
    if (this.merge && name !== undefined) {
      try {
        pkg = this.ctx.load(name);
        merged = true;
      } catch {
        pkg = undefined;
      }
    }
    let failure: unknown;
    try {
      const result = this.ctx.importStream(this.inputSource(), name, pkg, name !== undefined);
      if (merged) {
        if (result) this.ctx.save(result);
      } else {
        for (const p of [...this.ctx.root]) {
          try {
            this.ctx.commit(p, true);
            failure = undefined;
          } catch (e) {
            failure = e;
          }
        }
      }
    } catch (e) {
      failure = e;
    }
    if (failure !== undefined) {
      this.perror(failure);
      return 1;
    }
    return 0;
  }

  private doAdd(argv: string[]): number {
    if (argv.length !== 3) return 255;
    try {
      const p = this.ctx.findLoaded(argv[1] as string) ?? this.ctx.load(argv[1] as string);
      const s = uciAddSection(p, argv[2] as string, false);
      this.ctx.save(p);
      this.io.stdout(`${s.name}\n`);
      return 0;
    } catch (e) {
      this.perror(e);
      return e instanceof UciError ? e.code : UCI_ERR.unknown;
    }
  }

  private sectionCmd(cmd: SectionCmd, argv: string[]): number {
    if (argv.length !== 2) return 255;
    let ptr: Ptr;
    try {
      ptr = this.ctx.lookup(argv[1] as string);
    } catch (e) {
      this.perror(e);
      return 1;
    }
    if (ptr.value !== undefined && !VALUE_CMDS.has(cmd)) return 1;
    let failure: unknown;
    try {
      switch (cmd) {
        case 'get':
          if (!ptr.complete) {
            this.perror(new UciError(UCI_ERR.notfound));
            return 1;
          }
          if (ptr.last === 'section') this.io.stdout(`${(ptr.s as SectionNode).type}\n`);
          else if (ptr.last === 'option') this.showValue(ptr.o as OptionNode, false);
          break;
        case 'rename':
          uciRename(ptr, false);
          break;
        case 'revert':
          this.ctx.revert(ptr);
          break;
        case 'set':
          uciSet(ptr, false);
          break;
        case 'add_list':
          uciAddList(ptr, false);
          break;
        case 'del_list':
          uciDelList(ptr, false);
          break;
        case 'reorder':
          if (!ptr.s || ptr.value === undefined) {
            this.perror(new UciError(UCI_ERR.notfound));
            return 1;
          }
          uciReorder(ptr.p as PackageNode, ptr.s, reorderPosition(ptr.value), false);
          break;
        case 'del':
          if (
            ptr.value !== undefined &&
            /[^ \t\n\r\v\f]/.test(ptr.value) &&
            scanInt(ptr.value) === undefined
          )
            return 1;
          uciDelete(ptr, false);
          break;
      }
    } catch (e) {
      if (!(e instanceof UciError)) throw e;
      failure = e;
    }
    if (cmd === 'get' || cmd === 'revert') return 0;
    if (failure === undefined) {
      try {
        this.ctx.save(ptr.p as PackageNode);
      } catch (e) {
        failure = e;
      }
    }
    if (failure !== undefined) {
      this.perror(failure);
      return 1;
    }
    return 0;
  }

  private batch(): number {
    this.inBatch = true;
    const source = this.inputSource();
    let pctx: ParseContext | undefined;
    const batchCmd = (): number => {
      const args: string[] = [];
      for (let i = 0; ; i++) {
        if (i === 4) {
          this.cliError('Too many arguments\n');
          return 1;
        }
        if (!pctx || this.ctx.pctx !== pctx) {
          pctx = new ParseContext(source);
          this.ctx.pctx = pctx;
        }
        let arg: string;
        try {
          arg = parseArgument(pctx, i === 0);
        } catch (e) {
          this.perror(e);
          args.length = 0;
          break;
        }
        if (arg === '') break;
        args.push(arg);
      }
      if (args.length === 0) return 0;
      if (asciiLower(args[0] as string) === 'exit') return 254;
      return this.cmd(args);
    };
    while (!source.eof) {
      const ret = batchCmd();
      if (ret === 254) return 0;
      if (ret === 255) this.cliError('Unknown command\n');
      this.ctx.unloadAll();
    }
    this.inBatch = false;
    return 0;
  }
}

/** Runs one `uci` invocation; argv excludes argv[0]. Returns the exit status. */
export function runUci(argv: string[], io: UciIo, appname = 'uci'): number {
  return new Cli(io, appname).main(argv) & 0xff;
}
