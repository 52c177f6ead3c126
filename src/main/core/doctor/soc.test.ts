import { describe, expect, it } from 'vitest';
import { lookupSocCeiling } from './soc';

describe('lookupSocCeiling', () => {
  it('matches by board name, model or system string', () => {
    expect(
      lookupSocCeiling('glinet,gl-mt3000', 'GL.iNet GL-MT3000', 'ARMv8 Processor rev 4'),
    ).toEqual({
      soc: 'MT7981',
      wireguardMbps: 370,
    });
    expect(lookupSocCeiling(undefined, 'JCG Q30 Pro')?.soc).toBe('MT7981');
    expect(lookupSocCeiling('jcg,q30-pro')?.soc).toBe('MT7981');
    expect(lookupSocCeiling('mediatek,mt7981-rfb')?.soc).toBe('MT7981');
    expect(lookupSocCeiling(undefined, undefined, 'MediaTek MT7621 ver:1 eco:3')).toEqual({
      soc: 'MT7621',
      wireguardMbps: 95,
    });
    expect(lookupSocCeiling('glinet,gl-mt6000')?.wireguardMbps).toBe(800);
    expect(lookupSocCeiling(undefined, 'GL.iNet GL-MT300N V2')?.soc).toBe('MT7628');
    expect(lookupSocCeiling(undefined, 'GL.iNet GL-MT300N')?.soc).toBe('MT7620');
  });

  it('says nothing about boards it does not know', () => {
    expect(
      lookupSocCeiling('qemu-standard-pc-i440fx-piix-1996', 'QEMU Standard PC'),
    ).toBeUndefined();
    expect(lookupSocCeiling(undefined, '')).toBeUndefined();
    expect(lookupSocCeiling()).toBeUndefined();
  });
});
