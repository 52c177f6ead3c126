import { describe, expect, it } from 'vitest';
import type { SetupIntent } from '../../../shared/setup';
import { expectChineseFor } from '../localized-text.test-support';
import { seedIntent } from './seed-intent.test-support';
import { isWireguardKey, utf8Length, validateIntent } from './validate';

function fields(intent: SetupIntent): string[] {
  return validateIntent(intent).map((e) => e.field);
}

describe('validateIntent', () => {
  it('accepts the seed intent', () => {
    expect(validateIntent(seedIntent)).toEqual([]);
  });
  it('names the field and a fix for each problem', () => {
    const errors = validateIntent({
      ...seedIntent,
      home: { ...seedIntent.home, endpointHost: 'op1 example', endpointPort: 70000 },
      travel: { ...seedIntent.travel, tunnelAddress: '10.0.32.5/32' },
      vxlan: { vid: -1, port: 0 },
      keepaliveS: 1.5,
    });
    expect(errors.map((e) => e.field).sort()).toEqual(
      [
        'home.endpointHost',
        'home.endpointPort',
        'keepaliveS',
        'travel.tunnelAddress',
        'vxlan.port',
        'vxlan.vid',
      ].sort(),
    );
    for (const e of errors) expect(e.fix).not.toBe('');
  });
  it('checks SSIDs in bytes, so 11 Chinese characters (33 bytes) are too long', () => {
    expect(utf8Length('旅行路由器')).toBe(15);
    const ssid = '我的旅行路由器家里网络好';
    expect(
      fields({ ...seedIntent, wifi: { ...seedIntent.wifi, l2: { ...seedIntent.wifi.l2, ssid } } }),
    ).toContain('wifi.l2.ssid');
    expect(
      fields({
        ...seedIntent,
        wifi: { ...seedIntent.wifi, l2: { ...seedIntent.wifi.l2, ssid: '家里网络' } },
      }),
    ).toEqual([]);
  });
  it('refuses short, long and non-ASCII passwords but accepts 64 hex digits', () => {
    for (const password of ['short', 'x'.repeat(64), '密码密码密码密码', 'line\nbreak']) {
      expect(
        fields({
          ...seedIntent,
          wifi: { ...seedIntent.wifi, l3: { ...seedIntent.wifi.l3, password } },
        }),
      ).toContain('wifi.l3.password');
    }
    const hex = 'a'.repeat(64);
    expect(
      fields({
        ...seedIntent,
        wifi: { ...seedIntent.wifi, l3: { ...seedIntent.wifi.l3, password: hex } },
      }),
    ).toEqual([]);
  });
  it('refuses equal SSIDs, 80 MHz on 2.4 GHz and two widths on one radio', () => {
    expect(
      fields({
        ...seedIntent,
        wifi: { ...seedIntent.wifi, l2: { ...seedIntent.wifi.l2, ssid: 'JCG-travel' } },
      }),
    ).toContain('wifi.l2.ssid');
    expect(
      fields({
        ...seedIntent,
        wifi: { ...seedIntent.wifi, l3: { ...seedIntent.wifi.l3, band: '2g', widthMhz: 80 } },
      }),
    ).toContain('wifi.l3.widthMhz');
    expect(
      fields({
        ...seedIntent,
        wifi: { ...seedIntent.wifi, l2: { ...seedIntent.wifi.l2, widthMhz: 40 } },
      }),
    ).toContain('wifi.l2.widthMhz');
  });
  it('needs the travel LAN without NAT and the home LAN when routing it', () => {
    const { lanCidr: _t, ...travel } = seedIntent.travel;
    const { lanCidr: _h, ...home } = seedIntent.home;
    expect(fields({ ...seedIntent, l3Nat: false, travel })).toEqual(['travel.lanCidr']);
    expect(fields({ ...seedIntent, routeHomeLan: true, home })).toEqual(['home.lanCidr']);
  });
  it('recognises WireGuard keys', () => {
    expect(isWireguardKey('eVL0uj6T5wEMTs039QF9t+JtXOchHJWROCoq/4kEKlE=')).toBe(true);
    expect(isWireguardKey('eVL0uj6T5wEMTs039QF9t+JtXOchHJWROCoq/4kEKlF=')).toBe(false);
    expect(isWireguardKey('eVL0uj6T5wEMTs039QF9t+JtXOchHJWROCoq/4kEKlE')).toBe(false);
  });
});

/** Intents that together break every rule validateIntent can report. */
function brokenIntents(): [name: string, intent: SetupIntent][] {
  const s = seedIntent;
  const wifi = (which: 'l3' | 'l2', change: Partial<SetupIntent['wifi']['l3']>) => ({
    ...s,
    wifi: { ...s.wifi, [which]: { ...s.wifi[which], ...change } },
  });
  const { lanCidr: _t, ...travelWithoutLan } = s.travel;
  const { lanCidr: _h, ...homeWithoutLan } = s.home;
  return [
    ['long SSID', wifi('l2', { ssid: '我的旅行路由器家里网络好' })],
    ['SSID with a tab', wifi('l3', { ssid: 'JCG\ttravel' })],
    ['short password', wifi('l3', { password: 'short' })],
    ['80 MHz on 2.4 GHz', wifi('l3', { band: '2g', widthMhz: 80 })],
    ['two widths on one radio', wifi('l2', { widthMhz: 40 })],
    ['equal SSIDs', wifi('l2', { ssid: 'JCG-travel' })],
    [
      'bad host, port and key',
      {
        ...s,
        home: { ...s.home, endpointHost: 'op1 example', endpointPort: 70000, publicKey: 'x' },
      },
    ],
    ['bad preshared key', { ...s, presharedKey: 'abc' }],
    ['same public key', { ...s, travel: { ...s.travel, publicKey: s.home.publicKey } }],
    [
      'bad tunnel addresses',
      {
        ...s,
        home: { ...s.home, tunnelAddress: '10.0.31.1' },
        travel: { ...s.travel, tunnelAddress: '10.0.31.300/32' },
      },
    ],
    ['same tunnel address', { ...s, travel: { ...s.travel, tunnelAddress: '10.0.31.1/32' } }],
    [
      'outside the tunnel network',
      { ...s, travel: { ...s.travel, tunnelAddress: '10.0.32.5/32' } },
    ],
    [
      'bad LANs',
      {
        ...s,
        home: { ...s.home, lanCidr: 'home' },
        travel: { ...s.travel, lanCidr: '192.168.8.0/33', lanAddress: '192.168.9.0/24' },
      },
    ],
    ['routing home without its LAN', { ...s, routeHomeLan: true, home: homeWithoutLan }],
    ['no NAT without the travel LAN', { ...s, l3Nat: false, travel: travelWithoutLan }],
    ['bad numbers', { ...s, keepaliveS: 1.5, vxlan: { vid: -1, port: 0 }, underlayMtu: 1000 }],
    ['long name', { ...s, travel: { ...s.travel, name: 'x'.repeat(65) } }],
  ];
}

describe('field errors in Simplified Chinese', () => {
  it('come with every error, translated, with the same numbers as the English', () => {
    const seen = new Set<string>();
    for (const [name, intent] of brokenIntents()) {
      const errors = validateIntent(intent);
      expect(errors.length, name).toBeGreaterThan(0);
      for (const e of errors) {
        const zh = e.localized?.['zh-CN'];
        expectChineseFor(e.message, zh?.message, `${name} / ${e.field} message`);
        expectChineseFor(e.fix, zh?.fix, `${name} / ${e.field} fix`);
        seen.add(e.message.replace(/\d+/g, '#'));
      }
    }
    // Every rule but the MTU ladder's, which a valid underlay (1280 or more) never reaches.
    expect(seen.size).toBeGreaterThanOrEqual(23);
  });

  it('write the values the person typed into both languages', () => {
    const [error] = validateIntent({
      ...seedIntent,
      wifi: { ...seedIntent.wifi, l2: { ...seedIntent.wifi.l2, ssid: '我的旅行路由器家里网络好' } },
    });
    expect(error?.message).toContain('36 bytes');
    expect(error?.localized?.['zh-CN']).toEqual({
      message: '网络名称长 36 字节；Wi-Fi 允许 1 到 32 字节（一个汉字占 3 字节）。',
      fix: '请换一个更短的网络名称。',
    });
  });
});
