import { describe, expect, it } from 'vitest';
import { fixture } from '../../../../test/fixtures/read-fixture';
import { buildMdnsQuery, mdnsFindings, parseMdnsMessage } from './mdns';

function hex(text: string): Uint8Array {
  const clean = text.trim();
  return Uint8Array.from({ length: clean.length / 2 }, (_, i) =>
    Number.parseInt(clean.slice(i * 2, i * 2 + 2), 16),
  );
}

const ascii = (text: string): number[] => [...new TextEncoder().encode(text)];

const zeroconf = hex(fixture('mdns/python-zeroconf-0.47.3-ssh-http-response.hex'));

describe('buildMdnsQuery', () => {
  it('asks one PTR question (class IN, QM) per service, ID 0', () => {
    const query = buildMdnsQuery(['_ssh._tcp.local']);
    expect([...query]).toEqual([
      0,
      0,
      0,
      0,
      0,
      1,
      0,
      0,
      0,
      0,
      0,
      0,
      4,
      ...ascii('_ssh'),
      4,
      ...ascii('_tcp'),
      5,
      ...ascii('local'),
      0,
      0,
      12,
      0,
      1,
    ]);
    const parsed = parseMdnsMessage(buildMdnsQuery());
    expect(parsed).toEqual({ response: false, records: [] });
  });
});

describe('parseMdnsMessage', () => {
  it('reads the records of a real python-zeroconf answer, compression included', () => {
    const message = parseMdnsMessage(zeroconf);
    expect(message?.response).toBe(true);
    const records = message?.records ?? [];
    expect(records.filter((r) => r.type === 'PTR')).toEqual([
      { type: 'PTR', name: '_http._tcp.local', target: 'travel-router._http._tcp.local' },
      { type: 'PTR', name: '_ssh._tcp.local', target: 'travel-router._ssh._tcp.local' },
    ]);
    expect(records.filter((r) => r.type === 'SRV')).toEqual([
      {
        type: 'SRV',
        name: 'travel-router._http._tcp.local',
        target: 'travel-router.local',
        port: 80,
      },
      {
        type: 'SRV',
        name: 'travel-router._ssh._tcp.local',
        target: 'travel-router.local',
        port: 22,
      },
    ]);
    expect(records.filter((r) => r.type === 'A')).toEqual([
      { type: 'A', name: 'travel-router.local', address: '192.168.8.1' },
    ]);
    // TXT and NSEC are kept only as "other".
    expect(
      records.filter((r) => r.type === 'other').map((r) => r.type === 'other' && r.code),
    ).toEqual(expect.arrayContaining([16, 47]));
  });

  it('never throws on a cut or garbled packet', () => {
    for (let length = 0; length < zeroconf.length; length++) {
      expect(() => parseMdnsMessage(zeroconf.subarray(0, length))).not.toThrow();
      // Every cut inside the records leaves a message that cannot be read whole.
      if (length < zeroconf.length)
        expect(parseMdnsMessage(zeroconf.subarray(0, length))).toBeUndefined();
    }
    let seed = 7;
    for (let i = 0; i < 2000; i++) {
      const copy = Uint8Array.from(zeroconf);
      for (let j = 0; j < 4; j++) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        copy[seed % copy.length] = seed & 0xff;
      }
      expect(() => parseMdnsMessage(copy)).not.toThrow();
    }
  });

  it('rejects compression pointers that loop or point forward', () => {
    const header = [0x84, 0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0];
    const loop = Uint8Array.from([...header.slice(0, 12), 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(parseMdnsMessage(loop)).toBeUndefined();
    const forward = Uint8Array.from([
      ...header.slice(0, 12),
      0xc0,
      40,
      0,
      1,
      0,
      1,
      0,
      0,
      0,
      0,
      0,
      0,
    ]);
    expect(parseMdnsMessage(forward)).toBeUndefined();
  });
});

describe('mdnsFindings', () => {
  it('turns the answer into one finding per responder', () => {
    expect(mdnsFindings([{ from: '192.168.8.1', bytes: zeroconf }])).toEqual([
      {
        from: '192.168.8.1',
        addresses: ['192.168.8.1'],
        services: ['_http._tcp', '_ssh._tcp'],
        instances: ['travel-router'],
        hosts: ['travel-router.local'],
      },
    ]);
  });

  it('ignores queries, garbage and answers about other services', () => {
    expect(
      mdnsFindings(
        [
          { from: '192.168.8.7', bytes: buildMdnsQuery() },
          { from: '192.168.8.8', bytes: Uint8Array.from([1, 2, 3]) },
          { from: '192.168.8.1', bytes: zeroconf },
        ],
        ['_ipp._tcp.local'],
      ),
    ).toEqual([]);
  });

  it('merges repeated answers from one responder', () => {
    const findings = mdnsFindings([
      { from: '192.168.8.1', bytes: zeroconf },
      { from: '192.168.8.1', bytes: zeroconf },
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.addresses).toEqual(['192.168.8.1']);
  });
});
