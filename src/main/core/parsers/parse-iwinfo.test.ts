import { describe, expect, it } from 'vitest';
import { fixture } from '../../../../test/fixtures/read-fixture';
import { describeHtMode, parseIwinfo, type IwinfoInterface } from './parse-iwinfo';

function interfaces(file: string): IwinfoInterface[] {
  const result = parseIwinfo(fixture(`iwinfo/${file}`));
  if (result.kind !== 'ok') throw new Error(result.message);
  return result.interfaces;
}

describe('parseIwinfo', () => {
  it('reads a 2.4 GHz AP in the older format (2016)', () => {
    expect(interfaces('iwinfo-info-2016-master-ath9k-flent-70.txt')).toEqual([
      {
        ifname: 'wlan1',
        essid: 'AIRTIMEFAIRTEST2',
        bssid: '80:2A:A8:17:1B:1D',
        mode: 'Master',
        channel: 1,
        frequencyMhz: 2412,
        band: '2.4GHz',
        txPowerDbm: 20,
        linkQuality: 64,
        linkQualityMax: 70,
        signalDbm: -46,
        noiseDbm: -95,
        bitRateMbps: 117,
        encryption: 'none',
        hwModes: '802.11bgn',
        hardware: 'unknown [Generic MAC80211]',
        phy: 'phy1',
      },
    ]);
  });

  it('turns every "unknown" into undefined and reads several blocks', () => {
    const [first, second] = interfaces('iwinfo-info-2017-master-mt7662-unknowns-luci-1069.txt');
    expect(first).toMatchObject({
      ifname: 'wlan0',
      essid: 'Xiaomi_5_1',
      channel: 48,
      frequencyMhz: 5240,
      band: '5GHz',
    });
    expect(first?.signalDbm).toBeUndefined();
    expect(first?.noiseDbm).toBeUndefined();
    expect(first?.bitRateMbps).toBeUndefined();
    expect(first?.linkQuality).toBeUndefined();
    expect(first?.encryption).toBe('WPA2 PSK (CCMP)');
    expect(second).toMatchObject({ ifname: 'wlan0-1', essid: 'Xiaomi_5_2', txPowerDbm: 17 });
  });

  it('reads a signal with unknown noise (MT7603E, 2019)', () => {
    const [entry] = interfaces('iwinfo-info-2019-master-mt7603e-mt76-280.txt');
    expect(entry).toMatchObject({
      channel: 11,
      signalDbm: -54,
      bitRateMbps: 81.2,
      hardware: '14C3:7603 14C3:7603 [MediaTek MT7603E]',
    });
    expect(entry?.noiseDbm).toBeUndefined();
  });

  it('reads HT Mode and Center Channel, and keeps MLD link lines out of the interface (2025)', () => {
    const [mld, ap] = interfaces('iwinfo-info-2025-mt7992-eht20-mld-ucode-357.txt');
    expect(mld).toMatchObject({
      ifname: 'ap-mld0',
      essid: 'mld-1',
      mode: 'Master',
      hwModes: '802.11be/ax/ac/n',
    });
    expect(mld?.channel).toBeUndefined();
    expect(mld?.txPowerDbm).toBeUndefined();
    expect(mld?.signalDbm).toBeUndefined();
    expect(ap).toMatchObject({
      ifname: 'phy0.0-ap0',
      essid: 'OpenWrt2g',
      bssid: '02:0A:52:0C:E3:16',
      mode: 'Master',
      channel: 1,
      band: '2.4GHz',
      htMode: 'EHT20',
      widthMhz: 20,
      standard: 'eht',
      centerChannel: 1,
      noiseDbm: -84,
    });
  });

  it('maps HT modes to width and standard', () => {
    expect(describeHtMode('VHT80')).toEqual({ widthMhz: 80, standard: 'vht' });
    expect(describeHtMode('HE160')).toEqual({ widthMhz: 160, standard: 'he' });
    expect(describeHtMode('HT40')).toEqual({ widthMhz: 40, standard: 'ht' });
    expect(describeHtMode('NOHT')).toEqual({ widthMhz: 20, standard: 'legacy' });
    expect(describeHtMode('unknown')).toEqual({});
  });

  it.each(['', 'No such wireless device: wlan9', 'Usage:\niwinfo <device> info'])(
    'reports %j as an error',
    (text) => {
      expect(parseIwinfo(text).kind).toBe('error');
    },
  );
});
