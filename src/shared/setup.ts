// The setup intent: what a person asks for, validated field by field before anything is planned.

export type WifiBand = '2g' | '5g';
export type WifiEncryption = 'psk2' | 'sae' | 'sae-mixed';

export interface WifiSpec {
  ssid: string;
  password: string;
  band: WifiBand;
  widthMhz: 20 | 40 | 80 | 160;
  encryption: WifiEncryption;
}

/**
 * How the bridged (L2) segment copes with its smaller MTU:
 * - `dhcp-option-26`: home's DHCP tells clients the segment's MTU (e.g. 1370); no fragmentation.
 * - `vxlan-1500-fragment`: VXLAN and the bridge at 1500 over the tunnel; oversized frames are
 *   fragmented inside the tunnel (the seed's setup): works for every client, costs throughput.
 */
export type L2MtuStrategy = 'dhcp-option-26' | 'vxlan-1500-fragment';

export interface SetupIntent {
  home: {
    /** Public host name or address of the home router's WireGuard endpoint. */
    endpointHost: string;
    endpointPort: number;
    /** Home's WireGuard address with prefix, e.g. 10.0.31.1/24. */
    tunnelAddress: string;
    publicKey: string;
    /** Name for the home peer (LuCI shows it as the peer description). */
    name: string;
    /** Home LAN, e.g. 192.168.35.0/24: routed over the tunnel when `routeHomeLan`. */
    lanCidr?: string;
  };
  travel: {
    /** The travel router's WireGuard address with prefix, e.g. 10.0.31.103/32. */
    tunnelAddress: string;
    privateKey: string;
    publicKey: string;
    name: string;
    /** Travel LAN (L3 SSID), e.g. 192.168.8.0/24: home needs it only without NAT. */
    lanCidr?: string;
    /**
     * The travel router's own LAN address with prefix, e.g. 192.168.9.1/24, when setup should
     * move it (clash with the friend's network). Absent: the LAN address stays as it is.
     */
    lanAddress?: string;
  };
  presharedKey?: string;
  keepaliveS: number;
  vxlan: { vid: number; port: number };
  /** Underlay MTU (measured by mtu.underlay, or 1500). */
  underlayMtu: number;
  wifi: { l3: WifiSpec; l2: WifiSpec };
  l3Nat: boolean;
  routeHomeLan: boolean;
  l2MtuStrategy: L2MtuStrategy;
}

export interface FieldErrorText {
  message: string;
  fix: string;
}

export interface FieldError extends FieldErrorText {
  /** Dotted path of the intent field, e.g. `wifi.l2.password`. */
  field: string;
  /** Always written by validation; optional for errors built elsewhere (remedy checks). */
  localized?: { 'zh-CN': FieldErrorText };
}

export interface MtuLadder {
  underlay: number;
  wireguard: number;
  vxlan: number;
  /** The MTU the bridged segment and its clients use. */
  l2Segment: number;
  /** Each step written out, e.g. "1500 - 80 (outer IPv6 40 + UDP 8 + WireGuard 32) = 1420". */
  arithmetic: string[];
}
