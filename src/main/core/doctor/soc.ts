// Known WireGuard ceilings per router SoC, single iperf3 stream through a netns pair on OpenWrt,
// from cyyself/wg-bench (README "Test Results"): MT7621 82.5-104 Mbit/s, MT7981 369-381,
// MT7622 368-391, MT7986 730-946 (807 on GL-MT6000), MT7988 1270, IPQ4019 164-201, MT7628/MT7620
// and QCA9533 about 19. A rough figure for "is the CPU the wall", not a promise.

export interface SocCeiling {
  soc: string;
  wireguardMbps: number;
}

interface SocEntry extends SocCeiling {
  /** Matched against the lower-cased board name, model and system strings together. */
  patterns: RegExp[];
}

const socTable: SocEntry[] = [
  {
    soc: 'MT7981',
    wireguardMbps: 370,
    patterns: [
      /mt7981/,
      /gl-mt3000/,
      /gl-mt2500/,
      /q30[-_ ]?pro/,
      /tr3000/,
      /ax3000t/,
      /rax3000m/,
      /openwrt[ ,-]?one/,
    ],
  },
  {
    soc: 'MT7986',
    wireguardMbps: 800,
    patterns: [/mt7986/, /gl-mt6000/, /bpi-r3/, /tuf-ax[46]000/],
  },
  { soc: 'MT7988', wireguardMbps: 1270, patterns: [/mt7988/, /bpi-r4/] },
  { soc: 'MT7622', wireguardMbps: 380, patterns: [/mt7622/, /e8450/, /ax6s/, /wax206/] },
  {
    soc: 'MT7621',
    wireguardMbps: 95,
    patterns: [/mt7621/, /gl-mt1300/, /edgerouter-?x/, /rt-ax53u/],
  },
  {
    soc: 'IPQ4019',
    wireguardMbps: 180,
    patterns: [/ipq40[12]8|ipq40[12]9|ipq40xx/, /fritz.*7530/],
  },
  { soc: 'MT7628', wireguardMbps: 19, patterns: [/mt7628/, /mt7688/, /gl-mt300n[- ]v2/] },
  { soc: 'MT7620', wireguardMbps: 19, patterns: [/mt7620/, /gl-mt300n(?![- ]v2)/] },
  { soc: 'QCA9533', wireguardMbps: 19, patterns: [/qca9533/, /gl-e750/, /wr841n/] },
];

export function lookupSocCeiling(...descriptions: (string | undefined)[]): SocCeiling | undefined {
  const text = descriptions
    .filter((d): d is string => Boolean(d))
    .join(' ')
    .toLowerCase()
    .replace(/\./g, '');
  if (!text) return undefined;
  const hit = socTable.find((entry) => entry.patterns.some((p) => p.test(text)));
  return hit ? { soc: hit.soc, wireguardMbps: hit.wireguardMbps } : undefined;
}

/** Known SoCs whose WireGuard ceiling clears `mbps`, slowest first: what to suggest buying. */
export function socsAbove(mbps: number): SocCeiling[] {
  return socTable
    .filter((e) => e.wireguardMbps >= mbps)
    .sort((a, b) => a.wireguardMbps - b.wireguardMbps)
    .map(({ soc, wireguardMbps }) => ({ soc, wireguardMbps }));
}
