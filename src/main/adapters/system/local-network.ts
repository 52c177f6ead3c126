import si from 'systeminformation';
import type { RawLocalNetwork } from '../../core/local-network';

// systeminformation shells out (ip, iw, nmcli, netsh, ...) and may block; call it rarely.
export async function fetchLocalNetwork(): Promise<RawLocalNetwork> {
  const [gateway, defaultInterface, interfaces, wifi] = await Promise.all([
    si.networkGatewayDefault().catch(() => ''),
    si.networkInterfaceDefault().catch(() => ''),
    si.networkInterfaces().catch(() => []),
    si.wifiConnections().catch(() => []),
  ]);
  return {
    gateway,
    defaultInterface,
    interfaces: Array.isArray(interfaces) ? interfaces : [interfaces],
    wifi,
  };
}
