// Test-only loader for test/fixtures/uci-corpus (see its README). Not imported by app code.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const CORPUS_DIR = join(import.meta.dirname, '../../../../test/fixtures/uci-corpus/cases');

export interface CorpusCase {
  name: string;
  /** argv of each cmd.sh line after the leading `uci`. */
  lines: string[][];
  exits: number[];
  stdin?: Buffer;
  stdout: Buffer;
  stderr: Buffer;
  input: Map<string, Buffer>;
  inputDelta: Map<string, Buffer>;
  output: Map<string, Buffer>;
  outputDelta: Map<string, Buffer>;
}

function readFiles(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isFile()) out.set(name, readFileSync(path));
  }
  return out;
}

const ANSI_C: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

/** Bash word splitting for the quoting cmd.sh uses: '...', "...", $'...', backslash. */
export function splitBashWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let i = 0;
  const add = (s: string): void => {
    word = (word ?? '') + s;
  };
  while (i < line.length) {
    const c = line[i] as string;
    if (c === ' ' || c === '\t') {
      if (word !== undefined) words.push(word);
      word = undefined;
      i++;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated ' in ${line}`);
      add(line.slice(i + 1, end));
      i = end + 1;
    } else if (c === '$' && line[i + 1] === "'") {
      i += 2;
      let s = '';
      while (line[i] !== "'") {
        if (i >= line.length) throw new Error(`unterminated $' in ${line}`);
        if (line[i] === '\\') {
          const e = line[i + 1] as string;
          if (e === 'x') {
            const hex = /^[0-9a-fA-F]{1,2}/.exec(line.slice(i + 2))?.[0] ?? '';
            s += String.fromCharCode(parseInt(hex, 16));
            i += 2 + hex.length;
          } else if (/[0-7]/.test(e)) {
            const oct = /^[0-7]{1,3}/.exec(line.slice(i + 1))?.[0] ?? '';
            s += String.fromCharCode(parseInt(oct, 8));
            i += 1 + oct.length;
          } else {
            s += ANSI_C[e] ?? `\\${e}`;
            i += 2;
          }
        } else {
          s += line[i];
          i++;
        }
      }
      add(s);
      i++;
    } else if (c === '"') {
      i++;
      let s = '';
      while (line[i] !== '"') {
        if (i >= line.length) throw new Error(`unterminated " in ${line}`);
        if (line[i] === '$' || line[i] === '`') throw new Error(`expansion not supported: ${line}`);
        if (line[i] === '\\' && /[$`"\\]/.test(line[i + 1] ?? '')) i++;
        s += line[i];
        i++;
      }
      add(s);
      i++;
    } else if (c === '\\') {
      add(line[i + 1] ?? '');
      i += 2;
    } else if (/[$`|&;<>(){}*?[~]/.test(c) && c !== '[') {
      throw new Error(`shell syntax not supported: ${line}`);
    } else {
      add(c);
      i++;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

export function loadCorpus(): CorpusCase[] {
  return readdirSync(CORPUS_DIR)
    .sort()
    .map((name) => {
      const dir = join(CORPUS_DIR, name);
      const cmd = readFileSync(join(dir, 'cmd.sh'), 'utf8');
      const lines = cmd
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => {
          const words = splitBashWords(l);
          if (words[0] !== 'uci') throw new Error(`${name}: not a uci line: ${l}`);
          return words.slice(1);
        });
      const exits = readFileSync(join(dir, 'exit.txt'), 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map(Number);
      const stdinPath = join(dir, 'stdin.txt');
      const c: CorpusCase = {
        name,
        lines,
        exits,
        stdout: readFileSync(join(dir, 'stdout.txt')),
        stderr: readFileSync(join(dir, 'stderr.txt')),
        input: readFiles(join(dir, 'input')),
        inputDelta: readFiles(join(dir, 'input/delta')),
        output: readFiles(join(dir, 'output')),
        outputDelta: readFiles(join(dir, 'output/delta')),
      };
      if (existsSync(stdinPath)) c.stdin = readFileSync(stdinPath);
      return c;
    });
}

const READ_ONLY = new Set(['show', 'get', 'export', 'changes', 'help']);
const SILENT_ON_SUCCESS = new Set([
  'set',
  'delete',
  'del',
  'add_list',
  'del_list',
  'rename',
  'ren',
  'reorder',
  'revert',
  'commit',
]);

/** The command word of a line, after uci's own options (`-q`, `-X`, `-d STR`, ...). */
export function commandOf(argv: readonly string[]): {
  cmd: string;
  args: string[];
  opts: string[];
} {
  const opts: string[] = [];
  let i = 0;
  while (i < argv.length && (argv[i] as string).startsWith('-')) {
    const o = argv[i] as string;
    opts.push(o);
    i += /^-[cdfpPt]$/.test(o) ? 2 : 1;
  }
  return { cmd: (argv[i] ?? '').toLowerCase(), args: argv.slice(i + 1), opts };
}

export function isReadOnly(argv: readonly string[]): boolean {
  const { cmd } = commandOf(argv);
  return READ_ONLY.has(cmd) || cmd === '' || !knownCommand(cmd);
}

function knownCommand(cmd: string): boolean {
  return (
    READ_ONLY.has(cmd) || SILENT_ON_SUCCESS.has(cmd) || ['add', 'batch', 'import'].includes(cmd)
  );
}

/** True when the line prints nothing on stdout (uci writes its errors to stderr). */
export function printsNothing(argv: readonly string[]): boolean {
  return SILENT_ON_SUCCESS.has(commandOf(argv).cmd);
}
