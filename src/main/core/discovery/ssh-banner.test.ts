import { describe, expect, it } from 'vitest';
import { fixture } from '../../../../test/fixtures/read-fixture';
import { describeSshBanner, parseSshBanner } from './ssh-banner';

describe('parseSshBanner', () => {
  it('reads the dropbear identification line captured from Dropbear 2022.83', () => {
    const text = fixture('ssh/dropbear-2022.83-identification.txt');
    expect(text.endsWith('\r\n')).toBe(true);
    const banner = parseSshBanner(text);
    expect(banner).toEqual({
      software: 'dropbear',
      version: '2022.83',
      softwareField: 'dropbear_2022.83',
      protocol: '2.0',
    });
    expect(banner && describeSshBanner(banner)).toBe('dropbear 2022.83');
  });

  it('reads the OpenSSH 9.2 identification string from a real client log', () => {
    const log = fixture('ssh/openssh-9.2-client-debug-vs-dropbear-2022.83.txt');
    const local = /Local version string (.*)$/m.exec(log)?.[1];
    expect(local).toBe('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10');
    expect(parseSshBanner(`${local}\r\n`)).toEqual({
      software: 'openssh',
      version: '9.2p1',
      softwareField: 'OpenSSH_9.2p1',
      comments: 'Debian-2+deb12u10',
      protocol: '2.0',
    });
    // The same log names the server's software the way the banner parser does.
    const remote = /remote software version (\S+)/.exec(log)?.[1];
    expect(parseSshBanner(`SSH-2.0-${remote}`)?.software).toBe('dropbear');
  });

  it('skips lines a server may send before the identification (RFC 4253 4.2)', () => {
    expect(parseSshBanner('Welcome\r\nSSH-2.0-dropbear_2020.81\r\n')?.version).toBe('2020.81');
  });

  it('handles dropbear without a version and other servers', () => {
    expect(parseSshBanner('SSH-2.0-dropbear')).toEqual({
      software: 'dropbear',
      softwareField: 'dropbear',
      protocol: '2.0',
    });
    const other = parseSshBanner('SSH-2.0-ROSSSH');
    expect(other?.software).toBe('other');
    expect(other && describeSshBanner(other)).toBe('ROSSSH');
    expect(parseSshBanner('SSH-1.99-OpenSSH_3.9p1')?.protocol).toBe('1.99');
  });

  it('returns undefined for anything that is not an identification line', () => {
    for (const text of [
      '',
      'HTTP/1.1 400 Bad Request\r\n',
      'SSH-2.0-\r\n',
      `SSH-2.0-${'x'.repeat(300)}`,
      '\u0000\u0001\u0002',
      'ssh-2.0-dropbear',
    ]) {
      expect(parseSshBanner(text)).toBeUndefined();
    }
  });
});
