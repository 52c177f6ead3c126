import { describe, expect, it } from 'vitest';
import { fixture } from '../../../../test/fixtures/read-fixture';
import { parseIpJson } from '../parsers/parse-ip-json';
import type { IpLink } from '../parsers/parse-ip-json';
import { parseSysfsLinks } from './parse-sysfs-links';
import { bridgeStatus, readRouterStatus, tunnelStatus } from './router-status';

const labIp = fixture('ip/ip-j-addr-iproute2-6.1-lab-router-br-lan2-vxlan0.json');
const labWg = fixture('wg/wg-show-all-dump-wireguard-go-lab-router-wg0.txt');
const labSysfs = fixture('sysfs/class-net-lab-router-br-lan2-vxlan0.txt');
// `date +%s` on the router right after the dump (see the wg fixture's .source.md).
const labNow = 1795624024;

function links(text: string): IpLink[] {
  const parsed = parseIpJson(text);
  if (parsed.kind !== 'ok') throw new Error(parsed.message);
  return parsed.links;
}

describe('readRouterStatus on the lab router', () => {
  const outputs = {
    board: fixture('ubus/system-board-mt7621-unielec-u7621-06-21.02.1.json'),
    release: '',
    hostname: 'ignored-when-ubus-answers\n',
    wgDump: labWg,
    ipAddr: labIp,
    sysfsLinks: '',
    now: `${labNow}\n`,
  };

  it('reads a fresh handshake, the peer, and the bridge with its members and lease', () => {
    const reading = readRouterStatus(outputs);
    expect(reading.tunnel).toEqual({
      state: 'connected',
      interfaceName: 'wg0',
      present: true,
      up: true,
      peerEndpoint: '192.0.2.2:51820',
      latestHandshakeUnixS: 1795624019,
      handshakeAgeS: 5,
      rxBytes: 3660,
      txBytes: 4196,
    });
    expect(reading.bridge).toEqual({
      state: 'up',
      bridge: { name: 'br-lan2', present: true, up: true, mtu: 1370 },
      vxlan: { name: 'vxlan0', present: true, up: true, mtu: 1370 },
      memberPorts: ['lan3', 'vxlan0', 'phy0-ap1'],
      address: '192.168.35.170/24',
    });
  });

  it('takes who the router is from ubus, else openwrt_release and the hostname file', () => {
    expect(readRouterStatus(outputs)).toMatchObject({
      hostname: 'OpenWrt',
      model: 'UniElec U7621-06 (16M flash)',
      release: 'OpenWrt 21.02.1 r16325-88151b8303',
    });
    const noUbus = readRouterStatus({
      ...outputs,
      board: 'Command failed: Not found\n',
      release: fixture('openwrt_release/etc-release-23.05.5-ramips-mt7620.txt'),
      hostname: 'JCG_Q30P\n',
    });
    expect(noUbus.hostname).toBe('JCG_Q30P');
    expect(noUbus.model).toBeUndefined();
    expect(noUbus.release).toBe('OpenWrt 23.05.5 r24106-10cc5fcd00');
  });

  it('without ip JSON (busybox ip), falls back to the sysfs listing', () => {
    const reading = readRouterStatus({
      ...outputs,
      ipAddr: 'BusyBox v1.36.1 multi-call binary.\n',
      sysfsLinks: labSysfs,
    });
    expect(reading.tunnel.state).toBe('connected');
    expect(reading.bridge.state).toBe('up');
    expect(reading.bridge.memberPorts).toEqual(['lan3', 'phy0-ap1', 'vxlan0']);
    expect(reading.bridge.address).toBeUndefined();
  });

  it('follows the names in the router config', () => {
    const reading = readRouterStatus(outputs, {
      wgInterface: 'wg_home',
      l2Bridge: 'br-lan',
      vxlanInterface: 'vx1',
    });
    expect(reading.tunnel).toMatchObject({ state: 'absent', present: false });
    expect(reading.bridge.state).toBe('absent');
    expect(reading.bridge.memberPorts).toEqual(['lan1', 'lan2', 'phy0-ap0']);
  });
});

describe('tunnelStatus', () => {
  const lab = links(labIp);

  it('calls a handshake older than 180 s stale and counts its age by the router clock', () => {
    expect(tunnelStatus(labWg, lab, 1795624019 + 181, 'wg0')).toMatchObject({
      state: 'stale',
      handshakeAgeS: 181,
    });
    expect(tunnelStatus(labWg, lab, 1795624019 + 180, 'wg0').state).toBe('connected');
  });

  it('never: peers that never completed a handshake (the 4-peer wireguard-go capture)', () => {
    const dump = fixture('wg/wg-show-all-dump-wireguard-go-2-interfaces-4-peers.txt');
    const tunLinks = links(fixture('ip/ip-j-addr-iproute2-6.1-wg-veth.json'));
    // hwfxa's home peer handshaked; pretend the interface only had the silent ones.
    const silent = dump
      .split('\n')
      .filter((l) => !l.startsWith('hwfxa\t') || !/\t1795\d{6}\t/.test(l))
      .join('\n');
    const status = tunnelStatus(silent, tunLinks, 1795613900, 'hwfxa');
    expect(status.state).toBe('never');
    expect(status.latestHandshakeUnixS).toBeUndefined();
    expect(status.handshakeAgeS).toBeUndefined();
    expect(tunnelStatus(dump, tunLinks, 1795613900, 'hwfxa')).toMatchObject({
      state: 'connected',
      peerEndpoint: '192.0.2.2:51820',
      handshakeAgeS: 97,
    });
  });

  it('absent when neither wg nor ip know the interface; down when the link is not up', () => {
    expect(tunnelStatus('', lab, labNow, 'wg9').state).toBe('absent');
    const down = lab.map((l) => (l.ifname === 'wg0' ? { ...l, up: false } : l));
    expect(tunnelStatus(labWg, down, labNow, 'wg0').state).toBe('down');
  });
});

describe('bridgeStatus', () => {
  it('down when vxlan0 is set down (real capture), though still a member', () => {
    const [vxlanDown] = links(fixture('ip/ip-j-addr-iproute2-6.1-lab-router-vxlan0-down.json'));
    const all = links(labIp).map((l) => (l.ifname === 'vxlan0' && vxlanDown ? vxlanDown : l));
    const status = bridgeStatus(all, 'br-lan2', 'vxlan0');
    expect(status.state).toBe('down');
    expect(status.vxlan).toEqual({ name: 'vxlan0', present: true, up: false, mtu: 1370 });
    expect(status.memberPorts).toContain('vxlan0');
    const sysfsDown = parseSysfsLinks(fixture('sysfs/class-net-lab-router-vxlan0-down.txt'));
    const sysfsAll = parseSysfsLinks(labSysfs).map((l) =>
      l.ifname === 'vxlan0' && sysfsDown[0] ? sysfsDown[0] : l,
    );
    expect(bridgeStatus(sysfsAll, 'br-lan2', 'vxlan0').state).toBe('down');
  });

  it('absent on a router without the L2 bridge', () => {
    const status = bridgeStatus(
      links(fixture('ip/ip-j-addr-iproute2-6.1-wg-veth.json')),
      'br-lan2',
      'vxlan0',
    );
    expect(status).toEqual({
      state: 'absent',
      bridge: { name: 'br-lan2', present: false, up: false },
      vxlan: { name: 'vxlan0', present: false, up: false },
      memberPorts: [],
    });
  });
});

describe('parseSysfsLinks', () => {
  it('reads operstate, the UP flag, carrier and the master of each line', () => {
    const parsed = parseSysfsLinks(labSysfs);
    expect(parsed.map((l) => l.ifname)).toEqual([
      'br-lan',
      'br-lan2',
      'lan1',
      'lan2',
      'lan3',
      'lo',
      'phy0-ap0',
      'phy0-ap1',
      'vxlan0',
      'wan',
      'wg0',
    ]);
    expect(parsed.find((l) => l.ifname === 'wg0')).toMatchObject({
      operstate: 'UNKNOWN',
      up: true,
      lowerUp: true,
    });
    expect(parsed.find((l) => l.ifname === 'lan1')).toMatchObject({
      up: true,
      lowerUp: false,
      master: 'br-lan',
    });
    expect(parseSysfsLinks('garbage\n\nx y z\n')).toEqual([]);
  });
});
