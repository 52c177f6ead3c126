import { describe, expect, it } from 'vitest';
import { fixture } from '../../../../test/fixtures/read-fixture';
import { parseApkList, parseOpkgList, splitNameVersion } from './parse-package-list';

describe('parseOpkgList', () => {
  it('reads `opkg list-installed` from a 2022 snapshot', () => {
    const packages = parseOpkgList(
      fixture('opkg/opkg-list-installed-snapshot-2022-ipq806x-packages-19003.txt'),
    );
    expect(packages).toHaveLength(46);
    expect(packages.find((entry) => entry.name === 'dropbear')).toEqual({
      name: 'dropbear',
      version: '2022.82-2',
    });
    expect(packages.find((entry) => entry.name === 'kernel')?.version).toBe(
      '5.15.53-1-b74d1c5fc794ff68fd474ac2015d8349',
    );
    expect(packages.find((entry) => entry.name === 'kmod-ath10k-ct')?.version).toBe(
      '5.15.53+2022-05-13-f808496f-1',
    );
  });

  it('ignores noise and keeps the version of `opkg list` lines', () => {
    expect(
      parseOpkgList(
        'Collected errors:\n * opkg: x\niperf3 - 3.12-1 - Internet Protocol bandwidth measuring tool\n\n',
      ),
    ).toEqual([{ name: 'iperf3', version: '3.12-1' }]);
  });
});

describe('parseApkList', () => {
  it('reads `apk list --installed` from 25.12', () => {
    const packages = parseApkList(fixture('apk/apk-list-installed-25.12-mips-openwrt-23388.txt'));
    expect(packages).toHaveLength(12);
    expect(packages[0]).toEqual({
      name: 'apk-mbedtls',
      version: '3.0.5-r3',
      arch: 'mips_mips32',
      origin: 'feeds/base/system/apk',
      license: 'GPL-2.0-only',
      installed: true,
    });
    const byName = Object.fromEntries(packages.map((entry) => [entry.name, entry]));
    expect(byName['base-files']?.version).toBe('1707~4ccb782af7');
    expect(byName['attendedsysupgrade-common']?.version).toBe('10');
    expect(byName['bcm63xx-cfe']).toMatchObject({ version: '2025.04.02~b8128fa4-r1' });
    expect(byName['bcm63xx-cfe']?.license).toBeUndefined();
    expect(byName['ca-bundle']).toMatchObject({
      version: '20260223-r1',
      license: 'GPL-2.0-or-later MPL-2.0',
    });
    expect(byName['dropbear']?.version).toBe('2025.89-r1');
  });

  it('splits names that contain dashes and digits', () => {
    expect(splitNameVersion('kmod-8021q-6.6.1-r1')).toEqual({
      name: 'kmod-8021q',
      version: '6.6.1-r1',
    });
    expect(splitNameVersion('iperf3-3.18-r1')).toEqual({ name: 'iperf3', version: '3.18-r1' });
    expect(splitNameVersion('noversion')).toBeUndefined();
  });

  it('marks packages that are not installed and skips other lines', () => {
    expect(
      parseApkList(
        'iperf3-3.18-r1 aarch64_cortex-a53 {feeds/base/net/iperf3} (BSD-3-Clause)\nWARNING: x\n',
      ),
    ).toEqual([
      {
        name: 'iperf3',
        version: '3.18-r1',
        arch: 'aarch64_cortex-a53',
        origin: 'feeds/base/net/iperf3',
        license: 'BSD-3-Clause',
        installed: false,
      },
    ]);
  });
});
