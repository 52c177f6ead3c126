import { describe, expect, it } from 'vitest';
import { fixture } from '../../../../test/fixtures/read-fixture';
import { parseTracepath } from './parse-tracepath';

describe('parseTracepath', () => {
  it('finds the 1400 path MTU the lab router reports at hop 2', () => {
    const result = parseTracepath(
      fixture('tracepath/linux-iputils-20221126-tracepath-pmtu-1500-to-1400.txt'),
    );
    expect(result).toEqual({
      kind: 'ok',
      pmtu: 1400,
      localPmtu: 1500,
      reached: true,
      hopsToTarget: 2,
      hopsBack: 2,
      hops: [
        { ttl: 1, host: '10.0.1.1', rttMs: 0.047 },
        { ttl: 1, host: '10.0.1.1', rttMs: 0.067 },
        { ttl: 2, host: '10.0.1.1', rttMs: 0.012, pmtu: 1400 },
        { ttl: 2, host: '10.0.2.2', rttMs: 0.019, reached: true },
      ],
    });
  });

  it('reads the man page example with asymm and a 1480 pmtu', () => {
    const result = parseTracepath(fixture('tracepath/tracepath6-pmtu-1480.txt'));
    expect(result).toMatchObject({ kind: 'ok', pmtu: 1480, reached: true, hopsToTarget: 2 });
    if (result.kind === 'ok')
      expect(result.hops[1]).toEqual({
        ttl: 2,
        host: 'dust.inr.ac.ru',
        asymm: 1,
        rttMs: 0.39,
        pmtu: 1480,
      });
  });

  it('reads a trace that never reaches the target', () => {
    const result = parseTracepath(fixture('tracepath/centos7-tracepath-ipv4.txt'));
    if (result.kind !== 'ok') throw new Error(result.message);
    expect(result).toMatchObject({ pmtu: 1500, reached: false });
    expect(result.hopsToTarget).toBeUndefined();
    expect(result.hops.filter((hop) => hop.noReply)).toHaveLength(24);
    expect(result.hops.find((hop) => hop.rttMs === 12000.559)?.host).toBe('203.0.113.10');
  });

  it.each(['', 'tracepath: badhost: Name or service not known'])(
    'reports %j as an error',
    (text) => {
      expect(parseTracepath(text).kind).toBe('error');
    },
  );
});
