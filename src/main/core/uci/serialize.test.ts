import { describe, expect, it } from 'vitest';
import type { UciConfig } from './model';
import { parseUci } from './parse';
import { exportUci, serializeUci } from './serialize';
import {
  commandOf,
  isReadOnly,
  loadCorpus,
  printsNothing,
  type CorpusCase,
} from './uci-corpus.test-support';

const corpus = loadCorpus();

function parseOk(bytes: Buffer, what: string): UciConfig {
  const r = parseUci(bytes);
  if (r.kind !== 'ok') throw new Error(`${what}: ${r.message}`);
  return r.config;
}

const MUTATING = new Set([
  'set',
  'add',
  'add_list',
  'del_list',
  'delete',
  'del',
  'rename',
  'ren',
  'reorder',
]);

/**
 * Configs whose output file uci wrote: `import NAME` (not `-m`, which only records changes),
 * and `commit` of a config with pending changes (uci leaves the file alone otherwise, as
 * 030-commit-nothing shows).
 */
function writtenConfigs(c: CorpusCase): Set<string> {
  const out = new Set<string>();
  const dirty = new Set<string>(c.inputDelta.keys());
  const run = (cmd: string, args: string[], opts: string[], ok: boolean): void => {
    if (!ok) return;
    const config = (args[0] ?? '').split('.')[0] ?? '';
    if (MUTATING.has(cmd)) dirty.add(config);
    if (cmd === 'import' && !opts.includes('-m')) {
      if (args[0]) out.add(args[0]);
      else for (const name of c.output.keys()) out.add(name);
    }
    if (cmd === 'commit') {
      for (const name of [...dirty]) {
        if (args[0] && args[0] !== name) continue;
        out.add(name);
        dirty.delete(name);
      }
    }
  };
  c.lines.forEach((argv, i) => {
    const { cmd, args, opts } = commandOf(argv);
    if (cmd === 'batch' && c.stdin) {
      // Batch lines always exit 0 together; the corpus' batch inputs are all valid commands.
      for (const line of c.stdin.toString('utf8').split('\n')) {
        const words = line.trim().split(/\s+/);
        run((words[0] ?? '').toLowerCase(), words.slice(1), [], !line.trim().startsWith('#'));
      }
      return;
    }
    run(cmd, args, opts, c.exits[i] === 0);
  });
  return out;
}

const PARSE_ERROR = /Parse error \((.+?)\) at line (\d+), byte (\d+)/g;

describe('parseUci on every corpus config file', () => {
  const files = corpus.flatMap((c) =>
    [...c.input, ...c.output].map(([name, bytes]) => ({ c, name, bytes })),
  );
  const recordedErrors = (c: CorpusCase): string[] =>
    [...c.stderr.toString('utf8').matchAll(PARSE_ERROR)].map((m) => m[0]);

  it(`parses all ${files.length} input/output files, or fails exactly as recorded`, () => {
    // Distinct per case: a broken input file is usually also in output/, untouched.
    const failures = new Set<string>();
    for (const { c, name, bytes } of files) {
      const r = parseUci(bytes);
      if (r.kind === 'ok') continue;
      failures.add(`${c.name}: ${r.message}`);
      // A file uci could not read must show up in the case's stderr with the same position.
      expect(recordedErrors(c), `${c.name}/${name}`).toContain(r.message);
    }
    // Every recorded parse error is explained by one of the case's input files.
    for (const c of corpus) {
      for (const recorded of recordedErrors(c)) {
        const ours = [...c.input.values()]
          .map((b) => parseUci(b))
          .filter((r) => r.kind === 'error');
        expect(
          ours.map((r) => r.message),
          c.name,
        ).toContain(recorded);
      }
    }
    // In the public corpus no file is broken; the held-back cases may have some.
    expect(failures.size).toBe(corpus.reduce((n, c) => n + new Set(recordedErrors(c)).size, 0));
  });
});

describe('serializeUci round trip on files uci wrote', () => {
  // A file that uci committed is in canonical form: reading it and writing it back must give
  // the same bytes.
  const written = corpus.flatMap((c) =>
    [...writtenConfigs(c)]
      .filter((name) => c.output.has(name))
      .map((name) => ({ c, name, bytes: c.output.get(name) as Buffer })),
  );

  it(`selects the committed files (${written.length})`, () => {
    expect(written.length).toBeGreaterThan(25);
  });

  for (const { c, name, bytes } of written) {
    it(`${c.name}/output/${name}`, () => {
      expect(serializeUci(parseOk(bytes, name))).toBe(bytes.toString('utf8'));
    });
  }
});

describe('commit without pending changes', () => {
  // uci does not rewrite a file when there is nothing to commit, so the writer must not be
  // assumed to normalize a file on every commit (relevant for byte-identical rollback checks).
  const cases = corpus.filter(
    (c) =>
      c.inputDelta.size === 0 &&
      c.lines.some((argv) => commandOf(argv).cmd === 'commit') &&
      c.lines.every((argv) => isReadOnly(argv) || commandOf(argv).cmd === 'commit'),
  );

  it(`selects the commit-only cases (${cases.map((c) => c.name).join(', ')})`, () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const c of cases) {
    it(`${c.name}: files stay as they were and writtenConfigs() agrees`, () => {
      expect(writtenConfigs(c).size).toBe(0);
      for (const [name, bytes] of c.input)
        expect(c.output.get(name)?.equals(bytes), name).toBe(true);
    });
  }
});

describe('exportUci matches `uci export` with no pending changes', () => {
  // Selection: a plain `export [NAME]` line (or `-N export`, the default) that succeeded, with
  // only read-only lines before it and no pending delta, so the state is parse(input); and only
  // lines printing nothing after it, so its output is the tail of the case's stdout.
  const picks: Array<{ c: CorpusCase; line: number; names: string[] }> = [];
  for (const c of corpus) {
    if (c.inputDelta.size > 0) continue;
    c.lines.forEach((argv, i) => {
      const { cmd, args, opts } = commandOf(argv);
      if (cmd !== 'export' || c.exits[i] !== 0) return;
      if (opts.some((o) => o !== '-N' && o !== '-q')) return;
      if (!c.lines.slice(0, i).every(isReadOnly)) return;
      if (!c.lines.slice(i + 1).every(printsNothing)) return;
      const names = args[0]
        ? [args[0]]
        : [...c.input.keys()].filter((n) => !n.includes('.')).sort();
      picks.push({ c, line: i, names });
    });
  }

  it(`selects the export lines (${picks.length})`, () => {
    expect(picks.length).toBeGreaterThan(10);
  });

  for (const { c, line, names } of picks) {
    it(`${c.name} line ${line + 1}: export ${names.join(' ')}`, () => {
      const expected = names
        .map((n) => exportUci(n, parseOk(c.input.get(n) ?? Buffer.alloc(0), n)))
        .join('');
      const stdout = c.stdout.toString('utf8');
      expect(stdout.endsWith(expected), `stdout:\n${stdout}\nexpected tail:\n${expected}`).toBe(
        true,
      );
    });
  }
});

describe('serializeUci format', () => {
  it('writes an empty config as one newline and drops emptied lists', () => {
    expect(serializeUci({ sections: [] })).toBe('\n');
    expect(
      serializeUci({ sections: [{ type: 't', name: 'n', options: [{ name: 'l', value: [] }] }] }),
    ).toBe("\nconfig t 'n'\n\n");
  });

  it("quotes ' as '\\'' and keeps newlines and tabs raw", () => {
    const config: UciConfig = {
      sections: [
        { type: 'wifi-iface', name: 'a', options: [{ name: 'ssid', value: "it's\na\tb" }] },
        { type: 'rule', options: [{ name: 'l', value: ['x', "'"] }] },
      ],
    };
    const text = serializeUci(config);
    expect(text).toBe(
      "\nconfig wifi-iface 'a'\n\toption ssid 'it'\\''s\na\tb'\n\nconfig rule\n\tlist l 'x'\n\tlist l ''\\'''\n\n",
    );
    expect(parseUci(text)).toEqual({ kind: 'ok', config });
  });

  it('prefixes the package line for export', () => {
    expect(exportUci('network', { sections: [] })).toBe('package network\n\n');
  });
});
