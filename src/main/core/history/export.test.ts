import { describe, expect, it } from 'vitest';
import {
  escapeMarkdown,
  exportRuns,
  formatFromFileName,
  historyExportSchema,
  renderRunText,
} from './export';
import { plantedSecrets, sampleReport, syntheticReport } from './sample-report.test-support';
import type { StoredRun } from './summary';
import { summarizeRun } from './summary';

const generatedAt = '2026-11-25T15:00:00.000Z';

function runs(count: number): StoredRun[] {
  return Array.from({ length: count }, (_, i) => ({ id: i + 1, ...syntheticReport(i) }));
}

const secretRun: StoredRun = {
  id: 7,
  location: 'Hotel <b>Lobby</b>',
  report: sampleReport({
    withSecrets: true,
    lanMbps: 420,
    tunnelMbps: 95,
    e2eMbps: 90,
    vrReady: false,
  }),
};

function expectNoSecrets(text: string): void {
  for (const secret of Object.values(plantedSecrets)) expect(text).not.toContain(secret);
}

describe('summarizeRun', () => {
  it('takes the per-segment numbers from the checks and the verdict', () => {
    expect(summarizeRun(secretRun)).toEqual({
      id: 7,
      startedAt: '2026-11-25T14:03:00.000Z',
      durationMs: 21_400,
      routerHost: '192.168.8.1',
      routerHostname: 'gl-mt3000',
      location: 'Hotel <b>Lobby</b>',
      vrReady: false,
      targetMbps: 100,
      limitingSegment: 'tunnel',
      downMbps: { lan: 420, tunnel: 95, e2e: 90 },
    });
  });

  it('normalizes timestamps with offsets to UTC so they sort as text', () => {
    const run = { id: 1, report: sampleReport({ startedAt: '2026-11-25T16:03:00+02:00' }) };
    expect(summarizeRun(run).startedAt).toBe('2026-11-25T14:03:00.000Z');
  });
});

describe('exportRuns', () => {
  it('JSON: the schema, runs in time order, redacted reports', () => {
    const input = [{ ...runs(2)[1]!, id: 2 }, { ...runs(1)[0]!, id: 1 }, secretRun];
    const text = exportRuns(input, 'json', { generatedAt });
    expectNoSecrets(text);
    const parsed = JSON.parse(text);
    expect(parsed.schema).toBe(historyExportSchema);
    expect(parsed.generatedAt).toBe(generatedAt);
    expect(parsed.runs.map((r: { id: number }) => r.id)).toEqual([1, 2, 7]);
    expect(parsed.runs[2].location).toBe('Hotel <b>Lobby</b>');
    expect(parsed.runs[2].report.checks.at(-1).data.password).toBe('[redacted]');
    expect(parsed.runs[0].report.schema).toBe('homeward.doctor/1');
  });

  it('Markdown: a summary table and one section per run, with markup escaped', () => {
    const hostile: StoredRun = {
      id: 9,
      location: 'Evil | cell <script>alert(1)</script> *bold* [x](http://e.test)',
      report: sampleReport({ hostname: 'r|outer\n# heading', lanMbps: 50 }),
    };
    const text = exportRuns([secretRun, hostile], 'md', { generatedAt });
    expectNoSecrets(text);
    expect(text).toContain('# Homeward run history');
    expect(text).toContain('| 7 | 2026-11-25 14:03 UTC | gl-mt3000 (192.168.8.1) |');
    expect(text).toContain('## Run 7:');
    expect(text).toContain('**throughput.below-target** (critical)');
    expect(text).not.toContain('<script>');
    expect(text).not.toMatch(/[^\\]\]\(http/);
    expect(text).toContain('\\[x\\](http://e.test)');
    expect(text).not.toMatch(/^# heading/m);
    // every table row keeps its column count: the pipe in the data is escaped
    const row = text.split('\n').find((line) => line.startsWith('| 9 |'))!;
    expect(row.split(/(?<!\\)\|/).length).toBe(12);
  });

  it('HTML: self-contained, no scripts or remote URLs, escaped, charts drawn from the numbers', () => {
    const hostile: StoredRun = {
      id: 3,
      location: '"><script>alert(1)</script><img src=x onerror=alert(2)>',
      report: sampleReport({
        startedAt: '2026-11-26T10:00:00Z',
        lanMbps: 300,
        tunnelMbps: 80,
        e2eMbps: 75,
      }),
    };
    const html = exportRuns([secretRun, hostile], 'html', { generatedAt });
    expectNoSecrets(html);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/\b(?:src|href)=["']?(?:https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // three charts; the downstream chart has a path per measured segment plus the target
    expect(html.match(/<svg /g)).toHaveLength(3);
    const down = html.slice(html.indexOf('<svg '), html.indexOf('</svg>'));
    expect(down.match(/<path class="line/g)).toHaveLength(4);
    expect(down).toContain('Downstream per segment (Mbps)');
    // y axis reaches past the highest value (420) with round ticks
    expect(down).toContain('>500</text>');
    expect(html).toContain('<details id="run-7">');
  });

  it('HTML for one run draws bars per segment against the target', () => {
    const html = exportRuns([secretRun], 'html', { generatedAt });
    expect(html.match(/<svg /g)).toHaveLength(1);
    expect(html.match(/<rect class="bar/g)).toHaveLength(3);
    expect(html).toContain('target 100');
    expect(html).toContain('<details open id="run-7">');
  });

  it('HTML breaks lines where a value is missing instead of inventing one', () => {
    const input = runs(3);
    input[1] = {
      ...input[1]!,
      report: sampleReport({ startedAt: input[1]!.report.startedAt, lanMbps: undefined }),
    };
    const html = exportRuns(input, 'html', { generatedAt });
    const lanPath = /<path class="line series-0" d="([^"]+)"/.exec(html)![1]!;
    expect(lanPath.match(/M/g)).toHaveLength(2);
    expect(lanPath).not.toContain('L');
  });

  it('handles an empty range', () => {
    expect(exportRuns([], 'md', { generatedAt })).toContain('no runs');
    expect(JSON.parse(exportRuns([], 'json', { generatedAt })).runs).toEqual([]);
    expect(exportRuns([], 'html', { generatedAt })).toContain('no runs');
  });

  it('does not modify the runs it is given', () => {
    const before = JSON.stringify(secretRun);
    exportRuns([secretRun], 'html', { generatedAt });
    expect(JSON.stringify(secretRun)).toBe(before);
  });
});

describe('renderRunText', () => {
  it('prints checks, verdict and findings, redacted and without control characters', () => {
    const run: StoredRun = {
      ...secretRun,
      report: {
        ...secretRun.report,
        router: { ...secretRun.report.router, hostname: 'evil\u001b[2Jname' },
      },
    };
    const text = renderRunText(run);
    expectNoSecrets(text);
    expect(text).not.toContain('\u001b');
    expect(text).toContain('Run 7: 2026-11-25 14:03 UTC, evil\uFFFD[2Jname (192.168.8.1)');
    expect(text).toMatch(/fail {3}throughput\.tunnel +95 Mbps down/);
    expect(text).toContain('Verdict: not VR-ready for 100 Mbps; limiting segment: tunnel');
    expect(text).toContain('    Fix: Lower the streamer bitrate');
  });
});

describe('helpers', () => {
  it('escapeMarkdown leaves no markup', () => {
    expect(escapeMarkdown('a|b *c* <d> [e](f) `g`\nh')).toBe(
      'a\\|b \\*c\\* &lt;d&gt; \\[e\\](f) \\`g\\` h',
    );
  });

  it('formatFromFileName', () => {
    expect(formatFromFileName('report.HTML')).toBe('html');
    expect(formatFromFileName('x.md')).toBe('md');
    expect(formatFromFileName('x.json')).toBe('json');
    expect(formatFromFileName('x.txt')).toBeUndefined();
  });
});
