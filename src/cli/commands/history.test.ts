import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { historyFileName, openHistoryStore } from '../../main/adapters/storage/history-store';
import {
  plantedSecrets,
  sampleReport,
  syntheticReport,
} from '../../main/core/history/sample-report.test-support';
import { runHistory } from './history';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'homeward-cli-history-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function seed(count: number, withSecrets = false): Promise<void> {
  const store = await openHistoryStore({ dir });
  for (let i = 0; i < count; i += 1) {
    const { report, location } = syntheticReport(i);
    await store.add(
      i === count - 1 && withSecrets
        ? sampleReport({ withSecrets: true, startedAt: report.startedAt })
        : report,
      {
        location,
      },
    );
  }
  await store.close();
}

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runHistory(args, {
    openStore: () => openHistoryStore({ dir }),
    output: { out: (t) => out.push(t), err: (t) => err.push(t) },
    now: () => new Date('2026-11-25T15:00:00Z'),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('homeward history (list)', () => {
  it('prints a table of the newest runs with per-segment downstream and latency', async () => {
    await seed(25);
    const result = await run('--limit', '3');
    expect(result.code).toBe(0);
    const lines = result.out.split('\n');
    expect(lines[0]).toMatch(/^\s+Downstream Mbps$/);
    expect(lines[1]).toMatch(
      /^ID\s+Date \(UTC\)\s+Router\s+Location\s+VR\s+LAN\s+Tunnel\s+E2E\s+Loaded$/,
    );
    expect(lines[2]).toMatch(
      /^25 {2}2026-01-02 00:00 {2}gl-mt3000 \(192\.168\.8\.1\)\s+Hotel Lobby\s+(yes|no)\s+\d+\s+\d+\s+\d+\s+\d+ ms$/,
    );
    expect(lines).toHaveLength(7);
    expect(result.out).toContain('3 of 25 runs. Use --limit 25 to see all.');
  });

  it('--json: the homeward.history/1 object with runs newest first', async () => {
    await seed(5);
    const result = await run('--json', '--router', 'gl-axt1800');
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.out);
    expect(parsed.schema).toBe('homeward.history/1');
    expect(parsed.total).toBe(2);
    expect(parsed.runs.map((r: { id: number }) => r.id)).toEqual([4, 2]);
    expect(parsed.runs[0]).toMatchObject({
      routerHost: '192.168.9.1',
      downMbps: { lan: expect.any(Number) },
    });
  });

  it('says where the history lives when it is empty, and creates nothing', async () => {
    const result = await run();
    expect(result.code).toBe(0);
    expect(result.out).toContain('No runs recorded yet');
    expect(result.out).toContain(join(dir, historyFileName));
    await expect(readFile(join(dir, historyFileName))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it.each([
    [['--limit', '0'], '--limit must be a positive whole number, e.g. --limit 50 (got "0")'],
    [['--limit', 'ten'], '--limit must be a positive whole number'],
    [['--limit', '1.5'], '--limit must be a positive whole number'],
    [['--limit'], "Option '--limit <value>' argument missing"],
    [['--bogus'], "Unknown option '--bogus'"],
    [['frobnicate'], 'unknown history command "frobnicate"'],
    [['show'], 'history show needs one run id'],
    [['show', 'abc'], 'the run id must be a positive whole number'],
    [['show', '1', '--limit', '3'], '--limit does not apply to "history show"'],
    [['export'], 'history export needs one run id, a range FROM..TO, or --all'],
    [['export', '3', '--all'], 'history export needs one run id'],
    [['export', '--all', '--format', 'pdf'], '--format must be md, json or html (got "pdf")'],
    [['export', '3', '--router', 'x'], 'select runs for --all only'],
    [['export', '9..2'], 'runs backwards; write it as 2..9'],
    [['export', '--all', '--since', 'yesterday'], '--since must be a date'],
  ])('usage error %j -> one line, exit 2', async (args, message) => {
    const result = await run(...args);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toContain(message);
    expect(result.err.split('\n')).toHaveLength(1);
    expect(result.err.startsWith('homeward: ')).toBe(true);
  });

  it('--help prints the usage', async () => {
    const result = await run('export', '--help');
    expect(result.code).toBe(0);
    expect(result.out).toContain('homeward history export ID|FROM..TO|--all');
  });
});

describe('homeward history show', () => {
  it('prints a run as text and as JSON, redacted', async () => {
    await seed(3, true);
    const text = await run('show', '3');
    expect(text.code).toBe(0);
    expect(text.out).toContain('Run 3: 2026-01-01 02:00 UTC, gl-mt3000 (192.168.8.1)');
    expect(text.out).toContain('Verdict: VR-ready for 100 Mbps');
    const json = await run('show', '3', '--json');
    const parsed = JSON.parse(json.out);
    expect(parsed).toMatchObject({
      schema: 'homeward.history/1',
      id: 3,
      location: 'Cafe "Zur Post"',
    });
    expect(parsed.report.schema).toBe('homeward.doctor/1');
    for (const secret of Object.values(plantedSecrets)) {
      expect(text.out).not.toContain(secret);
      expect(json.out).not.toContain(secret);
    }
  });

  it('an unknown id is exit 1 with a hint; with --json an error object', async () => {
    await seed(1);
    const text = await run('show', '42');
    expect(text).toMatchObject({ code: 1, out: '' });
    expect(text.err).toBe('homeward: no run with id 42 (run "homeward history" to list the ids)');
    const json = await run('show', '42', '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toEqual({
      schema: 'homeward.history/1',
      error: {
        kind: 'not-found',
        message: 'no run with id 42',
        fix: 'run "homeward history" to list the ids',
      },
    });
  });

  it('reports a damaged history file it moved aside', async () => {
    await writeFile(join(dir, historyFileName), 'not sqlite');
    const result = await run();
    expect(result.code).toBe(0);
    expect(result.err).toMatch(
      /^homeward: note: .*history\.sqlite was not a readable history database .*moved to .*corrupt-/,
    );
  });
});

describe('homeward history export', () => {
  it('writes a self-contained HTML file for --all, format from the extension', async () => {
    await seed(6, true);
    const file = join(dir, 'report.html');
    const result = await run('export', '--all', '--out', file);
    expect(result).toMatchObject({ code: 0, out: `Exported 6 runs as html to ${file}` });
    const html = await readFile(file, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    for (const secret of Object.values(plantedSecrets)) expect(html).not.toContain(secret);
  });

  it('exports one run or a range to stdout as Markdown or JSON, and a filtered --all', async () => {
    await seed(6);
    const one = await run('export', '2');
    expect(one.code).toBe(0);
    expect(one.out).toContain('## Run 2:');
    expect(one.out).not.toContain('## Run 3:');
    const range = JSON.parse((await run('export', '2..4', '--format', 'json')).out);
    expect(range.runs.map((r: { id: number }) => r.id)).toEqual([2, 3, 4]);
    const filtered = JSON.parse(
      (await run('export', '--all', '--location', 'Hotel Lobby', '--format', 'json')).out,
    );
    expect(filtered.runs.map((r: { id: number }) => r.id)).toEqual([1, 4]);
    const missing = await run('export', '40..50');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('no runs with ids 40..50');
  });

  it('a history it cannot write to reports the error, not a stack trace', async () => {
    await seed(1);
    const result = await run('export', '1', '--out', join(dir, 'no-such-dir', 'x.md'));
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^homeward: ENOENT/);
  });
});
