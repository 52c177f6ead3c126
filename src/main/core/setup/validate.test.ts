import { describe, expect, it } from 'vitest';
import type { SetupIntent } from '../../../shared/setup';
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
