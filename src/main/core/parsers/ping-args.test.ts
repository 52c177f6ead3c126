import { describe, expect, it } from 'vitest';
import { buildPingArgs } from './ping-args';

describe('buildPingArgs', () => {
  it('builds a Linux DF probe with -M do and whole-second -W', () => {
    expect(
      buildPingArgs('linux', {
        host: '10.0.2.2',
        count: 3,
        intervalS: 0.2,
        timeoutS: 1.5,
        payloadBytes: 1372,
        dontFragment: true,
      }),
    ).toEqual([
      'ping',
      '-4',
      '-n',
      '-c',
      '3',
      '-i',
      '0.2',
      '-W',
      '2',
      '-s',
      '1372',
      '-M',
      'do',
      '10.0.2.2',
    ]);
  });

  it('asks Linux for genuine non-DF packets with -M dont', () => {
    const argv = buildPingArgs('linux', { host: 'router.lan', count: 1, dontFragment: false });
    expect(argv.slice(-3)).toEqual(['-M', 'dont', 'router.lan']);
  });

  it('leaves the Linux default alone when DF is not specified', () => {
    expect(buildPingArgs('linux', { host: '::1', count: 2, ipv6: true })).toEqual([
      'ping',
      '-6',
      '-n',
      '-c',
      '2',
      '::1',
    ]);
  });

  it('uses -D and a millisecond -W on macOS, ping6 with -m for IPv6', () => {
    expect(
      buildPingArgs('darwin', {
        host: '10.0.2.2',
        count: 4,
        timeoutS: 1,
        payloadBytes: 1472,
        dontFragment: true,
      }),
    ).toEqual(['ping', '-n', '-c', '4', '-W', '1000', '-s', '1472', '-D', '10.0.2.2']);
    expect(
      buildPingArgs('darwin', { host: 'fd00::1', count: 1, dontFragment: true, ipv6: true }),
    ).toEqual(['ping6', '-n', '-c', '1', '-m', 'fd00::1']);
  });

  it('uses -f -l N -n C -w ms on Windows and drops the interval it cannot express', () => {
    expect(
      buildPingArgs('win32', {
        host: '192.168.8.1',
        count: 5,
        intervalS: 0.2,
        timeoutS: 2,
        payloadBytes: 1472,
        dontFragment: true,
      }),
    ).toEqual(['ping', '-4', '-n', '5', '-w', '2000', '-l', '1472', '-f', '192.168.8.1']);
  });

  it('refuses a host that would be read as an option', () => {
    expect(() => buildPingArgs('linux', { host: '-f', count: 1 })).toThrow(TypeError);
    expect(() => buildPingArgs('win32', { host: 'a b', count: 1 })).toThrow(TypeError);
    expect(() => buildPingArgs('darwin', { host: '', count: 1 })).toThrow(TypeError);
  });
});
