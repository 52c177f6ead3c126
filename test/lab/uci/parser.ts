// Strings in this module are "byte strings": one char per byte (latin1), so that values are kept
// byte for byte and the anonymous-section hash sees the same bytes as OpenWrt's C code.

export const UCI_ERR = {
  ok: 0,
  mem: 1,
  inval: 2,
  notfound: 3,
  io: 4,
  parse: 5,
  duplicate: 6,
  unknown: 7,
} as const;

const ERROR_TEXT = [
  'Success',
  'Out of memory',
  'Invalid argument',
  'Entry not found',
  'I/O error',
  'Parse error',
  'Duplicate entry',
  'Unknown error',
];

export class UciError extends Error {
  constructor(readonly code: number) {
    super(ERROR_TEXT[code] ?? 'Unknown error');
  }
}

export function errorText(code: number): string {
  return ERROR_TEXT[code] ?? 'Unknown error';
}

/** Line source with C stdio semantics: lines keep their '\n'; eof is set once a read hits the end. */
export class LineSource {
  private offset = 0;
  eof = false;

  constructor(private readonly data: string) {}

  nextLine(): string | undefined {
    if (this.offset >= this.data.length) {
      this.eof = true;
      return undefined;
    }
    const nl = this.data.indexOf('\n', this.offset);
    const end = nl < 0 ? this.data.length : nl + 1;
    const line = this.data.slice(this.offset, end);
    this.offset = end;
    if (nl < 0) this.eof = true;
    return line;
  }
}

export function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';
}

function isAlnum(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

export function validateStr(str: string, name: boolean, pkg: boolean): boolean {
  if (str.length === 0) return false;
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i);
    if (c === 0) break;
    if (isAlnum(c) || c === 95) continue;
    if (c === 45 && pkg) continue;
    if (name || c < 33 || c > 126) return false;
  }
  return true;
}

export const validatePackage = (s: string): boolean => validateStr(s, false, true);
export const validateType = (s: string): boolean => validateStr(s, false, false);
export const validateName = (s: string): boolean => validateStr(s, true, false);

export function validateText(str: string): boolean {
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i);
    if (c < 32 && c !== 9 && c !== 10 && c !== 13) return false;
  }
  return true;
}

/**
 * The tokenizer state of a uci parse: a line buffer that is edited in place the way the C parser
 * does (quotes are compacted into the buffer, NULs terminate tokens), which decides the odd cases
 * such as text after ';' and the reported byte offsets.
 */
export class ParseContext {
  buf: string[] = [];
  pos = 0;
  bufFilled = 0;
  line = 0;
  reason: string | undefined;
  byte = 0;

  constructor(readonly source: LineSource) {}

  at(i: number): string {
    const c = this.buf[i];
    return c === undefined || c === '\0' ? '' : c;
  }

  cur(): string {
    return this.at(this.pos);
  }

  set(i: number, c: string): void {
    while (this.buf.length < i) this.buf.push('\0');
    this.buf[i] = c;
  }

  /** C string starting at i (up to the first NUL). */
  str(i: number): string {
    let out = '';
    for (let j = i; j < this.buf.length; j++) {
      const c = this.buf[j];
      if (c === undefined || c === '\0') break;
      out += c;
    }
    return out;
  }

  getln(offset: number): void {
    this.buf.length = Math.min(this.buf.length, offset);
    const line = this.source.nextLine();
    if (line === undefined || line.length === 0) return;
    while (this.buf.length < offset) this.buf.push('\0');
    for (const ch of line) this.buf.push(ch);
    this.bufFilled = this.buf.length;
    if (line.endsWith('\n')) this.line++;
  }

  error(reason: string): never {
    this.reason = reason;
    this.byte = this.pos;
    throw new UciError(UCI_ERR.parse);
  }

  skipWhitespace(): void {
    while (this.cur() !== '' && isSpace(this.cur())) this.pos++;
  }

  private backslash(): boolean {
    this.pos++;
    const c = this.cur();
    if (
      c === '' ||
      c === '\n' ||
      (c === '\r' && this.at(this.pos + 1) === '\n' && this.at(this.pos + 2) === '')
    ) {
      this.getln(this.pos);
      return false;
    }
    return true;
  }

  private addc(target: { i: number }): void {
    this.set(target.i, this.at(this.pos));
    target.i++;
    this.pos++;
  }

  private doubleQuote(target: { i: number }): void {
    this.pos++;
    for (;;) {
      const c = this.cur();
      if (c === '"') {
        this.pos++;
        return;
      }
      if (c === '') {
        this.getln(this.pos);
        if (this.cur() === '') this.error('EOF with unterminated "');
        continue;
      }
      if (c === '\\' && !this.backslash()) continue;
      this.addc(target);
    }
  }

  private singleQuote(target: { i: number }): void {
    this.pos++;
    for (;;) {
      const c = this.cur();
      if (c === "'") {
        this.pos++;
        return;
      }
      if (c === '') {
        this.getln(this.pos);
        if (this.cur() === '') this.error("EOF with unterminated '");
        continue;
      }
      this.addc(target);
    }
  }

  private parseStr(target: { i: number }): void {
    let next = true;
    loop: do {
      const c = this.cur();
      switch (c) {
        case "'":
          this.singleQuote(target);
          break;
        case '"':
          this.doubleQuote(target);
          break;
        case '#':
          this.set(this.pos, '\0');
          break loop;
        case '':
          break loop;
        case ';':
          next = false;
          break loop;
        case '\\':
          if (!this.backslash()) continue;
          this.addc(target);
          break;
        default:
          this.addc(target);
      }
    } while (this.cur() !== '' && !isSpace(this.cur()));
    if (this.cur() !== '' && next) this.pos++;
    this.set(target.i, '\0');
  }

  /** Returns the buffer offset of the parsed argument (read it with str()). */
  nextArg(required: boolean, name: boolean, pkg: boolean): number {
    this.skipWhitespace();
    const val = this.pos;
    const target = { i: this.pos };
    if (this.cur() === ';') {
      this.set(this.pos, '\0');
      this.pos++;
    } else {
      this.parseStr(target);
    }
    const s = this.str(val);
    if (s === '') {
      if (required) this.error('insufficient arguments');
      return val;
    }
    if (name && !validateStr(s, name, pkg)) this.error('invalid character in name field');
    return val;
  }

  /** strtok(cur, " \t") without moving pos: returns [start, word] or undefined. */
  strtok(): { start: number; word: string } | undefined {
    let i = this.pos;
    while (this.at(i) === ' ' || this.at(i) === '\t') i++;
    if (this.at(i) === '') return undefined;
    let word = '';
    let j = i;
    while (this.at(j) !== '' && this.at(j) !== ' ' && this.at(j) !== '\t') word += this.at(j++);
    if (this.at(j) !== '') this.set(j, '\0');
    return { start: i, word };
  }

  increasePos(add: number): boolean {
    if (this.pos + add > this.bufFilled) return false;
    this.pos += add;
    return true;
  }
}

/** uci_parse_argument: one argument of a batch/delta line; str === undefined starts a new line. */
export function parseArgument(pctx: ParseContext, fresh: boolean): string {
  if (fresh) {
    pctx.pos = 0;
    pctx.getln(0);
  }
  return pctx.str(pctx.nextArg(false, false, false));
}

export function latin1ToUtf8(s: string): string {
  return Buffer.from(s, 'latin1').toString('utf8');
}

export function utf8ToLatin1(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1');
}
