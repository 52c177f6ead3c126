import type { LocalNetwork } from '../../shared/model';
import type { Services } from '../../main/services/index';
import type { Output } from '../output';
import { printError } from '../output';

function formatNetwork(network: LocalNetwork): string {
  const lines = [`Default gateway: ${network.defaultGateway ?? 'not reported'}`];
  for (const i of network.interfaces) {
    const address = i.ipv4 ? `${i.ipv4}${i.ipv4Cidr !== undefined ? `/${i.ipv4Cidr}` : ''}` : '-';
    lines.push(
      `${i.isDefault ? '*' : ' '} ${i.name.padEnd(16)} ${(i.up ? 'up' : 'down').padEnd(5)} ${address.padEnd(20)} ${i.mtu !== undefined ? `MTU ${i.mtu}` : ''}`.trimEnd(),
    );
  }
  const wifi = network.wifi;
  lines.push(
    wifi
      ? `Wi-Fi: ${wifi.ssid ?? wifi.bssid ?? '?'}${wifi.signalDbm !== undefined ? `, ${wifi.signalDbm} dBm` : ''}${wifi.channel !== undefined ? `, channel ${wifi.channel}` : ''}`
      : 'Wi-Fi: not connected (or not reported)',
  );
  return lines.join('\n');
}

export async function runSystem(
  services: Services,
  output: Output,
  json: boolean,
): Promise<number> {
  const result = await services.handlers['system:local-network']();
  if (!result.ok) {
    printError(output, json, 'homeward.system/1', result.error);
    return 2;
  }
  output.out(
    json
      ? JSON.stringify({ schema: 'homeward.system/1', ...result.value }, null, 2)
      : formatNetwork(result.value),
  );
  return 0;
}
