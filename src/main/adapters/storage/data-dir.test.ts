import { describe, expect, it } from 'vitest';
import { resolveDataDir } from './data-dir';

describe('resolveDataDir', () => {
  const home = '/home/ana';
  it('honours HOMEWARD_DATA_DIR everywhere', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      expect(
        resolveDataDir({ env: { HOMEWARD_DATA_DIR: '/tmp/hw' }, platform, homedir: home }),
      ).toBe('/tmp/hw');
    }
  });

  it('Linux: XDG_DATA_HOME when absolute, else ~/.local/share', () => {
    expect(resolveDataDir({ env: {}, platform: 'linux', homedir: home })).toBe(
      '/home/ana/.local/share/homeward',
    );
    expect(
      resolveDataDir({ env: { XDG_DATA_HOME: '/data' }, platform: 'linux', homedir: home }),
    ).toBe('/data/homeward');
    expect(
      resolveDataDir({ env: { XDG_DATA_HOME: 'rel' }, platform: 'linux', homedir: home }),
    ).toBe('/home/ana/.local/share/homeward');
    expect(
      resolveDataDir({ env: { HOMEWARD_DATA_DIR: ' ' }, platform: 'freebsd', homedir: home }),
    ).toBe('/home/ana/.local/share/homeward');
  });

  it('macOS and Windows', () => {
    expect(resolveDataDir({ env: {}, platform: 'darwin', homedir: '/Users/ana' })).toBe(
      '/Users/ana/Library/Application Support/Homeward',
    );
    expect(
      resolveDataDir({
        env: { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' },
        platform: 'win32',
        homedir: 'C:\\Users\\ana',
      }),
    ).toBe('C:\\Users\\ana\\AppData\\Roaming\\Homeward');
    expect(resolveDataDir({ env: {}, platform: 'win32', homedir: 'C:\\Users\\ana' })).toBe(
      'C:\\Users\\ana\\AppData\\Roaming\\Homeward',
    );
  });
});
