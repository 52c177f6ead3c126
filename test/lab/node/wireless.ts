import {
  ConfigError,
  bool,
  labInfo,
  list,
  loadSections,
  opt,
  readState,
  writeState,
} from './config';
import type { UciSection } from './config';
import { deviceOfInterface } from './netifd';
import { ip, linkExists, links, logLine, run } from './sh';

const STATE_PATH = '/var/run/lab-wifi.json';

interface WifiState {
  ports: string[];
  stations: Record<string, string>;
}

interface Ap {
  ifname: string;
  ssid: string;
  bridge: string;
  section: string;
}

/** The APs the wireless config asks for: one per enabled wifi-iface on an enabled radio. */
export function planWireless(
  wireless: UciSection[],
  network: UciSection[],
): { aps: Ap[]; errors: string[] } {
  const errors: string[] = [];
  const aps: Ap[] = [];
  const radios = wireless.filter((s) => s.type === 'wifi-device');
  const perRadio = new Map<string, number>();
  for (const s of wireless.filter((x) => x.type === 'wifi-iface')) {
    try {
      const radioName = opt(s, 'device');
      const radioIndex = radios.findIndex((r) => r.name === radioName);
      const radio = radios[radioIndex];
      if (radio === undefined) throw new ConfigError(`radio '${radioName ?? ''}' does not exist`);
      const n = perRadio.get(radio.name) ?? 0;
      perRadio.set(radio.name, n + 1);
      if (bool(radio, 'disabled', false) || bool(s, 'disabled', false)) continue;
      const mode = opt(s, 'mode') ?? 'ap';
      if (mode !== 'ap') throw new ConfigError(`mode '${mode}' is not supported by the lab`);
      const ssid = opt(s, 'ssid');
      if (ssid === undefined) throw new ConfigError('needs an ssid');
      const networks = list(s, 'network');
      if (networks.length !== 1)
        throw new ConfigError('exactly one network is supported by the lab');
      const net = networks[0] as string;
      const bridge = deviceOfInterface(network, net);
      const isBridge = network.some(
        (d) => d.type === 'device' && opt(d, 'type') === 'bridge' && opt(d, 'name') === bridge,
      );
      if (bridge === undefined || !isBridge) {
        throw new ConfigError(`network '${net}' is not on a bridge device`);
      }
      aps.push({
        ifname: opt(s, 'ifname') ?? `phy${radioIndex}-ap${n}`,
        ssid,
        bridge,
        section: s.name,
      });
    } catch (e) {
      errors.push(`wifi-iface ${s.name}: ${(e as Error).message}`);
    }
  }
  return { aps, errors };
}

function stationHasLink(pid: number): boolean {
  return run('nsenter', ['-t', String(pid), '-n', 'ip', 'link', 'show', 'wlan0']).code === 0;
}

/**
 * There is no radio: an AP is a veth whose near end is a port of the AP's bridge and whose far end
 * is `wlan0` in the station namespace whose SSID matches (the station "associates").
 */
export function applyWireless(detachAll = false): { errors: string[] } {
  const wireless = loadSections('wireless');
  const network = loadSections('network');
  const planned = detachAll ? { aps: [], errors: [] } : planWireless(wireless, network);
  const errors = [...planned.errors];
  const info = labInfo();
  const state = readState<WifiState>(STATE_PATH, { ports: [], stations: {} });
  const next: WifiState = { ports: [], stations: {} };

  const desired = new Map<string, { ap: Ap; station: string }>();
  const taken = new Set<string>();
  for (const ap of planned.aps) {
    const sta = info.stations.find((s) => s.ssid === ap.ssid && !taken.has(s.name));
    if (sta === undefined) {
      // an AP nobody is near: it exists, without a station
      desired.set(ap.ifname, { ap, station: '' });
      continue;
    }
    taken.add(sta.name);
    desired.set(ap.ifname, { ap, station: sta.name });
  }

  for (const port of state.ports) {
    const want = desired.get(port);
    if (want === undefined || want.station !== (state.stations[port] ?? '')) {
      if (linkExists(port)) run('ip', ['link', 'del', port]);
      const sta = info.stations.find((s) => s.name === state.stations[port]);
      if (sta !== undefined) logLine('hostapd', `${port}: AP-STA-DISCONNECTED ${sta.mac}`);
    }
  }

  for (const [ifname, { ap, station }] of desired) {
    try {
      const sta = info.stations.find((s) => s.name === station);
      if (!linkExists(ifname)) {
        if (sta === undefined) {
          ip(
            'link',
            'add',
            ifname,
            'type',
            'veth',
            'peer',
            'name',
            `ap-${ifname}`,
            'netns',
            String(info.jacksPid),
          );
        } else {
          if (stationHasLink(sta.pid)) {
            run('nsenter', ['-t', String(sta.pid), '-n', 'ip', 'link', 'del', 'wlan0']);
          }
          ip(
            'link',
            'add',
            ifname,
            'type',
            'veth',
            'peer',
            'name',
            'wlan0',
            'address',
            sta.mac,
            'netns',
            String(sta.pid),
          );
          run('nsenter', ['-t', String(sta.pid), '-n', 'ip', 'link', 'set', 'wlan0', 'up']);
          logLine('hostapd', `${ifname}: AP-STA-CONNECTED ${sta.mac} (ssid ${ap.ssid})`);
        }
      }
      const l = links().find((x) => x.ifname === ifname);
      if (l?.master !== ap.bridge) ip('link', 'set', 'dev', ifname, 'master', ap.bridge);
      ip('link', 'set', 'dev', ifname, 'up');
      next.ports.push(ifname);
      next.stations[ifname] = station;
    } catch (e) {
      errors.push(`wifi-iface ${ap.section}: ${(e as Error).message}`);
    }
  }
  writeState(STATE_PATH, next);
  return { errors };
}
