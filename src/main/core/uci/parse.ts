import type { UciConfig, UciSection } from './model';
import { findOption, isValidUciPackageName, isValidUciName, isValidUciType } from './model';

// A byte-level re-implementation of libuci's file tokenizer (file.c: uci_getln, parse_str,
// next_arg, uci_parse_line). It keeps libuci's line buffer, its in-place NUL writes and its
// fgets-driven line reading, because the reported `line`/`byte` of a parse error and some odd
// corners (`;` after a word, a backslash before a newline, a keyword alone on its line) depend
// on exactly those mechanics.

export type UciParseErrorReason =
  | 'invalid command'
  | "EOF with unterminated '"
  | 'EOF with unterminated "'
  | 'option/list command found before the first section'
  | 'invalid character in name field'
  | 'invalid character in type field'
  | 'too many arguments'
  | 'insufficient arguments'
  | 'section of different type overwrites prior section with same name'
  | 'package without name'
  | 'config without name'
  | 'option without name';

export interface UciParseError {
  kind: 'error';
  reason: UciParseErrorReason;
  /** As uci prints it after `uci: `: `Parse error (REASON) at line L, byte B`. */
  message: string;
  /** Count of newline-terminated lines read when the error was found (libuci's counter). */
  line: number;
  /** Offset into libuci's line buffer (the current line, joined with continuation lines). */
  byte: number;
}

export type UciParseResult = { kind: 'ok'; config: UciConfig } | UciParseError;

const LINEBUF = 32;
const NL = 10;
const CR = 13;

// Internal control flow only (libuci longjmps the same way); parse functions return data.
class ParseFailure extends Error {
  constructor(
    readonly reason: UciParseErrorReason,
    readonly line: number,
    readonly byte: number,
  ) {
    super(reason);
  }
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** fgets(3) over an in-memory byte string. */
class ByteStream {
  private at = 0;
  eof = false;

  constructor(private readonly bytes: Uint8Array) {}

  /** Reads at most n - 1 bytes, stopping after a newline; null at end of input. */
  fgets(n: number): number[] | null {
    if (this.at >= this.bytes.length) {
      this.eof = true;
      return null;
    }
    const out: number[] = [];
    while (out.length < n - 1) {
      if (this.at >= this.bytes.length) {
        this.eof = true;
        break;
      }
      const b = this.bytes[this.at++] as number;
      out.push(b);
      if (b === NL) break;
    }
    return out;
  }
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export class UciTokenizer {
  private buf: number[] = [];
  private bufsz = 0;
  private filled = 0;
  pos = 0;
  line = 0;

  constructor(readonly stream: ByteStream) {}

  static fromInput(input: string | Uint8Array): UciTokenizer {
    return new UciTokenizer(
      new ByteStream(typeof input === 'string' ? encoder.encode(input) : input),
    );
  }

  get eof(): boolean {
    return this.stream.eof;
  }

  ch(i: number): number {
    return this.buf[i] ?? 0;
  }

  fail(reason: UciParseErrorReason): never {
    throw new ParseFailure(reason, this.line, this.pos);
  }

  /** uci_getln: read one more line into the buffer at `offset`. */
  getln(offset: number): void {
    if (this.bufsz === 0) this.bufsz = LINEBUF;
    if (offset >= this.bufsz - 1) this.bufsz *= 2;
    let ofs = offset;
    for (;;) {
      this.buf[ofs] = 0;
      const chunk = this.stream.fgets(this.bufsz - ofs);
      if (!chunk) return;
      for (let i = 0; i < chunk.length; i++) this.buf[ofs + i] = chunk[i] as number;
      this.buf[ofs + chunk.length] = 0;
      if (chunk.length === 0 || chunk[0] === 0) return;
      let len = 0;
      while (this.ch(ofs + len) !== 0) len++;
      ofs += len;
      this.filled = ofs;
      if (this.ch(ofs - 1) === NL) {
        this.line++;
        return;
      }
      this.bufsz *= 2;
    }
  }

  str(at: number): string {
    let end = at;
    while (this.ch(end) !== 0) end++;
    return decoder.decode(Uint8Array.from(this.buf.slice(at, end)));
  }

  private strlen(at: number): number {
    let end = at;
    while (this.ch(end) !== 0) end++;
    return end - at;
  }

  skipWhitespace(): void {
    while (this.ch(this.pos) !== 0 && isSpace(this.ch(this.pos))) this.pos++;
  }

  /** Returns false when a backslash ended the line and the next line was joined on. */
  private parseBackslash(): boolean {
    this.pos++;
    const c = this.ch(this.pos);
    if (
      c === 0 ||
      c === NL ||
      (c === CR && this.ch(this.pos + 1) === NL && this.ch(this.pos + 2) === 0)
    ) {
      this.getln(this.pos);
      return false;
    }
    return true;
  }

  private addc(target: { at: number }): void {
    this.buf[target.at] = this.ch(this.pos);
    target.at++;
    this.pos++;
  }

  private parseDoubleQuote(target: { at: number }): void {
    this.pos++;
    for (;;) {
      const c = this.ch(this.pos);
      if (c === 34) {
        this.pos++;
        return;
      }
      if (c === 0) {
        this.getln(this.pos);
        if (this.ch(this.pos) === 0) this.fail('EOF with unterminated "');
        continue;
      }
      if (c === 92 && !this.parseBackslash()) continue;
      this.addc(target);
    }
  }

  private parseSingleQuote(target: { at: number }): void {
    this.pos++;
    for (;;) {
      const c = this.ch(this.pos);
      if (c === 39) {
        this.pos++;
        return;
      }
      if (c === 0) {
        this.getln(this.pos);
        if (this.ch(this.pos) === 0) this.fail("EOF with unterminated '");
        continue;
      }
      this.addc(target);
    }
  }

  private parseStr(target: { at: number }): void {
    let next = true;
    loop: for (;;) {
      const c = this.ch(this.pos);
      switch (c) {
        case 39:
          this.parseSingleQuote(target);
          break;
        case 34:
          this.parseDoubleQuote(target);
          break;
        case 35:
          this.buf[this.pos] = 0;
          break loop;
        case 0:
          break loop;
        case 59:
          next = false;
          break loop;
        case 92:
          if (this.parseBackslash()) this.addc(target);
          break;
        default:
          this.addc(target);
      }
      const cur = this.ch(this.pos);
      if (cur === 0 || isSpace(cur)) break;
    }
    if (this.ch(this.pos) !== 0 && next) this.pos++;
    this.buf[target.at] = 0;
  }

  /** next_arg: returns the buffer offset of the (NUL-terminated) argument. */
  nextArg(required: boolean, name: false | 'name' | 'package'): number {
    this.skipWhitespace();
    const val = this.pos;
    const target = { at: val };
    if (this.ch(this.pos) === 59) {
      this.buf[this.pos] = 0;
      this.pos++;
    } else {
      this.parseStr(target);
    }
    if (this.ch(val) === 0) {
      if (required) this.fail('insufficient arguments');
      return val;
    }
    if (name) {
      const s = this.str(val);
      const ok = name === 'package' ? isValidUciPackageName(s) : isValidUciName(s);
      if (!ok) this.fail('invalid character in name field');
    }
    return val;
  }

  assertEol(): void {
    this.skipWhitespace();
    const extra = this.nextArg(false, false);
    if (this.ch(extra) !== 0) this.fail('too many arguments');
  }

  /** strtok(cur, " \t"): offset of the next word, NUL-terminated in place, or -1. */
  strtok(): number {
    let i = this.pos;
    while (this.ch(i) === 32 || this.ch(i) === 9) i++;
    if (this.ch(i) === 0) return -1;
    const start = i;
    while (this.ch(i) !== 0 && this.ch(i) !== 32 && this.ch(i) !== 9) i++;
    if (this.ch(i) !== 0) this.buf[i] = 0;
    return start;
  }

  /** uci_increase_pos past the command word (strlen + its terminating NUL). */
  skipCommandWord(): boolean {
    const add = this.strlen(this.pos) + 1;
    if (this.pos + add > this.filled) return false;
    this.pos += add;
    return true;
  }

  readLine(): void {
    this.pos = 0;
    this.getln(0);
  }
}

function toError(f: ParseFailure): UciParseError {
  return {
    kind: 'error',
    reason: f.reason,
    message: `Parse error (${f.reason}) at line ${f.line}, byte ${f.byte}`,
    line: f.line,
    byte: f.byte,
  };
}

class ConfigBuilder {
  readonly config: UciConfig = { sections: [] };
  private section: UciSection | undefined;

  constructor(private readonly t: UciTokenizer) {}

  parseLine(): void {
    const t = this.t;
    t.skipWhitespace();
    for (;;) {
      const at = t.strtok();
      if (at < 0) return;
      const word = t.str(at);
      const first = word[0];
      const rest = word.slice(1);
      if (first === '#') return;
      if (first === 'p' && (rest === '' || rest === 'ackage')) this.parsePackage();
      else if (first === 'c' && (rest === '' || rest === 'onfig')) this.parseConfig();
      else if (first === 'o' && (rest === '' || rest === 'ption')) this.parseOption(false);
      else if (first === 'l' && (rest === '' || rest === 'ist')) this.parseOption(true);
      else t.fail('invalid command');
    }
  }

  // Inside a config file the package line is checked and then ignored: the file name wins.
  private parsePackage(): void {
    const t = this.t;
    if (!t.skipCommandWord()) t.fail('package without name');
    t.nextArg(true, 'package');
    t.assertEol();
  }

  private parseConfig(): void {
    const t = this.t;
    if (!t.skipCommandWord()) t.fail('config without name');
    const typeAt = t.nextArg(true, false);
    if (!isValidUciType(t.str(typeAt))) t.fail('invalid character in type field');
    const nameAt = t.nextArg(false, 'name');
    t.assertEol();
    const type = t.str(typeAt);
    const name = t.str(nameAt);
    if (name === '') {
      this.section = { type, options: [] };
      this.config.sections.push(this.section);
      return;
    }
    const existing = this.config.sections.find((s) => s.name === name);
    if (existing) {
      if (existing.type !== type) {
        t.fail('section of different type overwrites prior section with same name');
      }
      this.section = existing;
      return;
    }
    this.section = { type, name, options: [] };
    this.config.sections.push(this.section);
  }

  private parseOption(list: boolean): void {
    const t = this.t;
    const section = this.section;
    if (!section) return t.fail('option/list command found before the first section');
    if (!t.skipCommandWord()) t.fail('option without name');
    const nameAt = t.nextArg(true, 'name');
    const valueAt = t.nextArg(false, false);
    t.assertEol();
    const name = t.str(nameAt);
    const value = t.str(valueAt);
    if (list) addListItem(section, name, value);
    // libuci's parser calls uci_set without a completed lookup, so an empty value is a no-op
    // (it neither creates nor deletes the option).
    else if (value !== '') setOption(section, name, value);
  }
}

/** uci_set on an option: replaces in place, keeping the option's position. */
export function setOption(section: UciSection, name: string, value: string): void {
  const existing = findOption(section, name);
  if (existing) existing.value = value;
  else section.options.push({ name, value });
}

/** uci_add_list: a plain option becomes a list that keeps the old value first, in place. */
export function addListItem(section: UciSection, name: string, value: string): void {
  const existing = findOption(section, name);
  if (!existing) section.options.push({ name, value: [value] });
  else if (Array.isArray(existing.value)) existing.value.push(value);
  else existing.value = [existing.value, value];
}

/**
 * Parses one config file as `uci` loads it from /etc/config (strict mode, the default):
 * comments and quoting styles are dropped, same-name sections merge.
 */
export function parseUci(input: string | Uint8Array): UciParseResult {
  const t = UciTokenizer.fromInput(input);
  const builder = new ConfigBuilder(t);
  try {
    while (!t.eof) {
      t.readLine();
      if (t.ch(0) !== 0) builder.parseLine();
    }
  } catch (e) {
    if (e instanceof ParseFailure) return toError(e);
    throw e;
  }
  return { kind: 'ok', config: builder.config };
}

export type UciBatchParseResult =
  | { kind: 'ok'; commands: string[][] }
  | (UciParseError & { command: number })
  | { kind: 'error'; reason: 'too many arguments'; message: string; command: number };

const MAX_BATCH_ARGS = 4;

/**
 * Splits `uci batch` input into argument vectors the way uci's batch loop does: one command
 * per line (a quoted value may span lines), at most 3 arguments, `#` comments, `exit` stops.
 * Line numbers in errors count from the start of the input (uci restarts its counter after
 * each command that loads a config, so its own messages may show smaller numbers).
 */
export function parseUciBatch(input: string | Uint8Array): UciBatchParseResult {
  const t = UciTokenizer.fromInput(input);
  const commands: string[][] = [];
  while (!t.eof) {
    const argv: string[] = [];
    t.readLine();
    for (;;) {
      if (argv.length === MAX_BATCH_ARGS) {
        return {
          kind: 'error',
          reason: 'too many arguments',
          message: 'Too many arguments',
          command: commands.length,
        };
      }
      let at: number;
      try {
        at = t.nextArg(false, false);
      } catch (e) {
        if (e instanceof ParseFailure) return { ...toError(e), command: commands.length };
        throw e;
      }
      const arg = t.str(at);
      if (arg === '') break;
      argv.push(arg);
    }
    if (argv.length === 0) continue;
    if ((argv[0] as string).toLowerCase() === 'exit') break;
    commands.push(argv);
  }
  return { kind: 'ok', commands };
}
