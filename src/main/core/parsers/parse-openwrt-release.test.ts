import { describe, expect, it } from 'vitest';
import { fixture } from '../../../../test/fixtures/read-fixture';
import { parseOpenwrtRelease } from './parse-openwrt-release';

describe('parseOpenwrtRelease', () => {
  it('reads /etc/openwrt_release (22.03.0-rc4)', () => {
    const result = parseOpenwrtRelease(
      fixture('openwrt_release/openwrt_release-22.03.0-rc4-ramips-mt7621.txt'),
    );
    expect(result).toMatchObject({
      kind: 'ok',
      distribution: 'OpenWrt',
      version: '22.03.0-rc4',
      revision: 'r19426-2b1941e47d',
      target: 'ramips/mt7621',
      arch: 'mipsel_24kc',
      description: 'OpenWrt 22.03.0-rc4 r19426-2b1941e47d',
    });
    if (result.kind === 'ok') expect(result.vars.DISTRIB_TAINTS).toBe('');
  });

  it('reads openwrt_release and os-release printed back to back (23.05.5)', () => {
    const result = parseOpenwrtRelease(
      fixture('openwrt_release/etc-release-23.05.5-ramips-mt7620.txt'),
    );
    expect(result).toMatchObject({
      kind: 'ok',
      version: '23.05.5',
      revision: 'r24106-10cc5fcd00',
      target: 'ramips/mt7620',
      description: 'OpenWrt 23.05.5 r24106-10cc5fcd00',
    });
    if (result.kind === 'ok') {
      expect(result.vars.ID_LIKE).toBe('lede openwrt');
      expect(result.vars.OPENWRT_DEVICE_PRODUCT).toBe('Generic');
    }
  });

  it('falls back to os-release keys and undoes shell quoting', () => {
    const result = parseOpenwrtRelease(
      `NAME="OpenWrt"\nVERSION_ID="24.10.0"\nOPENWRT_BOARD="mediatek/filogic"\nPRETTY_NAME="Say \\"hi\\""\nX='it'\\''s'\n`,
    );
    expect(result).toMatchObject({
      kind: 'ok',
      version: '24.10.0',
      target: 'mediatek/filogic',
      description: 'Say "hi"',
    });
    if (result.kind === 'ok') expect(result.vars.X).toBe("it's");
  });

  it.each(['', 'hello world', '{"a":1}', "=''"])('reports %j as an error', (text) => {
    expect(parseOpenwrtRelease(text).kind).toBe('error');
  });
});
