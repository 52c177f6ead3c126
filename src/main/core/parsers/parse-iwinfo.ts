import { splitLines, toInteger, toNumber } from './text-lines';

export type WifiStandard = 'legacy' | 'ht' | 'vht' | 'he' | 'eht';

export interface IwinfoInterface {
  ifname: string;
  /** undefined when iwinfo prints a bare `unknown` (not associated); quoted names are kept. */
  essid?: string;
  bssid?: string;
  mode?: string;
  channel?: number;
  frequencyMhz?: number;
  band?: '2.4GHz' | '5GHz' | '6GHz';
  /** As printed, e.g. HT40, VHT80, HE160, EHT20, NOHT. */
  htMode?: string;
  widthMhz?: number;
  standard?: WifiStandard;
  centerChannel?: number;
  txPowerDbm?: number;
  linkQuality?: number;
  linkQualityMax?: number;
  signalDbm?: number;
  noiseDbm?: number;
  bitRateMbps?: number;
  encryption?: string;
  hwModes?: string;
  hardware?: string;
  phy?: string;
}

export type IwinfoResult =
  { kind: 'ok'; interfaces: IwinfoInterface[] } | { kind: 'error'; message: string };

/** `iwinfo` / `iwinfo <if> info`: one block per interface, starting with `<ifname> ESSID:`. */
export function parseIwinfo(text: string): IwinfoResult {
  const interfaces: IwinfoInterface[] = [];
  let current: IwinfoInterface | undefined;
  let inMldLinks = false;
  for (const line of splitLines(text)) {
    const head = /^(\S+)\s+ESSID:\s*(.*)$/.exec(line);
    if (head?.[1]) {
      current = { ifname: head[1] };
      const essid = /^"(.*)"\s*$/.exec(head[2] ?? '')?.[1];
      if (essid !== undefined) current.essid = essid;
      interfaces.push(current);
      inMldLinks = false;
      continue;
    }
    if (!current) continue;
    // Per-link lines of an MLD interface describe links, not the interface itself.
    if (/^\s*MLD:\s*$/.test(line)) inMldLinks = true;
    if (!inMldLinks) readField(current, line);
  }
  if (interfaces.length === 0) return { kind: 'error', message: 'no iwinfo interface block found' };
  return { kind: 'ok', interfaces };
}

function readField(entry: IwinfoInterface, line: string): void {
  const bssid = /Access Point:\s*([0-9A-Fa-f:]{17})/.exec(line)?.[1];
  if (bssid !== undefined && bssid !== '00:00:00:00:00:00') entry.bssid = bssid.toUpperCase();
  const mode = /Mode:\s*(\S+(?: \S+)?)(?=\s{2}|\s*$)/.exec(line)?.[1];
  if (mode !== undefined && /^\s*Mode:/.test(line)) entry.mode = mode;
  const channel = /Channel:\s*(\d+)\s*\(([\d.]+)\s*GHz\)/.exec(line);
  if (channel) {
    entry.channel = Number(channel[1]);
    const mhz = Math.round(Number(channel[2]) * 1000);
    entry.frequencyMhz = mhz;
    const band = bandOf(mhz);
    if (band) entry.band = band;
  }
  const htMode = /HT Mode:\s*(\S+)/.exec(line)?.[1];
  if (htMode !== undefined) {
    entry.htMode = htMode;
    Object.assign(entry, describeHtMode(htMode));
  }
  const center = /Center Channel 1:\s*(\d+)/.exec(line)?.[1];
  if (center !== undefined) entry.centerChannel = Number(center);
  const txPower = toInteger(/Tx-Power:\s*(-?\d+)\s*dBm/.exec(line)?.[1]);
  if (txPower !== undefined) entry.txPowerDbm = txPower;
  const quality = /Link Quality:\s*(\d+)\/(\d+)/.exec(line);
  if (quality) {
    entry.linkQuality = Number(quality[1]);
    entry.linkQualityMax = Number(quality[2]);
  }
  // nl80211 reports 0 dBm when it has no measurement (an AP with no station): not a reading.
  const signal = toInteger(/Signal:\s*(-?\d+)\s*dBm/.exec(line)?.[1]);
  if (signal !== undefined && signal !== 0) entry.signalDbm = signal;
  const noise = toInteger(/Noise:\s*(-?\d+)\s*dBm/.exec(line)?.[1]);
  if (noise !== undefined && noise !== 0) entry.noiseDbm = noise;
  const rate = toNumber(/Bit Rate:\s*([\d.]+)\s*MBit\/s/.exec(line)?.[1]);
  if (rate !== undefined) entry.bitRateMbps = rate;
  const encryption = /^\s*Encryption:\s*(.+?)\s*$/.exec(line)?.[1];
  if (encryption !== undefined && encryption !== 'unknown') entry.encryption = encryption;
  const hwModes = /HW Mode\(s\):\s*(\S+)/.exec(line)?.[1];
  if (hwModes !== undefined) entry.hwModes = hwModes;
  const hardware = /^\s*Hardware:\s*(.+?)\s*$/.exec(line)?.[1];
  if (hardware !== undefined) entry.hardware = hardware;
  const phy = /PHY name:\s*(\S+)/.exec(line)?.[1];
  if (phy !== undefined) entry.phy = phy;
}

export function bandOf(frequencyMhz: number): IwinfoInterface['band'] {
  if (frequencyMhz >= 2400 && frequencyMhz < 2500) return '2.4GHz';
  if (frequencyMhz >= 5150 && frequencyMhz < 5900) return '5GHz';
  if (frequencyMhz >= 5925 && frequencyMhz <= 7125) return '6GHz';
  return undefined;
}

/** HT20 -> 20 MHz 802.11n; VHT80 -> 80 MHz 802.11ac; HE160; EHT320; NOHT -> legacy 20 MHz. */
export function describeHtMode(htMode: string): { widthMhz?: number; standard?: WifiStandard } {
  if (/^NOHT$/i.test(htMode)) return { widthMhz: 20, standard: 'legacy' };
  const match = /^(EHT|HE|VHT|HT)(\d+)/i.exec(htMode);
  if (!match) return {};
  const standard = (match[1] ?? '').toLowerCase() as WifiStandard;
  return { widthMhz: Number(match[2]), standard };
}
