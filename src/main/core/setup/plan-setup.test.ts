import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { UciConfigs } from '../uci/model';
import { mtuLadder } from './mtu';
import { planSetup } from './plan-setup';
import { expectChineseFor } from '../localized-text.test-support';
import { seedIntent } from './seed-intent.test-support';
import { readSetupConfigs as readConfigs, setupFixtures } from './setup-fixtures.test-support';
import type { RouterFacts } from './plan-setup';

const fixtures = setupFixtures;

const router: RouterFacts = {
  configs: readConfigs('factory-router'),
  packageManager: 'opkg',
  installedPackages: ['dropbear', 'kmod-wireguard'],
};

function golden(name: string, actual: string): void {
  const file = path.join(fixtures, name);
  if (process.env['UPDATE_GOLDEN'] === '1' || !existsSync(file)) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

function section(
  configs: UciConfigs,
  config: string,
  match: (s: {
    type: string;
    name?: string;
    options: { name: string; value: string | string[] }[];
  }) => boolean,
) {
  const found = configs[config]?.sections.find(match);
  return Object.fromEntries((found?.options ?? []).map((o) => [o.name, o.value]));
}

describe('mtuLadder', () => {
  it('computes wg = underlay - 80 and vxlan = wg - 50', () => {
    expect(mtuLadder(1500, 'dhcp-option-26')).toMatchObject({
      wireguard: 1420,
      vxlan: 1370,
      l2Segment: 1370,
    });
    expect(mtuLadder(1280, 'dhcp-option-26')).toMatchObject({ wireguard: 1200, vxlan: 1150 });
    expect(mtuLadder(1500, 'vxlan-1500-fragment')).toMatchObject({ wireguard: 1420, vxlan: 1500 });
    expect(mtuLadder(1492, 'dhcp-option-26').arithmetic[0]).toContain('1492 (underlay) - 80');
  });
});

describe('planSetup for the seed intent', () => {
  const result = planSetup(seedIntent, router, { configs: readConfigs('seed-home') });
  if (result.kind !== 'ok') throw new Error(JSON.stringify(result));
  const { plan } = result;

  it('matches the router golden and the seed sections', () => {
    golden('seed-router.batch', plan.router.batch);
    const after = plan.router.after;
    expect(section(after, 'network', (s) => s.name === 'wg0')).toEqual({
      proto: 'wireguard',
      private_key: seedIntent.travel.privateKey,
      addresses: ['10.0.31.103/32'],
      mtu: '1420',
    });
    expect(section(after, 'network', (s) => s.type === 'wireguard_wg0')).toMatchObject({
      description: 'op1',
      public_key: seedIntent.home.publicKey,
      allowed_ips: ['10.0.31.1/32'],
      endpoint_host: 'op1.example.net',
      endpoint_port: '51820',
      persistent_keepalive: '25',
      route_allowed_ips: '1',
    });
    expect(section(after, 'network', (s) => s.name === 'vxlan0')).toMatchObject({
      proto: 'vxlan',
      peeraddr: '10.0.31.1',
      port: '4789',
      vid: '8',
      mtu: '1370',
    });
    expect(
      section(
        after,
        'network',
        (s) => s.type === 'device' && s.options.some((o) => o.value === 'br-lan2'),
      ),
    ).toEqual({
      type: 'bridge',
      name: 'br-lan2',
      ports: ['vxlan0'],
      mtu: '1370',
      bridge_empty: '1',
    });
    expect(section(after, 'network', (s) => s.name === 'lan2')).toEqual({
      proto: 'dhcp',
      device: 'br-lan2',
      defaultroute: '0',
    });
    expect(section(after, 'wireless', (s) => s.name === 'default_radio1')).toMatchObject({
      network: 'lan',
      ssid: 'JCG-travel',
    });
    expect(section(after, 'wireless', (s) => s.name === 'homeward_l2')).toMatchObject({
      network: 'lan2',
      device: 'radio1',
      ssid: 'JCG-home',
      key: 'battery staple',
    });
    expect(
      section(
        after,
        'firewall',
        (s) => s.type === 'zone' && s.options.some((o) => o.value === 'wg'),
      ),
    ).toMatchObject({ network: ['wg0'], masq: '1' });
    expect(
      section(
        after,
        'firewall',
        (s) => s.type === 'forwarding' && s.options.some((o) => o.value === 'wg'),
      ),
    ).toEqual({ src: 'lan', dest: 'wg' });
    expect(plan.router.packagesToInstall).toEqual([
      'wireguard-tools',
      'luci-proto-wireguard',
      'kmod-vxlan',
      'vxlan',
      'luci-proto-vxlan',
      'iperf3',
    ]);
    expect(plan.router.installCommand).toBe(
      'opkg update && opkg install wireguard-tools luci-proto-wireguard kmod-vxlan vxlan luci-proto-vxlan iperf3',
    );
    expect(plan.router.previews.map((p) => p.config)).toEqual(['network', 'wireless', 'firewall']);
    expect(plan.router.previews[0]?.unified).toContain("+config interface 'wg0'");
  });

  it('matches the home golden: the peer, the vxlan_peer and DHCP option 26', () => {
    golden('seed-home.batch', plan.home.batch);
    const after = plan.home.after;
    expect(section(after, 'network', (s) => s.type === 'wireguard_wg0')).toMatchObject({
      description: 'JCG_Q30P',
      public_key: seedIntent.travel.publicKey,
      allowed_ips: ['10.0.31.103/32'],
    });
    expect(section(after, 'network', (s) => s.type === 'vxlan_peer')).toEqual({
      vxlan: 'vxlan0',
      dst: '10.0.31.103',
    });
    expect(section(after, 'dhcp', (s) => s.name === 'lan')['dhcp_option']).toEqual(['26,1370']);
    expect(plan.home.reloads).toContain('/etc/init.d/dnsmasq reload');
  });

  it('is idempotent: planning again on the result changes nothing of substance', () => {
    const again = planSetup(
      seedIntent,
      { ...router, configs: plan.router.after },
      { configs: plan.home.after },
    );
    if (again.kind !== 'ok') throw new Error('second plan failed');
    expect(again.plan.router.previews.every((p) => p.unified === '')).toBe(true);
    expect(again.plan.home.previews.every((p) => p.unified === '')).toBe(true);
  });
});

describe('planSetup variants', () => {
  it('with the fragmentation strategy keeps VXLAN at 1500 and leaves home DHCP alone', () => {
    const result = planSetup({ ...seedIntent, l2MtuStrategy: 'vxlan-1500-fragment' }, router, {
      configs: readConfigs('seed-home'),
    });
    if (result.kind !== 'ok') throw new Error('plan failed');
    expect(result.plan.router.batch).toContain("set network.vxlan0.mtu='1500'");
    expect(result.plan.home.batch).not.toContain('dhcp_option');
  });
  it('without NAT routes the travel LAN at home', () => {
    const result = planSetup({ ...seedIntent, l3Nat: false }, router, {
      configs: readConfigs('seed-home'),
    });
    if (result.kind !== 'ok') throw new Error('plan failed');
    expect(result.plan.home.batch).toContain(
      "add_list network.@wireguard_wg0[-1].allowed_ips='192.168.8.0/24'",
    );
    expect(result.plan.router.batch).toContain("set firewall.@zone[-1].masq='0'");
  });
  it('moves the LAN address when asked and reloads dnsmasq', () => {
    const result = planSetup(
      { ...seedIntent, travel: { ...seedIntent.travel, lanAddress: '192.168.77.1/24' } },
      router,
    );
    if (result.kind !== 'ok') throw new Error('plan failed');
    expect(result.plan.routerLanAddressAfter).toBe('192.168.77.1');
    expect(result.plan.router.batch).toContain("set network.lan.ipaddr='192.168.77.1'");
    expect(result.plan.router.reloads).toContain('/etc/init.d/dnsmasq reload');
    const same = planSetup(
      { ...seedIntent, travel: { ...seedIntent.travel, lanAddress: '192.168.8.1/24' } },
      router,
    );
    if (same.kind !== 'ok') throw new Error('plan failed');
    expect(same.plan.routerLanAddressAfter).toBeUndefined();
    const bad = planSetup(
      { ...seedIntent, travel: { ...seedIntent.travel, lanAddress: '192.168.77.0/24' } },
      router,
    );
    expect(bad.kind === 'invalid' && bad.errors.map((e) => e.field)).toEqual(['travel.lanAddress']);
  });
  it('uses apk where the router has it', () => {
    const result = planSetup(seedIntent, { ...router, packageManager: 'apk' });
    if (result.kind !== 'ok') throw new Error('plan failed');
    expect(result.plan.router.installCommand).toMatch(/^apk update && apk add /);
  });
  it('without home access still gives the home batch, with no preview', () => {
    const result = planSetup(seedIntent, router);
    if (result.kind !== 'ok') throw new Error('plan failed');
    expect(result.plan.home.batch).toContain("set network.@vxlan_peer[-1].dst='10.0.31.103'");
    expect(result.plan.home.previews).toEqual([]);
  });
  it('refuses a band the router has no radio for, in English and Chinese', () => {
    const wireless = router.configs['wireless'];
    const only2g = {
      ...router,
      configs: {
        ...router.configs,
        wireless: {
          sections: (wireless?.sections ?? []).filter(
            (x) => x.name !== 'radio1' && !x.options.some((o) => o.value === 'radio1'),
          ),
        },
      },
    };
    const result = planSetup(seedIntent, only2g);
    expect(result.kind).toBe('error');
    if (result.kind === 'error') {
      expect(result.message).toBe('No 5 GHz radio found in /etc/config/wireless.');
      expectChineseFor(result.message, result.zh.message, 'message');
      expect(result.zh.message).toContain('/etc/config/wireless');
    }
  });
  it('refuses an invalid intent with every field error', () => {
    const result = planSetup(
      { ...seedIntent, underlayMtu: 900, home: { ...seedIntent.home, publicKey: 'nope' } },
      router,
    );
    expect(result.kind).toBe('invalid');
    if (result.kind === 'invalid')
      expect(result.errors.map((e) => e.field).sort()).toEqual(['home.publicKey', 'underlayMtu']);
  });
});
