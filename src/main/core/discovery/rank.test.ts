import { describe, expect, it } from 'vitest';
import type { CandidateProbe, DiscoveryCandidate } from '../../../shared/discovery';
import { fixture } from '../../../../test/fixtures/read-fixture';
import { rankCandidates } from './rank';

const dropbearLine = fixture('ssh/dropbear-2022.83-identification.txt').split('\n')[0] ?? '';
const luciIndex =
  '<html><head><meta http-equiv="refresh" content="0; URL=/cgi-bin/luci" /></head></html>';

function candidate(address: string, ...reasons: DiscoveryCandidate['reasons']): DiscoveryCandidate {
  return { address, interface: 'wlan0', reasons };
}

function probe(
  c: DiscoveryCandidate,
  ssh: CandidateProbe['ssh'],
  http: CandidateProbe['http'],
): CandidateProbe {
  return { candidate: c, ssh, http, elapsedMs: 12.4 };
}

const refused = { kind: 'failed', failure: 'refused' } as const;
const timeout = { kind: 'failed', failure: 'timeout' } as const;

describe('rankCandidates', () => {
  it('puts the OpenWrt router first and says why in one line', () => {
    const ranked = rankCandidates([
      probe(candidate('192.168.1.1', { kind: 'well-known', vendor: 'OpenWrt' }), timeout, timeout),
      probe(
        candidate('192.168.1.20', { kind: 'subnet-first-host' }),
        { kind: 'line', text: 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10' },
        refused,
      ),
      probe(
        candidate('192.168.1.254', { kind: 'default-gateway' }),
        { kind: 'line', text: dropbearLine },
        { kind: 'response', status: 200, body: luciIndex },
      ),
    ]);
    expect(ranked.map((c) => [c.address, c.verdict])).toEqual([
      ['192.168.1.254', 'openwrt'],
      ['192.168.1.20', 'ssh-host'],
      ['192.168.1.1', 'no-answer'],
    ]);
    expect(ranked[0]?.summary).toBe(
      'OpenWrt (dropbear 2022.83), LuCI answers on port 80; default gateway',
    );
    expect(ranked[1]?.summary).toBe(
      'SSH server (OpenSSH 9.2p1); first address of the wlan0 subnet',
    );
    expect(ranked[2]).toMatchObject({
      score: 0,
      summary: 'no answer on ports 22 and 80; the usual OpenWrt address',
      elapsedMs: 12,
    });
  });

  it('names GL.iNet from its admin panel and ranks it over a bare LuCI', () => {
    const ranked = rankCandidates([
      probe(candidate('10.0.0.1', { kind: 'well-known', vendor: 'common' }), refused, {
        kind: 'response',
        status: 200,
        body: '<title>nas - LuCI</title>',
      }),
      probe(
        candidate('192.168.8.1', { kind: 'well-known', vendor: 'GL.iNet' }),
        { kind: 'line', text: 'SSH-2.0-dropbear_2022.82' },
        { kind: 'response', status: 200, body: '<title>GL.iNet Admin Panel</title>' },
      ),
    ]);
    expect(ranked.map((c) => c.verdict)).toEqual(['glinet', 'openwrt']);
    expect(ranked[0]?.summary).toBe(
      'GL.iNet (dropbear 2022.82), the GL.iNet admin panel answers on port 80; the usual GL.iNet address',
    );
    expect(ranked[1]?.summary).toBe('OpenWrt, LuCI answers on port 80; a common router address');
  });

  it('evidence outweighs the address: dropbear on a plain host beats a silent gateway', () => {
    const ranked = rankCandidates([
      probe(candidate('192.168.0.1', { kind: 'default-gateway' }), refused, refused),
      probe(candidate('192.168.0.1'), { kind: 'line', text: 'SSH-2.0-dropbear' }, refused),
    ]);
    expect(ranked[0]?.ssh).toEqual({
      kind: 'banner',
      banner: { software: 'dropbear', softwareField: 'dropbear', protocol: '2.0' },
    });
    expect(ranked[0]?.summary).toBe('OpenWrt (dropbear)');
    expect(ranked[1]?.score).toBe(0);
  });

  it('describes hosts that answer with something else', () => {
    const [printer, odd] = rankCandidates([
      probe(candidate('192.168.0.9', { kind: 'subnet-first-host' }), refused, {
        kind: 'response',
        status: 200,
        body: '<title>HP LaserJet</title>',
        server: 'HP HTTP Server',
      }),
      probe(
        candidate('192.168.0.10'),
        { kind: 'line', text: 'HTTP/1.1 400 Bad Request' },
        {
          kind: 'response',
          status: 404,
          body: '',
        },
      ),
    ]);
    expect(printer?.verdict).toBe('web-host');
    expect(printer?.summary).toBe(
      'a web server, web page "HP LaserJet" on port 80; first address of the wlan0 subnet',
    );
    expect(printer?.web).toMatchObject({ kind: 'page', server: 'HP HTTP Server' });
    expect(odd?.ssh).toEqual({ kind: 'not-ssh', line: 'HTTP/1.1 400 Bad Request' });
    expect(odd?.summary).toBe('something on port 22 that is not SSH, HTTP 404 on port 80');
  });

  it('keeps the candidate order among equal scores and does not mutate its input', () => {
    const probes = ['192.168.5.1', '192.168.5.2', '192.168.5.3'].map((a) =>
      probe(candidate(a, { kind: 'subnet-first-host' }), timeout, timeout),
    );
    const copy = structuredClone(probes);
    expect(rankCandidates(probes).map((c) => c.address)).toEqual([
      '192.168.5.1',
      '192.168.5.2',
      '192.168.5.3',
    ]);
    expect(probes).toEqual(copy);
    expect(rankCandidates([])).toEqual([]);
  });
});
