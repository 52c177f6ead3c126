import { describe, expect, it } from 'vitest';
import { fixture } from '../../../../test/fixtures/read-fixture';
import { handshakeAgeS, parseWgDump } from './parse-wg-dump';

const capture = fixture('wg/wg-show-all-dump-wireguard-go-2-interfaces-4-peers.txt');

describe('parseWgDump', () => {
  it('reads both interfaces and all peers of `wg show all dump`', () => {
    const result = parseWgDump(capture);
    if (result.kind !== 'ok') throw new Error(result.message);
    expect(
      result.interfaces.map((entry) => [entry.name, entry.listenPort, entry.peers.length]),
    ).toEqual([
      ['hwfxb', 51820, 1],
      ['hwfxa', 51821, 3],
    ]);
    const [home, never, silent] = result.interfaces[1]?.peers ?? [];
    expect(result.interfaces[1]).toMatchObject({
      publicKey: '1m1g+FpAFv1BVxfMZLjh4fQp5cOyW3Lj4nUlbs2ydlk=',
      fwmark: 0x1234,
    });
    expect(result.interfaces[0]?.fwmark).toBeUndefined();
    expect(home).toEqual({
      publicKey: 'HBFEwMoKVjQTxR8cWLcrQfxMtUmTOS29NwZLG2pm2kA=',
      hasPresharedKey: true,
      endpoint: '192.0.2.2:51820',
      allowedIps: ['10.0.31.1/32', '192.168.35.0/24'],
      latestHandshakeS: 1795613803,
      rxBytes: 476,
      txBytes: 564,
      keepaliveS: 25,
    });
    expect(never).toEqual({
      publicKey: 'MtHCQlvEsstHhcSBu4dTQ5HA8FYeKrSQwJMBZg2Hjns=',
      hasPresharedKey: false,
      allowedIps: ['10.0.31.50/32'],
      rxBytes: 0,
      txBytes: 0,
    });
    expect(silent).toMatchObject({
      endpoint: '192.0.2.77:51820',
      txBytes: 148,
      allowedIps: ['10.0.31.60/32', 'fd00:31::60/128'],
    });
    expect(silent?.latestHandshakeS).toBeUndefined();
  });

  it('never copies private or preshared keys into the result', () => {
    const privateKeys = capture
      .split('\n')
      .map((line) => line.split('\t'))
      .filter((fields) => fields.length === 5)
      .map((fields) => fields[1] ?? '');
    expect(privateKeys).toHaveLength(2);
    const serialized = JSON.stringify(parseWgDump(capture));
    for (const key of privateKeys) expect(serialized).not.toContain(key);
    expect(serialized).not.toContain('qAXMBYNTwiUBWN+MBrk1sV8FBLcSOwDMnmRSpQWv7rM=');
  });

  it('reads the single-interface form when told the name', () => {
    const single = capture
      .split('\n')
      .filter((line) => line.startsWith('hwfxb\t'))
      .map((line) => line.slice('hwfxb\t'.length))
      .join('\n');
    const result = parseWgDump(single, 'wg0');
    expect(
      result.kind === 'ok' && result.interfaces.map((entry) => [entry.name, entry.peers.length]),
    ).toEqual([['wg0', 1]]);
  });

  it('gives the handshake age, undefined for never', () => {
    const result = parseWgDump(capture);
    if (result.kind !== 'ok') throw new Error(result.message);
    const peers = result.interfaces[1]?.peers ?? [];
    expect(peers[0] && handshakeAgeS(peers[0], 1795613803 + 200)).toBe(200);
    expect(peers[1] && handshakeAgeS(peers[1], 1795613803)).toBeUndefined();
  });

  it.each([
    '',
    'Unable to access interface: No such device',
    'a\tb\tc',
    'wg0\tk\t(none)\t(none)\t(none)\tx\t0\t0\toff',
  ])('reports %j as an error', (text) => {
    expect(parseWgDump(text).kind).toBe('error');
  });
});
