import { describe, expect, it } from 'vitest';
import { fixture } from '../../../../test/fixtures/read-fixture';
import { parsePing, type PingOk, type PingResult } from './parse-ping';

function ok(result: PingResult): PingOk {
  if (result.kind !== 'ok') throw new Error(`expected ok, got ${result.reason}: ${result.message}`);
  return result;
}

describe('parsePing on Linux iputils', () => {
  it('reads replies, counts and rtt', () => {
    const result = ok(parsePing('linux', fixture('ping/linux-iputils-20221126-normal.txt')));
    expect(result).toMatchObject({
      host: '10.0.2.2',
      address: '10.0.2.2',
      transmitted: 4,
      received: 4,
      lossPercent: 0,
      rttMinMs: 0.037,
      rttAvgMs: 0.058,
      rttMaxMs: 0.07,
      rttMdevMs: 0.012,
    });
    expect(result.replies).toHaveLength(4);
    expect(result.replies[0]).toEqual({
      seq: 1,
      bytes: 64,
      ttl: 63,
      timeMs: 0.037,
      from: '10.0.2.2',
    });
    expect(result.fragNeeded).toBeUndefined();
  });

  it('sees a DF probe that fits', () => {
    const result = ok(
      parsePing('linux', fixture('ping/linux-iputils-20221126-M-do-1372-fits.txt')),
    );
    expect(result.received).toBe(3);
    expect(result.replies.every((reply) => reply.bytes === 1380)).toBe(true);
  });

  it('recognizes "Frag needed and DF set" and the local "message too long"', () => {
    const result = ok(
      parsePing('linux', fixture('ping/linux-iputils-20221126-M-do-frag-needed-mtu1400.txt')),
    );
    expect(result.fragNeeded).toEqual({ mtu: 1400, from: '10.0.1.1' });
    expect(result.localMessageTooLong).toEqual({ mtu: 1400 });
    expect(result).toMatchObject({ transmitted: 4, received: 0, errors: 4, lossPercent: 100 });
    expect(result.replies).toEqual([]);
  });

  it('recognizes a local "message too long" without any ICMP from the path', () => {
    const result = ok(
      parsePing('linux', fixture('ping/linux-iputils-20221126-M-do-local-message-too-long.txt')),
    );
    expect(result.localMessageTooLong).toEqual({ mtu: 1500 });
    expect(result.fragNeeded).toBeUndefined();
  });

  it('tells a silent loss from an unreachable report', () => {
    const silent = ok(
      parsePing('linux', fixture('ping/linux-iputils-20221126-100pct-loss-silent.txt')),
    );
    expect(silent).toMatchObject({ transmitted: 4, received: 0, lossPercent: 100 });
    expect(silent.unreachable).toBeUndefined();
    expect(silent.rttAvgMs).toBeUndefined();

    const host = ok(
      parsePing('linux', fixture('ping/linux-iputils-20221126-host-unreachable.txt')),
    );
    expect(host.unreachable).toEqual({ type: 'host', from: '10.0.1.1', count: 3 });
    const net = ok(parsePing('linux', fixture('ping/linux-iputils-20221126-net-unreachable.txt')));
    expect(net.unreachable).toEqual({ type: 'net', from: '10.0.1.1', count: 2 });
    const older = ok(
      parsePing('linux', fixture('ping/linux-iputils-100pct-loss-host-unreachable.txt')),
    );
    expect(older).toMatchObject({
      transmitted: 5,
      errors: 3,
      unreachable: { type: 'host', count: 3 },
    });
  });

  it('reports an unknown host as an error kind', () => {
    const result = parsePing('linux', fixture('ping/linux-iputils-20221126-unknown-host.txt'));
    expect(result).toEqual({
      kind: 'error',
      reason: 'unknown-host',
      message: 'ping: badhost.invalid: Temporary failure in name resolution',
    });
  });

  it('separates duplicates from replies', () => {
    const result = ok(parsePing('linux', fixture('ping/linux-centos7-ip-dup.txt')));
    expect(result).toMatchObject({
      transmitted: 2,
      received: 2,
      duplicates: 19,
      rttMaxMs: 1276.448,
    });
    expect(result.replies.filter((reply) => !reply.duplicate)).toHaveLength(2);
    expect(result.replies.filter((reply) => reply.duplicate)).toHaveLength(19);
  });

  it('counts local send errors between replies', () => {
    const result = ok(parsePing('linux', fixture('ping/linux-iputils-sendmsg-unreachable.txt')));
    expect(result).toMatchObject({ transmitted: 19, received: 11, lossPercent: 42, sendErrors: 3 });
    expect(result.replies.map((reply) => reply.seq)).toEqual([
      1, 2, 3, 4, 5, 14, 15, 16, 17, 18, 19,
    ]);
  });

  it('reads the IPv6 header form and reply addresses in parentheses', () => {
    const result = ok(parsePing('linux', fixture('ping/linux-iputils-ipv6-hostname.txt')));
    expect(result).toMatchObject({
      host: 'one.one.one.one',
      address: '2606:4700:4700::1111',
      received: 2,
    });
    expect(result.replies[1]).toMatchObject({
      ttl: 60,
      timeMs: 1.42,
      from: '2606:4700:4700::1111',
    });
  });

  it('reads 20 replies from Ubuntu 18.04', () => {
    const result = ok(parsePing('linux', fixture('ping/linux-ubuntu1804-ip-O.txt')));
    expect(result.replies).toHaveLength(20);
    expect(result.rttMinMs).toBe(0.02);
  });
});

describe('parsePing on macOS', () => {
  it('reads the BSD statistics wording and stddev', () => {
    const result = ok(parsePing('darwin', fixture('ping/macos-hostname.txt')));
    expect(result).toMatchObject({
      host: 'google.com',
      address: '172.217.24.46',
      transmitted: 4,
      received: 4,
      lossPercent: 0,
      rttMinMs: 4.269,
      rttAvgMs: 4.96,
      rttMaxMs: 5.371,
      rttMdevMs: 0.424,
    });
    expect(result.replies[0]).toEqual({
      seq: 0,
      bytes: 64,
      ttl: 54,
      timeMs: 5.371,
      from: '172.217.24.46',
    });
  });

  it('counts "Destination Host Unreachable" reports and no replies', () => {
    const result = ok(
      parsePing('darwin', fixture('ping/macos-10.14.6-100pct-loss-host-unreachable.txt')),
    );
    expect(result).toMatchObject({ transmitted: 8, received: 0, lossPercent: 100 });
    expect(result.unreachable).toEqual({ type: 'host', from: '192.168.1.220', count: 6 });
    expect(result.replies).toEqual([]);
  });
});

describe('parsePing on Windows, by structure and numbers only', () => {
  it('reads English Windows 7', () => {
    const result = ok(parsePing('win32', fixture('ping/windows7sp1-en-hostname.txt')));
    expect(result).toMatchObject({
      host: 'google.com',
      address: '216.58.196.238',
      transmitted: 10,
      received: 10,
      lossPercent: 0,
      rttMinMs: 56,
      rttMaxMs: 194,
      rttAvgMs: 107,
    });
    expect(result.replies).toHaveLength(10);
    expect(result.replies[4]).toEqual({ bytes: 32, ttl: 51, timeMs: 194, from: '216.58.196.238' });
  });

  it.each([
    ['windows-ja-hostname.txt', 'google.com', '216.58.197.142', [7, 5, 4, 4], 55, [4, 7, 5]],
    ['windows-ja-ip.txt', '8.8.8.8', '8.8.8.8', [4, 4, 5, 6], 58, [4, 6, 4]],
    ['windows-ru-ip.txt', '8.8.8.8', '8.8.8.8', [37, 33, 38, 34], 55, [33, 38, 35]],
    ['windows-zh-tw-hostname.txt', 'google.com', '216.58.203.14', [2, 2, 3, 3], 54, [2, 3, 2]],
  ])('reads %s', (file, host, address, times, ttl, [min, max, avg]) => {
    const result = ok(parsePing('win32', fixture(`ping/${file}`)));
    expect(result).toMatchObject({ host, address, transmitted: 4, received: 4, lossPercent: 0 });
    expect(result.replies.map((reply) => reply.timeMs)).toEqual(times);
    expect(result.replies.every((reply) => reply.ttl === ttl && reply.bytes === 32)).toBe(true);
    expect([result.rttMinMs, result.rttMaxMs, result.rttAvgMs]).toEqual([min, max, avg]);
  });

  it('reads German IPv6 replies that carry neither bytes nor TTL, and the source address in the header is not the target', () => {
    const result = ok(parsePing('win32', fixture('ping/windows-de-ipv6.txt')));
    expect(result).toMatchObject({
      host: 'google.de',
      address: '2a00:1450:4001:810::2003',
      received: 4,
    });
    expect(result.replies.map((reply) => reply.timeMs)).toEqual([11, 11, 18, 11]);
    expect(result.replies[0]).toEqual({ timeMs: 11, from: '2a00:1450:4001:810::2003' });
    expect([result.rttMinMs, result.rttMaxMs, result.rttAvgMs]).toEqual([11, 18, 12]);
  });

  it('reads "<1ms" replies as sub-millisecond', () => {
    const result = ok(parsePing('win32', fixture('ping/windows-zh-tw-localhost.txt')));
    expect(result.address).toBe('127.0.0.1');
    expect(result.replies).toHaveLength(4);
    expect(result.replies[0]).toEqual({
      timeMs: 0,
      subMillisecond: true,
      ttl: 128,
      bytes: 32,
      from: '127.0.0.1',
    });
  });

  it('parses the same output with the CRLF line endings of a live console', () => {
    const crlf = fixture('ping/windows-ja-ip.txt').replace(/\n/g, '\r\n');
    expect(ok(parsePing('win32', crlf)).replies).toHaveLength(4);
  });
});

describe('parsePing on bad input', () => {
  it.each(['', '   \n', 'garbage', '{"not":"ping"}', '\u0000\u0001'])(
    'never throws on %j',
    (text) => {
      for (const os of ['linux', 'darwin', 'win32'] as const) {
        const result = parsePing(os, text);
        expect(result.kind).toBe('error');
      }
    },
  );
});
