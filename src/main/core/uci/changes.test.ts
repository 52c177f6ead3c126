import { describe, expect, it } from 'vitest';
import {
  applyChanges,
  changeFromUciArgv,
  diffConfigs,
  renderUnifiedDiff,
  toUciBatch,
  type UciChange,
} from './changes';
import type { UciConfigs } from './model';
import { parseUci, parseUciBatch } from './parse';
import { exportUci, serializeUci } from './serialize';
import {
  commandOf,
  isReadOnly,
  loadCorpus,
  printsNothing,
  type CorpusCase,
} from './uci-corpus.test-support';

function parseOk(text: string | Uint8Array): UciConfigs[string] {
  const r = parseUci(text);
  if (r.kind !== 'ok') throw new Error(r.message);
  return r.config;
}

interface Replay {
  files: Map<string, string>;
  /** Every change that succeeded, in order. */
  applied: UciChange[];
  initial: UciConfigs;
  state: UciConfigs;
  exportChecks: number;
}

/**
 * Replays a case's cmd.sh through the change model the way the uci CLI would run it: each
 * mutating line becomes one change (its success or failure must match the recorded exit
 * status), `commit` writes serializeUci() of configs with pending changes, `batch` runs its
 * stdin through parseUciBatch. Returns undefined for cases using what the model leaves out
 * (import, revert, pending delta files, delete by list index, show/export options that change
 * the output).
 */
function replay(c: CorpusCase): Replay | undefined {
  if (c.inputDelta.size > 0) return undefined;
  let state: UciConfigs = {};
  const files = new Map<string, string>();
  for (const [name, bytes] of c.input) {
    const r = parseUci(bytes);
    if (r.kind !== 'ok') return undefined;
    state[name] = r.config;
    files.set(name, bytes.toString('utf8'));
  }
  const initial = state;
  const dirty = new Set<string>();
  const applied: UciChange[] = [];
  let exportChecks = 0;

  const commit = (only: string | undefined): void => {
    for (const name of [...dirty]) {
      if (only && only !== name) continue;
      const text = serializeUci(state[name] ?? { sections: [] });
      files.set(name, text);
      // uci reads the file back on its next run: same-name sections merge there.
      state = { ...state, [name]: parseOk(text) };
      dirty.delete(name);
    }
  };
  const run = (argv: string[]): 'ok' | 'error' | 'unsupported' => {
    const { cmd, args } = commandOf(argv);
    if (cmd === 'commit') {
      commit(args[0]);
      return 'ok';
    }
    const parsed = changeFromUciArgv([cmd, ...args]);
    if (parsed.kind === 'unsupported') return 'unsupported';
    if (parsed.kind === 'error') return 'error';
    const r = applyChanges(state, [parsed.change]);
    if (r.kind === 'error') return 'error';
    state = r.configs;
    applied.push(parsed.change);
    dirty.add(parsed.change.config);
    return 'ok';
  };

  for (let i = 0; i < c.lines.length; i++) {
    const argv = c.lines[i] as string[];
    const { cmd, args, opts } = commandOf(argv);
    if (cmd === 'export' && opts.every((o) => o === '-N') && args.length === 1) {
      if (c.lines.slice(i + 1).every(printsNothing) && c.exits[i] === 0) {
        const name = args[0] as string;
        const tail = exportUci(name, state[name] ?? { sections: [] });
        if (!c.stdout.toString('utf8').endsWith(tail)) throw new Error(`${c.name}: export differs`);
        exportChecks++;
      }
      continue;
    }
    if (isReadOnly(argv)) continue;
    if (cmd === 'batch') {
      const batch = parseUciBatch(c.stdin ?? Buffer.alloc(0));
      if (batch.kind !== 'ok') return undefined;
      for (const command of batch.commands) {
        if (isReadOnly(command)) continue;
        if (run(command) === 'unsupported') return undefined;
      }
      continue;
    }
    if (opts.some((o) => o !== '-q')) return undefined;
    const outcome = run(argv);
    if (outcome === 'unsupported') return undefined;
    const expected = c.exits[i] === 0 ? 'ok' : 'error';
    if (outcome !== expected)
      throw new Error(`${c.name} line ${i + 1}: ${outcome}, uci: ${expected}`);
  }
  return { files, applied, initial, state, exportChecks };
}

const corpus = loadCorpus();
const mutating = corpus.filter((c) => !c.lines.every(isReadOnly));

describe('applyChanges replays the corpus cases that change configs', () => {
  const results = mutating.map((c) => ({ c, r: replay(c) }));
  const supported = results.filter((x) => x.r !== undefined);

  it(`covers most mutating cases (${supported.length} of ${mutating.length}; skipped: ${results
    .filter((x) => !x.r)
    .map((x) => x.c.name)
    .join(', ')})`, () => {
    expect(supported.length).toBeGreaterThanOrEqual(30);
  });

  for (const { c, r } of supported) {
    it(`${c.name}: exit statuses, committed files${r?.exportChecks ? ', export output' : ''}`, () => {
      if (!r) throw new Error('unreachable');
      for (const [name, bytes] of c.output) {
        expect(r.files.get(name), `${name}`).toBe(bytes.toString('utf8'));
      }
    });
  }

  it('toUciBatch round-trips every replayed change list to the same result', () => {
    let lines = 0;
    for (const { c, r } of supported) {
      if (!r || r.applied.length === 0) continue;
      const batch = toUciBatch(r.applied);
      if (batch.kind !== 'ok') {
        // uci's `add` takes types with spaces (036-add-errors), which do not read back from the
        // committed file; toUciBatch refuses them on purpose.
        const refused = r.applied[batch.index];
        expect(refused?.kind === 'add' && / /.test(refused.type), c.name).toBe(true);
        continue;
      }
      const parsed = parseUciBatch(batch.text);
      if (parsed.kind !== 'ok') throw new Error(`${c.name}: ${parsed.message}`);
      const again = parsed.commands.map((argv) => {
        const x = changeFromUciArgv(argv);
        if (x.kind !== 'change') throw new Error(`${c.name}: ${argv.join(' ')}`);
        return x.change;
      });
      lines += again.length;
      const result = applyChanges(r.initial, again);
      if (result.kind !== 'ok') throw new Error(`${c.name}: ${result.message}`);
      // Compared as committed text: the replay state was read back after each commit.
      for (const [name, config] of Object.entries(r.state)) {
        expect(serializeUci(result.configs[name] ?? { sections: [] }), c.name).toBe(
          serializeUci(config),
        );
      }
    }
    expect(lines).toBeGreaterThan(50);
  });
});

describe('toUciBatch', () => {
  it('writes readable lines for the usual changes', () => {
    const r = toUciBatch(
      [
        { kind: 'add', config: 'network', section: 'wg0', type: 'interface' },
        { kind: 'set', config: 'network', section: 'wg0', option: 'proto', value: 'wireguard' },
        { kind: 'add', config: 'network', type: 'wireguard_wg0' },
        {
          kind: 'add_list',
          config: 'network',
          section: '@wireguard_wg0[-1]',
          option: 'allowed_ips',
          value: '0.0.0.0/0',
        },
        { kind: 'del_list', config: 'network', section: 'lan', option: 'dns', value: '1.1.1.1' },
        { kind: 'delete', config: 'network', section: 'wan', option: 'peerdns' },
        { kind: 'rename', config: 'network', section: '@device[0]', name: 'br_lan2' },
        { kind: 'reorder', config: 'network', section: 'wg0', position: 2 },
        { kind: 'set', config: 'wireless', section: 'w', option: 'ssid', value: "it's" },
      ],
      { commit: true },
    );
    expect(r).toEqual({
      kind: 'ok',
      text: [
        "set network.wg0='interface'",
        "set network.wg0.proto='wireguard'",
        'add network wireguard_wg0',
        "add_list network.@wireguard_wg0[-1].allowed_ips='0.0.0.0/0'",
        "del_list network.lan.dns='1.1.1.1'",
        'delete network.wan.peerdns',
        "rename network.@device[0]='br_lan2'",
        'reorder network.wg0=2',
        "set wireless.w.ssid='it'\\''s'",
        'commit network',
        'commit wireless',
        '',
      ].join('\n'),
    });
  });

  it('refuses what uci cannot store or address', () => {
    const bad: UciChange[] = [
      { kind: 'set', config: 'network', section: 'lan', option: 'x', value: 'a\u0000b' },
      { kind: 'set', config: 'network', section: 'lan', option: 'x', value: 'esc\u001b' },
      { kind: 'set', config: 'network', section: 'lan', option: 'bad-name', value: 'v' },
      { kind: 'set', config: 'network', section: 'bad name', option: 'x', value: 'v' },
      { kind: 'add', config: 'network', type: 'bad type' },
      { kind: 'set', config: 'net.work', section: 'lan', option: 'x', value: 'v' },
      { kind: 'rename', config: 'network', section: 'lan', name: 'a-b' },
    ];
    for (const change of bad)
      expect(toUciBatch([change]).kind, JSON.stringify(change)).toBe('error');
  });

  // Values a user can type into an SSID, password or description field.
  const ALPHABET = [
    "'",
    '"',
    '\\',
    '`',
    '$',
    '$(',
    ')',
    '${x}',
    '\n',
    '\t',
    '\r',
    '\r\n',
    ' ',
    '#',
    '=',
    ';',
    '.',
    '|',
    '&',
    '*',
    '?',
    '~',
    '!',
    '[',
    ']',
    '{',
    '}',
    '<',
    '>',
    "'\\''",
    '\\\n',
    'a',
    'Z',
    '0',
    'é',
    '中文',
    '📶',
    '\u00a0',
    '\u200b',
    'exit',
    'commit',
  ];

  function mulberry32(seed: number): () => number {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  it('carries 5000 generated values byte-exact through the batch tokenizer', () => {
    const rand = mulberry32(20261125);
    const values: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const n = Math.floor(rand() * 12);
      let v = '';
      for (let k = 0; k < n; k++) v += ALPHABET[Math.floor(rand() * ALPHABET.length)];
      values.push(v);
    }
    const changes: UciChange[] = values.map((value, i) =>
      i % 3 === 0
        ? { kind: 'add_list', config: 'wireless', section: '@wifi-iface[-1]', option: 'l', value }
        : { kind: 'set', config: 'wireless', section: 'w', option: `o${i}`, value },
    );
    const batch = toUciBatch(changes);
    if (batch.kind !== 'ok') throw new Error(batch.message);
    const parsed = parseUciBatch(batch.text);
    if (parsed.kind !== 'ok') throw new Error(parsed.message);
    expect(parsed.commands).toHaveLength(values.length);
    parsed.commands.forEach((argv, i) => {
      const x = changeFromUciArgv(argv);
      expect(
        x.kind === 'change' && 'value' in x.change && x.change.value,
        JSON.stringify(values[i]),
      ).toBe(values[i]);
    });
  });
});

describe('applyChanges', () => {
  const base = (): UciConfigs => ({
    network: parseOk(
      "config interface 'lan'\n\toption proto 'static'\n\tlist dns '1.1.1.1'\n\nconfig rule\n\toption a '1'\n\nconfig rule\n\toption a '2'\n",
    ),
  });

  it('is pure and follows uci for lists, empty values and anonymous references', () => {
    const before = base();
    const snapshot = JSON.stringify(before);
    const r = applyChanges(before, [
      { kind: 'add_list', config: 'network', section: 'lan', option: 'proto', value: 'x' },
      { kind: 'set', config: 'network', section: 'lan', option: 'dns', value: '9.9.9.9' },
      { kind: 'set', config: 'network', section: '@rule[-1]', option: 'a', value: '' },
      { kind: 'add', config: 'network', type: 'rule' },
      { kind: 'set', config: 'network', section: '@rule[-1]', option: 'b', value: 'new' },
      { kind: 'del_list', config: 'network', section: 'lan', option: 'missing', value: 'x' },
    ]);
    expect(JSON.stringify(before)).toBe(snapshot);
    if (r.kind !== 'ok') throw new Error(r.message);
    expect(serializeUci(r.configs.network!)).toBe(
      "\nconfig interface 'lan'\n\tlist proto 'static'\n\tlist proto 'x'\n\toption dns '9.9.9.9'\n\nconfig rule\n\toption a '1'\n\nconfig rule\n\nconfig rule\n\toption b 'new'\n\n",
    );
  });

  it('reports the failing change with uci error class', () => {
    expect(
      applyChanges(base(), [
        { kind: 'set', config: 'network', section: 'lan', option: 'x', value: '1' },
        { kind: 'delete', config: 'network', section: 'nosuch' },
      ]),
    ).toMatchObject({ kind: 'error', index: 1, reason: 'not-found' });
    expect(
      applyChanges(base(), [
        { kind: 'set', config: 'nosuch', section: 'a', option: 'b', value: 'c' },
      ]),
    ).toMatchObject({
      kind: 'error',
      reason: 'not-found',
    });
    expect(
      applyChanges(base(), [
        { kind: 'set', config: 'network', section: 'nosuch', option: 'b', value: 'c' },
      ]),
    ).toMatchObject({
      kind: 'error',
      reason: 'invalid',
    });
  });
});

describe('diffConfigs and renderUnifiedDiff', () => {
  const before: UciConfigs = {
    network: parseOk(
      "config interface 'lan'\n\toption ipaddr '192.168.1.1'\n\tlist dns '1.1.1.1'\n\nconfig rule\n\toption src 'lan'\n\nconfig interface 'wan'\n\toption proto 'dhcp'\n",
    ),
    wireless: parseOk("config wifi-iface 'w'\n\toption ssid 'old'\n"),
  };

  it('lists changed sections and options per config', () => {
    const r = applyChanges(before, [
      { kind: 'set', config: 'network', section: 'lan', option: 'ipaddr', value: '10.0.0.1' },
      { kind: 'add_list', config: 'network', section: 'lan', option: 'dns', value: '9.9.9.9' },
      { kind: 'delete', config: 'network', section: 'wan' },
      { kind: 'add', config: 'network', section: 'wg0', type: 'interface' },
      { kind: 'set', config: 'network', section: 'wg0', option: 'proto', value: 'wireguard' },
      { kind: 'set', config: 'network', section: '@rule[0]', value: 'forwarding' },
    ]);
    if (r.kind !== 'ok') throw new Error(r.message);
    expect(diffConfigs(before, r.configs)).toEqual([
      {
        config: 'network',
        status: 'changed',
        reordered: false,
        sections: [
          {
            ref: 'lan',
            type: 'interface',
            status: 'changed',
            options: [
              { name: 'ipaddr', before: '192.168.1.1', after: '10.0.0.1' },
              { name: 'dns', before: ['1.1.1.1'], after: ['1.1.1.1', '9.9.9.9'] },
            ],
          },
          {
            ref: '@forwarding[0]',
            type: 'forwarding',
            status: 'added',
            options: [{ name: 'src', after: 'lan' }],
          },
          {
            ref: 'wg0',
            type: 'interface',
            status: 'added',
            options: [{ name: 'proto', after: 'wireguard' }],
          },
          {
            ref: '@rule[0]',
            type: 'rule',
            status: 'removed',
            options: [{ name: 'src', before: 'lan' }],
          },
          {
            ref: 'wan',
            type: 'interface',
            status: 'removed',
            options: [{ name: 'proto', before: 'dhcp' }],
          },
        ],
      },
    ]);
  });

  it('reports type changes of named sections, reorders, and nothing for equal configs', () => {
    const r = applyChanges(before, [
      { kind: 'set', config: 'network', section: 'lan', value: 'bridge' },
      { kind: 'reorder', config: 'network', section: 'wan', position: 0 },
    ]);
    if (r.kind !== 'ok') throw new Error(r.message);
    const [d] = diffConfigs(before, r.configs);
    expect(d?.reordered).toBe(true);
    expect(d?.sections).toEqual([
      { ref: 'lan', type: 'bridge', beforeType: 'interface', status: 'changed', options: [] },
    ]);
    expect(diffConfigs(before, before)).toEqual([]);
  });

  it('renders a unified diff of the committed files', () => {
    const r = applyChanges(before, [
      { kind: 'set', config: 'network', section: 'lan', option: 'ipaddr', value: '10.0.0.1' },
      { kind: 'set', config: 'network', section: 'wan', option: 'mtu', value: '1420' },
    ]);
    if (r.kind !== 'ok') throw new Error(r.message);
    const a = serializeUci(before.network!);
    const b = serializeUci(r.configs.network!);
    expect(renderUnifiedDiff(a, b, { fromFile: 'network', toFile: 'network', context: 1 })).toBe(
      [
        '--- network',
        '+++ network',
        '@@ -2,3 +2,3 @@',
        " config interface 'lan'",
        "-\toption ipaddr '192.168.1.1'",
        "+\toption ipaddr '10.0.0.1'",
        " \tlist dns '1.1.1.1'",
        '@@ -10,2 +10,3 @@',
        "\toption proto 'dhcp'".replace(/^/, ' '),
        "+\toption mtu '1420'",
        ' ',
        '',
      ].join('\n'),
    );
    expect(renderUnifiedDiff(a, a)).toBe('');
    expect(renderUnifiedDiff('x', 'x\n')).toBe(
      '--- a\n+++ b\n@@ -1 +1 @@\n-x\n\\ No newline at end of file\n+x\n',
    );
    expect(renderUnifiedDiff('', 'a\nb\n')).toBe('--- a\n+++ b\n@@ -0,0 +1,2 @@\n+a\n+b\n');
  });
});
