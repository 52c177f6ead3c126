import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLabTools } from '../build';

const CORPUS = resolve(__dirname, '../../fixtures/uci-corpus/cases');
const cases = readdirSync(CORPUS).sort();

let bin = '';
let work = '';

beforeAll(async () => {
  bin = join(await buildLabTools(), 'uci');
  work = mkdtempSync(join(tmpdir(), 'uci-corpus-'));
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function regularFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => statSync(join(dir, n)).isFile())
    .sort();
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of regularFiles(dir)) out[n] = readFileSync(join(dir, n)).toString('latin1');
  return out;
}

function replay(name: string): void {
  const caseDir = join(CORPUS, name);
  const root = mkdtempSync(join(work, `${name}-`));
  const conf = join(root, 'conf');
  const delta = join(root, 'delta');
  const cwd = join(root, 'cwd');
  for (const d of [conf, delta, cwd]) mkdirSync(d);
  for (const f of regularFiles(join(caseDir, 'input')))
    copyFileSync(join(caseDir, 'input', f), join(conf, f));
  for (const f of regularFiles(join(caseDir, 'input', 'delta')))
    copyFileSync(join(caseDir, 'input', 'delta', f), join(delta, f));

  const stdinPath = join(caseDir, 'stdin.txt');
  const stdin = existsSync(stdinPath) ? readFileSync(stdinPath) : Buffer.alloc(0);
  const lines = readFileSync(join(caseDir, 'cmd.sh'), 'latin1')
    .split('\n')
    .filter((l) => l.trim() !== '');

  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  const codes: number[] = [];
  for (const line of lines) {
    const script = `uci() { command "$UCI_BIN" -c "$CONF" -t "$DELTA" "$@"; }\n${line}\n`;
    const r = spawnSync(
      'bash',
      ['--norc', '--noprofile', '-c', Buffer.from(script, 'latin1').toString('utf8')],
      {
        cwd,
        input: stdin,
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: cwd,
          LC_ALL: 'C',
          UCI_BIN: bin,
          CONF: conf,
          DELTA: delta,
        },
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    if (r.error) throw r.error;
    stdout.push(r.stdout);
    stderr.push(r.stderr);
    codes.push(r.status ?? -1);
  }

  const expected = (f: string): string => {
    const p = join(caseDir, f);
    return existsSync(p) ? readFileSync(p).toString('latin1') : '';
  };
  expect(Buffer.concat(stdout).toString('latin1'), 'stdout').toBe(expected('stdout.txt'));
  expect(Buffer.concat(stderr).toString('latin1'), 'stderr').toBe(expected('stderr.txt'));
  expect(codes.map((c) => `${c}\n`).join(''), 'exit codes').toBe(expected('exit.txt'));
  expect(snapshot(conf), 'config files').toEqual(snapshot(join(caseDir, 'output')));
  expect(snapshot(delta), 'delta files').toEqual(snapshot(join(caseDir, 'output', 'delta')));
}

describe('uci corpus replay (OpenWrt uci, recorded)', () => {
  for (const name of cases) it(name, () => replay(name));
});
