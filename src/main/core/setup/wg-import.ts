import type { WgQuickImport } from '../../../shared/setup-run';
import { parseWgQuick } from './wg-quick';
import type { WgQuickError } from './wg-quick';

export type WgQuickImportResult =
  | {
      kind: 'ok';
      value: Omit<WgQuickImport, 'travel'> & { travel: Omit<WgQuickImport['travel'], 'publicKey'> };
    }
  | WgQuickError;

/**
 * The intent fields a wg-quick file for the travel router gives: its key and address, and the
 * home peer. The travel public key is derived by the caller (it needs X25519).
 */
export function importWgQuick(text: string): WgQuickImportResult {
  const parsed = parseWgQuick(text);
  if (parsed.kind !== 'ok') return parsed;
  const { config } = parsed;
  const address = config.addresses.find((a) => !a.includes(':'));
  const peer = config.peers[0];
  if (!address || !peer)
    return {
      kind: 'error',
      message: 'The file has no IPv4 Address or no [Peer].',
      fix: 'Export the whole wg-quick file for the travel router.',
      zh: {
        message: '文件没有 IPv4 Address 或没有 [Peer]。',
        fix: '导出旅行路由器完整的 wg-quick 文件。',
      },
    };
  if (config.peers.length > 1)
    return {
      kind: 'error',
      message: `The file has ${config.peers.length} [Peer] sections; Homeward expects home only.`,
      fix: 'Keep the [Peer] of the home router and remove the others.',
      zh: {
        message: `文件有 ${config.peers.length} 个 [Peer] 节；Homeward 只需要家里的那一个。`,
        fix: '保留家里路由器的 [Peer]，删除其余的。',
      },
    };
  return {
    kind: 'ok',
    value: {
      travel: { privateKey: config.privateKey, tunnelAddress: address },
      home: {
        publicKey: peer.publicKey,
        ...(peer.endpoint
          ? { endpointHost: peer.endpoint.host, endpointPort: peer.endpoint.port }
          : {}),
      },
      ...(peer.presharedKey ? { presharedKey: peer.presharedKey } : {}),
      ...(peer.persistentKeepalive !== undefined ? { keepaliveS: peer.persistentKeepalive } : {}),
    },
  };
}
