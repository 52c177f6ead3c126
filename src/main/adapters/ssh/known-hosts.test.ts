import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fingerprintOfBase64, keyTypeOf, preferredHostKeyAlgorithms } from './host-key';
import {
  createFileKnownHostsStore,
  createMemoryKnownHostsStore,
  forgetInText,
  formatKnownHostsLine,
  knownHostName,
  lookupInText,
} from './known-hosts';

// Real ed25519 and RSA host keys (public halves), as ssh-keyscan prints them.
const ed = 'AAAAC3NzaC1lZDI1NTE5AAAAIOcaPbpSPTi0Ak6t60wWWP8FHFlmynod4ZSBIv3roiXA';
const ed2 = 'AAAAC3NzaC1lZDI1NTE5AAAAIIKkbGLL9+1A2QBbh4KNQ45Rza2jW0bpEl4BmNbIqWrX';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync('/tmp/homeward-kh-test-');
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('host key helpers', () => {
  it('fingerprints like ssh-keygen -lf', () => {
    const keygen = execFileSync('ssh-keygen', ['-lf', '-'], {
      input: `ssh-ed25519 ${ed}\n`,
    }).toString();
    expect(keygen).toContain(fingerprintOfBase64(ed));
    expect(fingerprintOfBase64(ed)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });
  it('reads the key type from the blob', () => {
    expect(keyTypeOf(Buffer.from(ed, 'base64'))).toBe('ssh-ed25519');
    expect(keyTypeOf(Buffer.from([0, 0, 0, 200, 1]))).toBeUndefined();
  });
  it('asks for pinned key types first', () => {
    expect(preferredHostKeyAlgorithms(['ssh-rsa', 'ssh-ed25519'])).toEqual([
      'rsa-sha2-512',
      'rsa-sha2-256',
      'ssh-rsa',
      'ssh-ed25519',
    ]);
    expect(preferredHostKeyAlgorithms(['ssh-dss'])).toEqual([]);
  });
});

describe('known_hosts text', () => {
  it('names hosts the way OpenSSH does', () => {
    expect(knownHostName('192.168.8.1', 22)).toBe('192.168.8.1');
    expect(knownHostName('Router.LAN', 2222)).toBe('[router.lan]:2222');
    expect(knownHostName('fe80::1', 2222)).toBe('[fe80::1]:2222');
  });

  it('finds keys by host and port, including comma lists, and skips comments and markers', () => {
    const text = [
      '# comment',
      `192.168.8.1,gl-mt3000 ssh-ed25519 ${ed} root@gl`,
      `[192.168.8.1]:2222 ssh-ed25519 ${ed2}`,
      `@cert-authority * ssh-ed25519 ${ed2}`,
      'garbage line',
      '',
    ].join('\n');
    expect(lookupInText(text, '192.168.8.1', 22).map((k) => k.keyBase64)).toEqual([ed]);
    expect(lookupInText(text, 'GL-MT3000', 22).map((k) => k.keyBase64)).toEqual([ed]);
    expect(lookupInText(text, '192.168.8.1', 2222).map((k) => k.keyBase64)).toEqual([ed2]);
    expect(lookupInText(text, '192.168.8.2', 22)).toEqual([]);
  });

  it('matches names hashed by ssh-keygen -H', () => {
    const dir = tempDir();
    const file = join(dir, 'known_hosts');
    writeFileSync(file, `[10.0.0.1]:2200 ssh-ed25519 ${ed}\n10.0.0.1 ssh-ed25519 ${ed2}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    const hashed = readFileSync(file, 'utf8');
    expect(hashed).not.toContain('10.0.0.1');
    expect(lookupInText(hashed, '10.0.0.1', 2200).map((k) => k.keyBase64)).toEqual([ed]);
    expect(lookupInText(hashed, '10.0.0.1', 22).map((k) => k.keyBase64)).toEqual([ed2]);
    expect(forgetInText(hashed, '10.0.0.1', 2200).removed).toBe(1);
  });

  it('forgets one name and keeps the others on a shared line', () => {
    const text = `a,b ssh-ed25519 ${ed} c\n[a]:2222 ssh-ed25519 ${ed2}\n`;
    expect(forgetInText(text, 'a', 22)).toEqual({
      text: `b ssh-ed25519 ${ed} c\n[a]:2222 ssh-ed25519 ${ed2}\n`,
      removed: 1,
    });
  });

  it('refuses to write a line that would break the file', () => {
    expect(() => formatKnownHostsLine('evil\nhost', 22, 'ssh-ed25519', ed)).toThrow();
    expect(() => formatKnownHostsLine('a b', 22, 'ssh-ed25519', ed)).toThrow();
    expect(() => formatKnownHostsLine('a', 22, 'ssh-ed25519', `${ed}\nx`)).toThrow();
  });
});

describe('known hosts stores', () => {
  it('memory store pins once and forgets', async () => {
    const store = createMemoryKnownHostsStore();
    await store.pin('h', 22, 'ssh-ed25519', ed);
    await store.pin('h', 22, 'ssh-ed25519', ed);
    expect(store.text()).toBe(`h ssh-ed25519 ${ed}\n`);
    expect(await store.forget('h', 22)).toBe(1);
    expect(await store.lookup('h', 22)).toEqual([]);
  });

  it('file store writes an OpenSSH file with mode 0600 and no temp files left', async () => {
    const dir = tempDir();
    const path = join(dir, 'nested', 'known_hosts');
    const store = createFileKnownHostsStore(path);
    expect(await store.lookup('h', 22)).toEqual([]);
    await Promise.all([
      store.pin('192.168.8.1', 22, 'ssh-ed25519', ed),
      store.pin('192.168.8.1', 2222, 'ssh-ed25519', ed2),
      store.pin('192.168.8.1', 22, 'ssh-ed25519', ed),
    ]);
    expect(readFileSync(path, 'utf8')).toBe(
      `192.168.8.1 ssh-ed25519 ${ed}\n[192.168.8.1]:2222 ssh-ed25519 ${ed2}\n`,
    );
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'nested'))).toEqual(['known_hosts']);
    // OpenSSH reads what we wrote.
    const found = execFileSync('ssh-keygen', ['-F', '[192.168.8.1]:2222', '-f', path]).toString();
    expect(found).toContain(ed2);

    expect(await store.forget('192.168.8.1', 22)).toBe(1);
    expect(readFileSync(path, 'utf8')).toBe(`[192.168.8.1]:2222 ssh-ed25519 ${ed2}\n`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('file store keeps lines it does not understand', async () => {
    const dir = tempDir();
    const path = join(dir, 'known_hosts');
    writeFileSync(path, `# mine\n*.lan ssh-ed25519 ${ed2}`);
    await createFileKnownHostsStore(path).pin('r', 22, 'ssh-ed25519', ed);
    expect(readFileSync(path, 'utf8')).toBe(
      `# mine\n*.lan ssh-ed25519 ${ed2}\nr ssh-ed25519 ${ed}\n`,
    );
  });
});
