import { describe, expect, it } from 'vitest';
import { fixture } from '../../../../test/fixtures/read-fixture';
import { parseIwinfoAssoclist } from './parse-iwinfo-assoclist';

describe('parseIwinfoAssoclist', () => {
  it('reads a VHT80 station with an unknown TX rate', () => {
    expect(
      parseIwinfoAssoclist(fixture('iwinfo/iwinfo-assoclist-jww6051-vht80-openwrt-zarhus.txt')),
    ).toEqual([
      {
        mac: 'AE:D0:E6:3C:90:EC',
        signalDbm: -35,
        noiseDbm: -100,
        snrDb: 65,
        inactiveMs: 90,
        rx: { mbps: 390, mcs: 9, standard: 'vht', widthMhz: 80, nss: 1, packets: 175 },
        tx: { packets: 134 },
      },
    ]);
  });

  it('treats "No station connected" as no stations', () => {
    expect(parseIwinfoAssoclist('No station connected\n')).toEqual([]);
    expect(parseIwinfoAssoclist('')).toEqual([]);
  });
});
