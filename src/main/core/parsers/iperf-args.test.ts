import { describe, expect, it } from 'vitest';
import { buildIperfArgs } from './iperf-args';

describe('buildIperfArgs', () => {
  it('builds a downstream TCP test with cubic and JSON', () => {
    expect(
      buildIperfArgs({
        host: '10.0.31.1',
        port: 5201,
        durationS: 5,
        reverse: true,
        json: true,
        congestion: 'cubic',
        omitS: 1,
      }),
    ).toEqual([
      'iperf3',
      '-c',
      '10.0.31.1',
      '-p',
      '5201',
      '-t',
      '5',
      '-O',
      '1',
      '-R',
      '-C',
      'cubic',
      '-J',
    ]);
  });

  it('builds a UDP test at the VR bitrate and packet size, without -C', () => {
    expect(
      buildIperfArgs({
        host: '192.168.8.1',
        durationS: 5,
        udp: true,
        bitrateMbps: 100,
        lengthBytes: 1320,
        congestion: 'cubic',
        forceflush: true,
      }),
    ).toEqual([
      'iperf3',
      '-c',
      '192.168.8.1',
      '-t',
      '5',
      '-u',
      '-b',
      '100M',
      '-l',
      '1320',
      '--forceflush',
    ]);
  });

  it('prefers --json-stream over -J', () => {
    const argv = buildIperfArgs({
      host: 'h',
      durationS: 3,
      json: true,
      jsonStream: true,
      bidir: true,
    });
    expect(argv).toContain('--json-stream');
    expect(argv).toContain('--bidir');
    expect(argv).not.toContain('-J');
  });

  it('refuses option-like hosts and congestion names', () => {
    expect(() => buildIperfArgs({ host: '--server', durationS: 1 })).toThrow(TypeError);
    expect(() => buildIperfArgs({ host: 'h', durationS: 1, congestion: 'cubic; reboot' })).toThrow(
      TypeError,
    );
  });
});
