import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { fingerprintSha256 } from './host-key';

export interface SshKeyPair {
  /** OpenSSH format (`-----BEGIN OPENSSH PRIVATE KEY-----`), unencrypted: ssh2 reads it. */
  privateKey: string;
  /** An authorized_keys line: `ssh-ed25519 AAAA... comment`. */
  publicKeyLine: string;
  fingerprint: string;
}

function sshString(data: Buffer | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  return Buffer.concat([length, body]);
}

function uint32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value);
  return out;
}

/**
 * A new ed25519 key pair for Homeward to sign in with. Node exports ed25519 private keys only as
 * PKCS#8, which ssh2's parser rejects ("Unsupported key format"), so the OpenSSH container is
 * written here (PROTOCOL.key in OpenSSH's source: cipher none, one key, padded to 8 bytes).
 */
export function generateEd25519KeyPair(comment = `homeward@${hostname()}`): SshKeyPair {
  if (/[\r\n]/.test(comment)) throw new Error('a key comment cannot contain a line break');
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url');
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d ?? '', 'base64url');
  if (pub.length !== 32 || seed.length !== 32) throw new Error('unexpected ed25519 key size');

  const publicBlob = Buffer.concat([sshString('ssh-ed25519'), sshString(pub)]);
  const check = randomBytes(4);
  const unpadded = Buffer.concat([
    check,
    check,
    sshString('ssh-ed25519'),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString(comment),
  ]);
  const padLength = (8 - (unpadded.length % 8)) % 8;
  const padding = Buffer.from(Array.from({ length: padLength }, (_, i) => i + 1));
  const container = Buffer.concat([
    Buffer.from('openssh-key-v1\0', 'latin1'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    uint32(1),
    sshString(publicBlob),
    sshString(Buffer.concat([unpadded, padding])),
  ]);
  const lines = container.toString('base64').match(/.{1,70}/g) ?? [];
  return {
    privateKey: [
      '-----BEGIN OPENSSH PRIVATE KEY-----',
      ...lines,
      '-----END OPENSSH PRIVATE KEY-----',
      '',
    ].join('\n'),
    publicKeyLine: `ssh-ed25519 ${publicBlob.toString('base64')}${comment ? ` ${comment}` : ''}`,
    fingerprint: fingerprintSha256(publicBlob),
  };
}
