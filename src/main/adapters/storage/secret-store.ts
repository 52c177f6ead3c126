import { chmod, mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './atomic-file';

// Secrets Homeward must keep (its SSH key, WireGuard keys it generated). The app backs this with
// Electron safeStorage (the OS keychain) in its composition root; the CLI uses the file store:
// one file per secret, readable only by the user, in a 0700 directory of the data dir.

export interface SecretStore {
  /** Where a secret lives, for messages ("the key is in ..."); undefined for a keychain. */
  locationOf(name: string): string | undefined;
  read(name: string): Promise<string | undefined>;
  write(name: string, value: string): Promise<void>;
}

const namePattern = /^[a-z0-9][a-z0-9._-]{0,63}$/;

function checkName(name: string): void {
  if (!namePattern.test(name)) throw new Error(`bad secret name ${JSON.stringify(name)}`);
}

export function createFileSecretStore(dir: string): SecretStore {
  return {
    locationOf(name) {
      checkName(name);
      return path.join(dir, name);
    },
    async read(name) {
      checkName(name);
      const file = path.join(dir, name);
      try {
        const info = await stat(file);
        // A secret others can read is refused, as ssh does with a private key.
        if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
          throw new Error(`${file} is readable by other users; run chmod 600 ${file}`);
        }
        return await readFile(file, 'utf8');
      } catch (error) {
        if ((error as { code?: string }).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async write(name, value) {
      checkName(name);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      if (process.platform !== 'win32') await chmod(dir, 0o700);
      // writeFileAtomic creates its temp file with mode 0600 before any byte is written.
      await writeFileAtomic(path.join(dir, name), Buffer.from(value, 'utf8'));
    },
  };
}
