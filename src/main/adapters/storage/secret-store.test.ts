import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileSecretStore } from './secret-store';

let root: string | undefined;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

describe.runIf(process.platform !== 'win32')('createFileSecretStore', () => {
  it('writes 0600 files in a 0700 directory and reads them back', async () => {
    root = mkdtempSync(path.join(tmpdir(), 'homeward-secrets-'));
    const dir = path.join(root, 'keys');
    const store = createFileSecretStore(dir);
    expect(await store.read('homeward_ed25519')).toBeUndefined();
    await store.write('homeward_ed25519', 'secret\n');
    expect(await store.read('homeward_ed25519')).toBe('secret\n');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dir, 'homeward_ed25519')).mode & 0o777).toBe(0o600);
  });
  it('refuses a secret file others can read, and odd names', async () => {
    root = mkdtempSync(path.join(tmpdir(), 'homeward-secrets-'));
    const store = createFileSecretStore(root);
    await store.write('k', 'x');
    chmodSync(path.join(root, 'k'), 0o644);
    await expect(store.read('k')).rejects.toThrow(/chmod 600/);
    await expect(store.write('../evil', 'x')).rejects.toThrow(/bad secret name/);
  });
});
