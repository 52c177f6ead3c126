export interface AppInfo {
  name: string;
  version: string;
  /** Which shell serves the contract: the Electron app, the browser host or the CLI. */
  shell: 'electron' | 'browser-host' | 'cli';
  platform: string;
}

export interface NetworkInterfaceSummary {
  name: string;
  ipv4?: string;
  ipv4Cidr?: number;
  ipv6?: string;
  mac?: string;
  mtu?: number;
  type?: 'wired' | 'wireless' | 'virtual' | 'other';
  up: boolean;
  isDefault: boolean;
}

export interface WifiConnectionSummary {
  ssid?: string;
  bssid?: string;
  channel?: number;
  frequencyMhz?: number;
  signalDbm?: number;
  txRateMbps?: number;
}

export interface LocalNetwork {
  defaultGateway?: string;
  defaultInterface?: string;
  interfaces: NetworkInterfaceSummary[];
  wifi?: WifiConnectionSummary;
}
