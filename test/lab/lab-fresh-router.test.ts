import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeLab } from './describe-lab';
import { startLab } from './index';
import type { Lab } from './index';
import { sshExec } from './ssh-client';
import { readUciConfig } from './uci';

const SCENARIOS = join(import.meta.dirname, 'scenarios');

/** A config's sections without anonymous names, order-independent: what the config means. */
function meaning(confDir: string, name: string): string[] {
  return readUciConfig(confDir, name)
    .sections.map((s) => JSON.stringify([s.type, s.anonymous ? '' : s.name, s.options]))
    .sort();
}

describeLab('lab: fresh-router set up with uci batch over SSH', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab('fresh-router');
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it('starts with no tunnel and the L2 station out of range', async () => {
    expect((await lab.exec('router', 'wg show wg0')).code).not.toBe(0);
    expect((await lab.exec('l2client', 'ip link show wlan0')).code).not.toBe(0);
  });

  it('gives the L2 station a home lease after batch + commit + reloads', async () => {
    const t = await lab.sshTarget('router');
    const batch = readFileSync(join(SCENARIOS, 'fresh-router', 'setup.uci-batch'), 'utf8');
    const r = await sshExec(
      t,
      'uci batch && uci commit && /etc/init.d/network reload && wifi reload && /etc/init.d/firewall reload && /etc/init.d/dnsmasq reload',
      batch,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const c of ['network', 'wireless', 'firewall', 'dhcp']) {
      expect(meaning(join(lab.nodeDir('router'), 'etc', 'config'), c), c).toEqual(
        meaning(join(SCENARIOS, 'default', 'router'), c),
      );
    }
    const { lease, output } = await lab.stationDhcp('l2client', 8);
    expect(lease?.ip, output).toMatch(/^192\.168\.35\./);
    expect(lease?.mtu).toBe(1370);
    expect(await lab.handshakeAge('router')).toBeLessThan(30);
  });

  it('is idempotent: a second reload changes nothing and keeps the session', async () => {
    const snapshot =
      'ip -o link | sed "s/ qdisc.*//"; ip -o -4 addr; bridge link; ip route; bridge fdb show dev vxlan0 | grep permanent; ip -d link show vxlan0 | grep -o "vxlan id.*dstport [0-9]*"';
    const before = await lab.execOk('router', snapshot);
    const pid = (await lab.execOk('router', 'cat /var/run/lab-netifd.json')).match(
      /"wg0": (\d+)/,
    )?.[1];
    await lab.execOk('router', '/etc/init.d/network reload && wifi reload');
    const after = await lab.execOk('router', snapshot);
    expect(after).toBe(before);
    expect(
      (await lab.execOk('router', 'cat /var/run/lab-netifd.json')).match(/"wg0": (\d+)/)?.[1],
    ).toBe(pid);
    expect((await lab.exec('l2client', 'ping -n -c 1 -W 2 192.168.35.1')).code).toBe(0);
  });

  it('applies a change and rejects what it cannot express', async () => {
    await lab.execOk(
      'router',
      "uci set network.@device[1].mtu='1400' && uci commit network && /etc/init.d/network reload",
    );
    expect((await lab.execOk('router', 'cat /sys/class/net/br-lan2/mtu')).trim()).toBe('1400');
    await lab.execOk('router', "uci set network.wan.proto='pppoe' && uci commit network");
    const r = await lab.exec('router', '/etc/init.d/network reload');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("interface wan: proto 'pppoe' is not supported by the lab");
  });
});
