import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildLabTools } from '../build';
import { readUciConfig, runUci } from './index';
import { latin1ToUtf8, utf8ToLatin1 } from './parser';

let root = '';
let conf = '';
let delta = '';

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'uci-cli-'));
  conf = join(root, 'conf');
  delta = join(root, 'delta');
  mkdirSync(conf);
  mkdirSync(delta);
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

/** In-process run with UTF-8 text in and out. */
function uci(args: string[], stdin = ''): { out: string; err: string; code: number } {
  let out = '';
  let err = '';
  const code = runUci(['-c', conf, '-t', delta, ...args].map(utf8ToLatin1), {
    readStdin: () => utf8ToLatin1(stdin),
    readInputFile: () => ({ error: 'unused' }),
    stdout: (s) => {
      out += s;
    },
    stderr: (s) => {
      err += s;
    },
  });
  return { out: latin1ToUtf8(out), err: latin1ToUtf8(err), code };
}

const NASTY = [
  'it\'s "quoted"',
  '  spaces  around  ',
  'dollar $HOME and $(id) and `uname`',
  'tab\there',
  'two\nlines\n',
  'back\\slash # not a comment; nor a split',
  '中文网络 📶',
];

describe('uci cli round trips', () => {
  it('set, commit and export keep awkward values byte for byte', () => {
    writeFileSync(join(conf, 'test'), "config main 'main'\n");
    NASTY.forEach((v, i) => expect(uci(['set', `test.main.v${i}=${v}`]).code).toBe(0));
    expect(uci(['commit', 'test']).code).toBe(0);
    NASTY.forEach((v, i) => expect(uci(['get', `test.main.v${i}`]).out).toBe(`${v}\n`));
    const options = readUciConfig(conf, 'test').sections[0]?.options;
    expect(options).toEqual(Object.fromEntries(NASTY.map((v, i) => [`v${i}`, v])));
    // the exported text parses back to the same config
    const exported = uci(['export', 'test']).out;
    expect(uci(['import', 'copy'], exported.replace('package test', 'package copy')).code).toBe(0);
    expect(readUciConfig(conf, 'copy').sections).toEqual(readUciConfig(conf, 'test').sections);
  });

  it('shows staged changes until revert, and readUciConfig sees them only with the delta dir', () => {
    writeFileSync(join(conf, 'network'), "config interface 'lan'\n\toption proto 'static'\n");
    uci(['set', 'network.lan.proto=dhcp']);
    uci(['add_list', 'network.lan.dns=1.1.1.1']);
    expect(uci(['changes']).out).toBe("network.lan.proto='dhcp'\nnetwork.lan.dns+='1.1.1.1'\n");
    expect(readUciConfig(conf, 'network').sections[0]?.options).toEqual({ proto: 'static' });
    expect(readUciConfig(conf, 'network', delta).sections[0]?.options).toEqual({
      proto: 'dhcp',
      dns: ['1.1.1.1'],
    });
    expect(uci(['revert', 'network']).code).toBe(0);
    expect(uci(['changes']).out).toBe('');
    expect(uci(['get', 'network.lan.proto']).out).toBe('static\n');
    expect(readFileSync(join(conf, 'network'), 'utf8')).toBe(
      "config interface 'lan'\n\toption proto 'static'\n",
    );
  });

  it('applies a batch with anonymous sections, multi-line values and a failing line', () => {
    writeFileSync(join(conf, 'network'), '');
    const script = [
      'set network.wg0=interface',
      "set network.wg0.private_key='abc='",
      'add network wireguard_wg0',
      "set network.@wireguard_wg0[-1].description='multi",
      "line'",
      "add_list network.@wireguard_wg0[-1].allowed_ips='10.0.31.1/32'",
      'set network.nosuch.x=1',
      'commit network',
      '',
    ].join('\n');
    const r = uci(['batch'], script);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^cfg02[0-9a-f]{4}\n$/);
    expect(r.err).toBe('uci: Invalid argument\n');
    const cfg = readUciConfig(conf, 'network');
    expect(cfg.sections.map((s) => [s.type, s.anonymous])).toEqual([
      ['interface', false],
      ['wireguard_wg0', true],
    ]);
    expect(cfg.sections[1]?.options).toEqual({
      description: 'multi\nline',
      allowed_ips: ['10.0.31.1/32'],
    });
    expect(readFileSync(join(delta, 'network'), 'utf8')).toBe('');
  });

  it('reports file parse errors with line and byte, and -S keeps going', () => {
    writeFileSync(join(conf, 'bad'), "config a 'x'\n\toption y '1'\nbogus\n\toption z '2'\n");
    expect(uci(['show', 'bad'])).toEqual({
      out: '',
      err: 'uci: Parse error (invalid command) at line 3, byte 0\n',
      code: 1,
    });
    expect(uci(['-S', 'show', 'bad'])).toEqual({
      out: "bad.x=a\nbad.x.y='1'\nbad.x.z='2'\n",
      err: 'Parse error (invalid command) at line 3, byte 0\n',
      code: 0,
    });
  });
});

describe('built uci binary', () => {
  it('is rebuilt only when sources change and passes argv bytes through unchanged', async () => {
    const bin = join(await buildLabTools(), 'uci');
    const before = statSync(bin).mtimeMs;
    await buildLabTools();
    expect(statSync(bin).mtimeMs).toBe(before);

    writeFileSync(join(conf, 'wireless'), "config wifi-iface 'ap'\n");
    const value = "Café 'x' $(y) `z`\nend";
    execFileSync(bin, ['-c', conf, '-t', delta, 'set', `wireless.ap.ssid=${value}`]);
    execFileSync(bin, ['-c', conf, '-t', delta, 'commit']);
    const got = spawnSync(bin, ['-c', conf, '-t', delta, 'get', 'wireless.ap.ssid']);
    expect(got.status).toBe(0);
    expect(got.stdout.toString('utf8')).toBe(`${value}\n`);
    expect(readFileSync(join(conf, 'wireless'), 'utf8')).toBe(
      `\nconfig wifi-iface 'ap'\n\toption ssid 'Café '\\''x'\\'' $(y) \`z\`\nend'\n\n`,
    );
  });
});
