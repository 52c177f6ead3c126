import { describe, expect, it } from 'vitest';
import type { CandidateProbe, DiscoveryResult } from '../../shared/discovery';
import { appError } from '../../shared/errors';
import type { Result } from '../../shared/result';
import { fail, ok } from '../../shared/result';
import { rankCandidates } from '../../main/core/discovery/rank';
import { discoverSchema, runDiscover } from './discover';
import { captureOutput } from '../output.test-support';

const probes: CandidateProbe[] = [
  {
    candidate: {
      address: '192.168.8.1',
      interface: 'wlan0',
      reasons: [{ kind: 'default-gateway' }],
    },
    ssh: { kind: 'line', text: 'SSH-2.0-dropbear_2022.83\r\n' },
    http: { kind: 'response', status: 200, body: '<title>travel - LuCI</title>' },
    elapsedMs: 40,
  },
  {
    candidate: {
      address: '10.0.0.1',
      interface: 'eth0',
      reasons: [{ kind: 'well-known', vendor: 'common' }],
    },
    ssh: { kind: 'failed', failure: 'timeout' },
    http: { kind: 'failed', failure: 'timeout' },
    elapsedMs: 1000,
  },
];
const found: DiscoveryResult = {
  candidates: rankCandidates(probes),
  budgetMs: 3000,
  elapsedMs: 1012,
};

const discoverOk = (value: DiscoveryResult) => (): Promise<Result<DiscoveryResult>> =>
  Promise.resolve(ok(value));

describe('runDiscover', () => {
  it('prints a ranked list and exits 0 when a router answered', async () => {
    const io = captureOutput();
    expect(await runDiscover([], { discover: discoverOk(found), output: io.output })).toBe(0);
    expect(io.out.join('\n')).toBe(
      [
        'Tried 2 addresses in 1.0 s.',
        ' 1. 192.168.8.1  OpenWrt (dropbear 2022.83), LuCI answers on port 80; default gateway [wlan0]',
        'No answer from: 10.0.0.1 [eth0]',
      ].join('\n'),
    );
    expect(io.err).toEqual([]);
  });

  it('--json prints the schema and the ranked candidates', async () => {
    const io = captureOutput();
    expect(await runDiscover(['--json'], { discover: discoverOk(found), output: io.output })).toBe(
      0,
    );
    const parsed = JSON.parse(io.out.join('')) as { schema: string } & DiscoveryResult;
    expect(parsed.schema).toBe(discoverSchema);
    expect(parsed.candidates.map((c) => [c.address, c.verdict, c.score > 0])).toEqual([
      ['192.168.8.1', 'openwrt', true],
      ['10.0.0.1', 'no-answer', false],
    ]);
    expect(parsed.candidates[0]?.ssh).toMatchObject({ kind: 'banner' });
  });

  it('exits 1 when no router answered, and says when there was nothing to try', async () => {
    const silent = captureOutput();
    const onlySilent = { ...found, candidates: found.candidates.slice(1) };
    expect(await runDiscover([], { discover: discoverOk(onlySilent), output: silent.output })).toBe(
      1,
    );
    expect(silent.out.join('\n')).toContain('Nothing answered on port 22 or 80.');

    const empty = captureOutput();
    const none = { candidates: [], budgetMs: 3000, elapsedMs: 0 };
    expect(await runDiscover([], { discover: discoverOk(none), output: empty.output })).toBe(1);
    expect(empty.out.join('\n')).toContain('No address to try');
  });

  it('errors exit 2, as text or as JSON', async () => {
    const discover = () => Promise.resolve(fail(appError('cancelled', 'Discovery was cancelled.')));
    const text = captureOutput();
    expect(await runDiscover([], { discover, output: text.output })).toBe(2);
    expect(text.err).toEqual(['homeward: Discovery was cancelled.']);
    const json = captureOutput();
    expect(await runDiscover(['--json'], { discover, output: json.output })).toBe(2);
    expect(JSON.parse(json.out.join(''))).toEqual({
      schema: discoverSchema,
      error: { kind: 'cancelled', message: 'Discovery was cancelled.' },
    });
  });

  it('--help and unknown flags do not run discovery', async () => {
    let calls = 0;
    const discover = () => (calls++, Promise.resolve(ok(found)));
    const help = captureOutput();
    expect(await runDiscover(['--help'], { discover, output: help.output })).toBe(0);
    expect(help.out.join('')).toContain('Usage: homeward discover [--json]');
    const bad = captureOutput();
    expect(await runDiscover(['--scan-everything'], { discover, output: bad.output })).toBe(2);
    expect(bad.err.join('')).toContain("Unknown option '--scan-everything'");
    expect(calls).toBe(0);
  });
});
