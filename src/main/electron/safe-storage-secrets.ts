import type { SafeStorage } from 'electron';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../adapters/storage/atomic-file';
import type { SecretStore } from '../adapters/storage/secret-store';
import { createFileSecretStore } from '../adapters/storage/secret-store';

/**
 * Secrets encrypted with the OS keychain (Electron safeStorage: Keychain, DPAPI, libsecret) and
 * kept as files only the keychain can open. Where no keychain is available (a bare Linux
 * session), the user-only file store is used, as in the CLI.
 */
export function createSafeStorageSecretStore(safeStorage: SafeStorage, dir: string): SecretStore {
  if (!safeStorage.isEncryptionAvailable()) return createFileSecretStore(dir);
  const fileOf = (name: string) => {
    if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(name))
      throw new Error(`bad secret name ${JSON.stringify(name)}`);
    return path.join(dir, `${name}.keychain`);
  };
  return {
    locationOf: () => undefined,
    async read(name) {
      try {
        return safeStorage.decryptString(await readFile(fileOf(name)));
      } catch (error) {
        if ((error as { code?: string }).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async write(name, value) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await writeFileAtomic(fileOf(name), safeStorage.encryptString(value));
    },
  };
}
