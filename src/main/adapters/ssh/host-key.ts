import { createHash } from 'node:crypto';

export interface HostKeyInfo {
  /** The key's own type name, as in known_hosts: `ssh-ed25519`, `ssh-rsa`, `ecdsa-sha2-nistp256`. */
  keyType: string;
  /** The raw public key blob in base64, as in known_hosts. */
  keyBase64: string;
  /** OpenSSH style: `SHA256:` + unpadded base64 of sha256(blob), what `ssh-keygen -lf` prints. */
  fingerprint: string;
}

export function fingerprintSha256(blob: Uint8Array): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

/** The type name at the start of an SSH public key blob (a uint32 length, then the name). */
export function keyTypeOf(blob: Uint8Array): string | undefined {
  if (blob.length < 4) return undefined;
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const length = view.getUint32(0);
  if (length === 0 || length > 64 || 4 + length > blob.length) return undefined;
  const name = Buffer.from(blob.subarray(4, 4 + length)).toString('latin1');
  return /^[a-z0-9@.-]+$/.test(name) ? name : undefined;
}

export function describeHostKey(blob: Uint8Array): HostKeyInfo {
  return {
    keyType: keyTypeOf(blob) ?? 'unknown',
    keyBase64: Buffer.from(blob).toString('base64'),
    fingerprint: fingerprintSha256(blob),
  };
}

export function fingerprintOfBase64(keyBase64: string): string {
  return fingerprintSha256(Buffer.from(keyBase64, 'base64'));
}

/** A short human name for a key type: ED25519, RSA, ECDSA. */
export function keyTypeLabel(keyType: string): string {
  if (keyType === 'ssh-ed25519') return 'ED25519';
  if (keyType === 'ssh-rsa') return 'RSA';
  if (keyType.startsWith('ecdsa-')) return 'ECDSA';
  return keyType;
}

// Host key algorithms ssh2 can negotiate for a key type. An RSA key is used with rsa-sha2-*.
const algorithmsByKeyType: Record<string, readonly string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

/**
 * Host key algorithms to ask for first, so a server with several host keys presents the one we
 * pinned (OpenSSH does the same); otherwise a client upgrade could look like a changed key.
 */
export function preferredHostKeyAlgorithms(pinnedKeyTypes: readonly string[]): string[] {
  const out: string[] = [];
  for (const type of pinnedKeyTypes) {
    for (const algorithm of algorithmsByKeyType[type] ?? []) {
      if (!out.includes(algorithm)) out.push(algorithm);
    }
  }
  return out;
}
