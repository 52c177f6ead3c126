import { describe, expect, it } from 'vitest';
import { fixture } from '../../../../test/fixtures/read-fixture';
import { parseIperfJson, type IperfOk, type IperfResult } from './parse-iperf';

function ok(result: IperfResult): IperfOk {
  if (result.kind !== 'ok') throw new Error(`expected ok, got: ${result.message}`);
  return result;
}

describe('parseIperfJson', () => {
  it('reads a TCP upload (3.17.1)', () => {
    const result = ok(parseIperfJson(fixture('iperf3/iperf3-3.17.1-tcp.json')));
    expect(result).toMatchObject({
      protocol: 'tcp',
      reverse: false,
      retransmits: 766,
      durationS: 5,
    });
    expect(result.version).toBe('iperf 3.17.1');
    expect(result.sentMbps).toBeCloseTo(192.658, 3);
    expect(result.receivedMbps).toBeCloseTo(190.593, 3);
    expect(result.cpuLocalPercent).toBeCloseTo(1.54, 2);
    expect(result.cpuRemotePercent).toBeCloseTo(11.125, 3);
    expect(result.senderCongestion).toBe('bbr');
    expect(result.intervals).toHaveLength(5);
    expect(result.intervals[0]).toEqual({
      startS: 0,
      endS: 1.001009,
      mbps: expect.closeTo(199.029, 3),
    });
    expect(result.jitterMs).toBeUndefined();
    expect(result.bidirReverse).toBeUndefined();
  });

  it('marks -R runs as reverse', () => {
    const result = ok(parseIperfJson(fixture('iperf3/iperf3-3.17.1-tcp-reverse.json')));
    expect(result).toMatchObject({ protocol: 'tcp', reverse: true, retransmits: 306 });
    expect(result.receivedMbps).toBeCloseTo(190.615, 3);
  });

  it('takes UDP jitter and loss from the receiver side', () => {
    const result = ok(parseIperfJson(fixture('iperf3/iperf3-3.17.1-udp-300M-loss.json')));
    expect(result).toMatchObject({
      protocol: 'udp',
      reverse: false,
      lostPackets: 49064,
      packets: 139047,
    });
    expect(result.sentMbps).toBeCloseTo(299.824, 3);
    expect(result.receivedMbps).toBeCloseTo(193.803, 3);
    expect(result.lossPercent).toBeCloseTo(35.279, 3);
    expect(result.jitterMs).toBeCloseTo(0.1114, 4);
    expect(result.retransmits).toBeUndefined();
  });

  it('reads UDP reverse from 3.21 and from Debian 3.12', () => {
    const v321 = ok(parseIperfJson(fixture('iperf3/iperf3-3.21-udp-300M-reverse-loss.json')));
    expect(v321).toMatchObject({
      protocol: 'udp',
      reverse: true,
      lostPackets: 29245,
      packets: 83250,
    });
    expect(v321.lossPercent).toBeCloseTo(35.038, 3);
    // In reverse mode the per-second sums are the client's receive rate.
    expect(v321.intervals[0]?.mbps).toBeCloseTo(194.464, 3);

    const v312 = ok(parseIperfJson(fixture('iperf3/iperf3-3.12-udp-reverse.json')));
    expect(v312).toMatchObject({
      protocol: 'udp',
      reverse: true,
      lossPercent: 0,
      lostPackets: 0,
      packets: 9471,
    });
    expect(v312.receivedMbps).toBeCloseTo(50.005, 3);
    expect(v312.version).toBe('iperf 3.12');
  });

  it('reads Debian 3.12 TCP with cubic', () => {
    const result = ok(parseIperfJson(fixture('iperf3/iperf3-3.12-tcp.json')));
    expect(result).toMatchObject({ protocol: 'tcp', retransmits: 7, senderCongestion: 'cubic' });
    expect(result.intervals).toHaveLength(2);
  });

  it('splits --bidir into the forward and the reverse half', () => {
    const result = ok(parseIperfJson(fixture('iperf3/iperf3-3.17.1-tcp-bidir.json')));
    expect(result.sentMbps).toBeCloseTo(191.021, 3);
    expect(result.retransmits).toBe(3606);
    expect(result.bidirReverse?.sentMbps).toBeCloseTo(190.392, 3);
    expect(result.bidirReverse?.receivedMbps).toBeCloseTo(188.094, 3);
    expect(result.bidirReverse?.retransmits).toBe(4703);
    expect(result.bidirReverse?.intervals).toHaveLength(5);
    expect(result.bidirReverse?.intervals[0]?.mbps).toBeCloseTo(187.595, 3);
    expect(result.intervals[0]?.mbps).toBeCloseTo(197.027, 3);
  });

  it('parses the first object when the output holds two copies', () => {
    const once = fixture('iperf3/iperf3-3.21-tcp.json');
    const twice = ok(parseIperfJson(`${once}\n${once.replace('"bits_per_second"', '"ignored"')}`));
    expect(twice.receivedMbps).toBeCloseTo(190.801, 3);
    expect(twice.intervals).toHaveLength(3);
  });

  it.each([
    ['iperf3-3.17.1-error-connection-refused.json', /Connection refused$/, undefined],
    ['iperf3-3.17.1-error-connect-timeout.json', /Connection timed out$/, undefined],
    ['iperf3-3.17.1-error-server-busy.json', /^the server is busy/, true],
  ])('returns the error of %s', (file, message, busy) => {
    const result = parseIperfJson(fixture(`iperf3/${file}`));
    expect(result.kind).toBe('error');
    if (result.kind !== 'error') return;
    expect(result.message).toMatch(message);
    expect(result.busy).toBe(busy);
  });

  it('reads the text-mode error line when -J was not in effect', () => {
    expect(parseIperfJson(fixture('iperf3/iperf3-3.12-refused.txt'))).toEqual({
      kind: 'error',
      message: 'unable to connect to server: Connection refused',
    });
  });

  it.each([
    '',
    'garbage',
    '{',
    '{"start": 1}',
    '[1,2]',
    '{"end": {"sum_sent": {"bits_per_second": "x"}}}',
  ])('never throws on %j', (text) => {
    expect(parseIperfJson(text).kind).toBe('error');
  });
});
