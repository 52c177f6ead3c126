import { describe, expect, it } from 'vitest';
import { fixture } from '../../../../test/fixtures/read-fixture';
import { parseIperfTextInterval, type IperfTextLine } from './parse-iperf-text';
import { splitLines } from './text-lines';

function parsed(file: string, protocol: 'tcp' | 'udp' = 'tcp'): IperfTextLine[] {
  return splitLines(fixture(`iperf3/${file}`)).flatMap((line) => {
    const result = parseIperfTextInterval(line, protocol);
    return result ? [result] : [];
  });
}

describe('parseIperfTextInterval on iperf3 3.12 --forceflush output', () => {
  it('reads TCP interval and summary lines', () => {
    const lines = parsed('iperf3-3.12-tcp-forceflush.txt');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toEqual({
      stream: 5,
      startS: 0,
      endS: 1,
      transferBytes: Math.round(3.25 * 1024 ** 3),
      mbps: 27900,
      retransmits: 5,
    });
    expect(lines[3]).toMatchObject({
      summary: 'sender',
      startS: 0,
      endS: 3,
      mbps: 29200,
      retransmits: 12,
    });
    expect(lines[4]).toMatchObject({ summary: 'receiver', mbps: 29200 });
    expect(lines[4]?.retransmits).toBeUndefined();
  });

  it('reads reverse-mode intervals without retransmits', () => {
    const lines = parsed('iperf3-3.12-tcp-reverse-forceflush.txt');
    expect(lines.map((line) => line.mbps)).toEqual([15400, 31300, 26300, 24300, 24300]);
    expect(lines[0]?.retransmits).toBeUndefined();
  });

  it('reads [SUM] lines of parallel streams', () => {
    const sums = parsed('iperf3-3.12-tcp-P2-forceflush.txt').filter(
      (line) => line.stream === 'sum',
    );
    expect(sums.map((line) => [line.startS, line.endS, line.mbps, line.summary])).toEqual([
      [0, 1, 25300, undefined],
      [1, 2, 29300, undefined],
      [0, 2, 27300, 'sender'],
      [0, 2, 27300, 'receiver'],
    ]);
  });

  it('reads UDP datagrams, jitter and loss', () => {
    const lines = parsed('iperf3-3.12-udp-forceflush.txt', 'udp');
    expect(lines[0]).toMatchObject({
      mbps: 50,
      datagrams: 4731,
      transferBytes: Math.round(5.96 * 1024 ** 2),
    });
    expect(lines[4]).toEqual({
      stream: 5,
      startS: 0,
      endS: 3,
      transferBytes: Math.round(17.9 * 1024 ** 2),
      mbps: 50,
      summary: 'receiver',
      jitterMs: 0.008,
      lostPackets: 0,
      packets: 14201,
      lossPercent: 0,
    });
  });

  it('keeps the --bidir role tags', () => {
    const lines = parsed('iperf3-3.12-tcp-bidir-forceflush.txt');
    expect(lines.slice(0, 2).map((line) => [line.role, line.mbps])).toEqual([
      ['TX-C', 9170],
      ['RX-C', 19500],
    ]);
  });

  it.each([
    'Connecting to host 127.0.0.1, port 5399',
    '[ ID] Interval           Transfer     Bitrate         Retr  Cwnd',
    '- - - - - - - - - - - - - - - - - - - - - - - - -',
    '[  5] local 127.0.0.1 port 56112 connected to 127.0.0.1 port 5399',
    'iperf Done.',
    '',
  ])('ignores %j', (line) => {
    expect(parseIperfTextInterval(line)).toBeUndefined();
  });
});
