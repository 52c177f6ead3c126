import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { generateEd25519KeyPair } from './keygen';

describe('generateEd25519KeyPair', () => {
  it('writes an OpenSSH private key that ssh-keygen and ssh2 read back to the same public key', () => {
    const pair = generateEd25519KeyPair('homeward@laptop');
    expect(pair.publicKeyLine).toMatch(
      /^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]+ homeward@laptop$/,
    );
    const parsed = ssh2.utils.parseKey(pair.privateKey);
    if (parsed instanceof Error) throw parsed;
    expect(parsed.type).toBe('ssh-ed25519');
    expect(parsed.getPublicSSH().toString('base64')).toBe(pair.publicKeyLine.split(' ')[1]);
    // The key signs: ssh2 verifies its own signature with the public half.
    const data = Buffer.from('homeward');
    expect(parsed.verify(data, parsed.sign(data))).toBe(true);

    const dir = mkdtempSync('/tmp/homeward-keygen-test-');
    try {
      const file = join(dir, 'id');
      writeFileSync(file, pair.privateKey, { mode: 0o600 });
      expect(execFileSync('ssh-keygen', ['-y', '-f', file]).toString().trim()).toBe(
        pair.publicKeyLine,
      );
      expect(execFileSync('ssh-keygen', ['-lf', file]).toString()).toContain(pair.fingerprint);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('makes a different key each time', () => {
    expect(generateEd25519KeyPair().publicKeyLine).not.toBe(generateEd25519KeyPair().publicKeyLine);
  });

  it('exists because ssh2 cannot read the PKCS#8 PEM node:crypto exports', () => {
    const { privateKey } = generateKeyPairSync('ed25519', {
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    expect(ssh2.utils.parseKey(privateKey)).toBeInstanceOf(Error);
  });

  it('refuses a comment with a line break', () => {
    expect(() => generateEd25519KeyPair('a\nssh-rsa AAAA')).toThrow();
  });
});
