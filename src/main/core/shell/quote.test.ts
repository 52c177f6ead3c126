import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canShQuote, shCommand, shQuote, ShellNulError } from './quote';

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sandbox = mkdtempSync(join(tmpdir(), 'homeward-quote-'));
const marker = join(sandbox, 'executed');
afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

// Pieces that mean something to a shell, plus text a person might type.
const PIECES = [
  "'",
  '"',
  '\\',
  '`',
  '$',
  '$(',
  ')',
  '${',
  '}',
  '$((1+1))',
  '$HOME',
  '$1',
  '$@',
  '$*',
  '$?',
  `$(touch ${marker})`,
  `\`touch ${marker}\``,
  `;touch ${marker}`,
  `|touch ${marker}`,
  `&& touch ${marker}`,
  "'\\''",
  '\\n',
  '\\',
  '\n',
  '\r',
  '\t',
  ' ',
  '  ',
  '!',
  '!!',
  '*',
  '?',
  '[a]',
  '~',
  '~root',
  ';',
  '|',
  '&',
  '>',
  '<',
  '>>',
  '(',
  ')',
  '{',
  '}',
  '#',
  '=',
  'a=b',
  '%',
  '^',
  '-',
  '--',
  '-n',
  '-e',
  'a',
  'Z',
  '9',
  '.',
  '/',
  'é',
  '中文',
  '📶',
  '🏠',
  '\u00a0',
  '\u200b',
  '\u2028',
  '\x01',
  '\x7f',
  '\x1b[31m',
];

function randomString(rand: () => number): string {
  const n = Math.floor(rand() * 10);
  let s = '';
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r < 0.8) s += PIECES[Math.floor(rand() * PIECES.length)];
    else if (r < 0.9) s += String.fromCodePoint(1 + Math.floor(rand() * 0xd7fe));
    else s += String.fromCodePoint(0x10000 + Math.floor(rand() * 0xfffff));
  }
  return s;
}

function fuzzValues(count: number, seed: number): string[] {
  const rand = mulberry32(seed);
  const values = ['', ' ', "'", "''", '\n', '-', 'plain', 'a b'];
  while (values.length < count) values.push(randomString(rand));
  return values;
}

/** Runs `printf '%s\0' <quoted>...` in batches and returns what the shell printed, per value. */
function roundTrip(shell: string[], values: string[]): Buffer[] {
  const out: Buffer[] = [];
  const batch = 200;
  for (let i = 0; i < values.length; i += batch) {
    const chunk = values.slice(i, i + batch);
    // Half the values go through one printf each (a word at the end of a command, before a
    // newline), the other half as many arguments of a single printf built with shCommand.
    const half = Math.floor(chunk.length / 2);
    const script =
      chunk
        .slice(0, half)
        .map((v) => `printf '%s\\0' ${shQuote(v)}`)
        .join('\n') +
      '\n' +
      shCommand(['printf', '%s\\0', ...chunk.slice(half)]) +
      '\n';
    const stdout = execFileSync(shell[0] as string, [...shell.slice(1), '-c', script], {
      maxBuffer: 64 * 1024 * 1024,
      cwd: sandbox,
      env: { PATH: '/usr/bin:/bin', LC_ALL: 'C' },
    });
    let start = 0;
    for (let k = 0; k < stdout.length; k++) {
      if (stdout[k] === 0) {
        out.push(stdout.subarray(start, k));
        start = k + 1;
      }
    }
  }
  return out;
}

const shells: Array<{ name: string; argv: string[]; present: boolean }> = [
  { name: '/bin/sh', argv: ['/bin/sh'], present: existsSync('/bin/sh') },
  { name: 'busybox ash', argv: ['/bin/busybox', 'ash'], present: existsSync('/bin/busybox') },
];

describe('shQuote through real shells', () => {
  const values = fuzzValues(4000, 0x5eed);

  for (const shell of shells) {
    it.skipIf(!shell.present && process.env['CI'] !== 'true')(
      `${shell.name} prints ${values.length} generated values byte for byte`,
      () => {
        const printed = roundTrip(shell.argv, values);
        expect(printed).toHaveLength(values.length);
        let mismatches = 0;
        printed.forEach((bytes, i) => {
          const expected = Buffer.from(values[i] as string, 'utf8');
          if (!bytes.equals(expected)) {
            mismatches++;
            expect(bytes.toString('utf8'), JSON.stringify(values[i])).toBe(values[i]);
          }
        });
        expect(mismatches).toBe(0);
        expect(readdirSync(sandbox)).toEqual([]);
      },
      60_000,
    );
  }
});

describe('shQuote', () => {
  it('leaves plain words alone and single-quotes everything else', () => {
    expect(shQuote('br-lan2')).toBe('br-lan2');
    expect(shQuote('/etc/config/network')).toBe('/etc/config/network');
    expect(shQuote('')).toBe("''");
    expect(shQuote('a b')).toBe("'a b'");
    expect(shQuote("it's")).toBe("'it'\\''s'");
    expect(shQuote('~')).toBe("'~'");
    expect(shQuote('a=b')).toBe("'a=b'");
    expect(shQuote('#x')).toBe("'#x'");
    expect(shCommand(['uci', 'get', 'wireless.@wifi-iface[0].ssid'])).toBe(
      "uci get 'wireless.@wifi-iface[0].ssid'",
    );
  });

  it('rejects NUL with a typed error', () => {
    expect(canShQuote('a\0b')).toBe(false);
    expect(canShQuote('ab')).toBe(true);
    expect(() => shQuote('a\0b')).toThrow(ShellNulError);
    let thrown: unknown;
    try {
      shCommand(['x', '\0']);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ShellNulError);
    expect(thrown).toMatchObject({ kind: 'nul-in-shell-argument', index: 0 });
  });
});
