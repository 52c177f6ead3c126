import { describe, expect, it } from 'vitest';
import { fixture } from '../../../../test/fixtures/read-fixture';
import { parseUbusSystemBoard } from './parse-ubus-board';

describe('parseUbusSystemBoard', () => {
  it('reads an MT7621 board on 21.02.1 (no rootfs_type yet)', () => {
    const result = parseUbusSystemBoard(
      fixture('ubus/system-board-mt7621-unielec-u7621-06-21.02.1.json'),
    );
    expect(result).toEqual({
      kind: 'ok',
      hostname: 'OpenWrt',
      model: 'UniElec U7621-06 (16M flash)',
      boardName: 'unielec,u7621-06-16m',
      kernel: '5.4.154',
      system: 'MediaTek MT7621 ver:1 eco:3',
      release: {
        distribution: 'OpenWrt',
        version: '21.02.1',
        revision: 'r16325-88151b8303',
        target: 'ramips/mt7621',
        description: 'OpenWrt 21.02.1 r16325-88151b8303',
      },
    });
  });

  it('reads an MT7981 board on a snapshot, with rootfs_type', () => {
    const result = parseUbusSystemBoard(
      fixture('ubus/system-board-mt7981-xiaomi-ax3000t-snapshot-r24557.json'),
    );
    expect(result).toMatchObject({
      kind: 'ok',
      hostname: 'apxx',
      model: 'Xiaomi Mi Router AX3000T (stock layout)',
      boardName: 'xiaomi,mi-router-ax3000t-stock',
      rootfsType: 'squashfs',
      release: { version: 'SNAPSHOT', target: 'mediatek/filogic' },
    });
  });

  it.each(['', 'Command failed: Not found', '[]', '{}', '{"model": 5}'])(
    'reports %j as an error',
    (text) => {
      expect(parseUbusSystemBoard(text).kind).toBe('error');
    },
  );
});
