import { describe, expect, it } from 'vitest';
import { prefixLength, summarizeLocalNetwork } from './local-network';

describe('prefixLength', () => {
  it('converts netmasks', () => {
    expect(prefixLength('255.255.255.0')).toBe(24);
    expect(prefixLength('255.255.255.255')).toBe(32);
    expect(prefixLength('255.255.240.0')).toBe(20);
    expect(prefixLength('0.0.0.0')).toBe(0);
  });
  it('rejects non-contiguous or malformed masks', () => {
    expect(prefixLength('255.0.255.0')).toBeUndefined();
    expect(prefixLength('255.255.255')).toBeUndefined();
    expect(prefixLength('')).toBeUndefined();
  });
});

describe('summarizeLocalNetwork', () => {
  it('drops loopback, marks the default interface first and keeps Wi-Fi fields as numbers', () => {
    const summary = summarizeLocalNetwork({
      gateway: '192.168.8.1',
      defaultInterface: 'wlan0',
      interfaces: [
        { iface: 'lo', ip4: '127.0.0.1', internal: true, operstate: 'unknown' },
        { iface: 'eth0', ip4: '', operstate: 'down', type: 'wired', mtu: 1500 },
        {
          iface: 'wlan0',
          ip4: '192.168.8.120',
          ip4subnet: '255.255.255.0',
          operstate: 'up',
          type: 'wireless',
          mtu: 1500,
        },
      ],
      wifi: [{ ssid: 'JCG-5G', channel: 36, frequency: 5180, signalLevel: -52, txRate: null }],
    });
    expect(summary.defaultGateway).toBe('192.168.8.1');
    expect(summary.interfaces.map((i) => i.name)).toEqual(['wlan0', 'eth0']);
    expect(summary.interfaces[0]).toMatchObject({ ipv4Cidr: 24, isDefault: true, up: true });
    expect(summary.interfaces[1]).toMatchObject({ ipv4: undefined, up: false });
    expect(summary.wifi).toEqual({
      ssid: 'JCG-5G',
      bssid: undefined,
      channel: 36,
      frequencyMhz: 5180,
      signalDbm: -52,
      txRateMbps: undefined,
    });
  });
  it('omits Wi-Fi when no connection is reported', () => {
    const summary = summarizeLocalNetwork({ interfaces: [], wifi: [{ ssid: ' ' }] });
    expect(summary.wifi).toBeUndefined();
    expect(summary.defaultGateway).toBeUndefined();
  });
});
