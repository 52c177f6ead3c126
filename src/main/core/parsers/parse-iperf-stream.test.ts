import { describe, expect, it } from 'vitest';
import { fixture } from '../../../../test/fixtures/read-fixture';
import { parseIperfJsonStream, parseIperfStreamLine } from './parse-iperf-stream';
import { splitLines } from './text-lines';

function events(file: string) {
  return splitLines(fixture(`iperf3/${file}`)).flatMap((line) => {
    const event = parseIperfStreamLine(line);
    return event ? [event] : [];
  });
}

describe('parseIperfStreamLine', () => {
  it('yields start, one interval per second, end', () => {
    const stream = events('iperf3-3.17.1-tcp-json-stream.jsonl');
    expect(stream.map((event) => event.kind)).toEqual([
      'start',
      'interval',
      'interval',
      'interval',
      'end',
    ]);
    expect(stream[0]).toEqual({
      kind: 'start',
      protocol: 'tcp',
      reverse: false,
      bidir: false,
      version: 'iperf 3.17.1',
    });
    const mbps = stream.flatMap((event) =>
      event.kind === 'interval' ? [event.interval.mbps] : [],
    );
    expect(mbps.map((value) => Math.round(value))).toEqual([198, 191, 191]);
  });

  it('carries the reverse half of --bidir intervals (3.21)', () => {
    const stream = events('iperf3-3.21-tcp-bidir-json-stream.jsonl');
    expect(stream[0]).toMatchObject({ kind: 'start', bidir: true });
    const first = stream.find((event) => event.kind === 'interval');
    expect(first?.kind === 'interval' && first.bidirReverse?.mbps).toBeGreaterThan(0);
  });

  it('turns an error event into an error', () => {
    const stream = events('iperf3-3.17.1-error-connection-refused-json-stream.jsonl');
    expect(stream[0]).toEqual({
      kind: 'error',
      message:
        'unable to connect to server - server may have stopped running or use a different port, firewall issue, etc.: Connection refused',
    });
    expect(stream[1]).toEqual({ kind: 'end' });
  });

  it.each(['', 'x', '{', '{"event":"interval","data":{}}', '{"event":"nope"}', '[]'])(
    'ignores %j',
    (line) => {
      expect(parseIperfStreamLine(line)).toBeUndefined();
    },
  );
});

describe('parseIperfJsonStream', () => {
  it('summarizes a UDP stream like -J output', () => {
    const result = parseIperfJsonStream(fixture('iperf3/iperf3-3.17.1-udp-json-stream.jsonl'));
    if (result.kind !== 'ok') throw new Error(result.message);
    expect(result).toMatchObject({ protocol: 'udp', reverse: false });
    expect(result.receivedMbps).toBeCloseTo(193.678, 3);
    expect(result.lossPercent).toBeCloseTo(35.147, 3);
    expect(result.intervals).toHaveLength(3);
  });

  it('summarizes a bidir stream', () => {
    const result = parseIperfJsonStream(fixture('iperf3/iperf3-3.21-tcp-bidir-json-stream.jsonl'));
    if (result.kind !== 'ok') throw new Error(result.message);
    expect(result.receivedMbps).toBeCloseTo(188.29, 2);
    expect(result.bidirReverse?.receivedMbps).toBeCloseTo(187.941, 3);
  });

  it('reports the error of a refused connection and a cut-off stream', () => {
    expect(
      parseIperfJsonStream(
        fixture('iperf3/iperf3-3.17.1-error-connection-refused-json-stream.jsonl'),
      ).kind,
    ).toBe('error');
    const cut = splitLines(fixture('iperf3/iperf3-3.17.1-tcp-json-stream.jsonl'))
      .slice(0, 3)
      .join('\n');
    expect(parseIperfJsonStream(cut)).toEqual({
      kind: 'error',
      message: 'iperf3 --json-stream ended without an end event',
    });
  });
});
