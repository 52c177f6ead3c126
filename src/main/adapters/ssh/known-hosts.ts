import { createHmac, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fingerprintOfBase64 } from './host-key';
import type { HostKeyInfo } from './host-key';

// Pinned host keys in OpenSSH known_hosts format, so a person can read and edit the file and an
// existing ~/.ssh/known_hosts can be pointed at. Understood: plain and comma-separated host
// names, `[host]:port`, hashed names (`|1|salt|hash`). Lines with wildcards or markers
// (@cert-authority, @revoked) are kept untouched but never match.

export interface KnownHostsStore {
  /** Where the pins live, for messages ("remove the line for X from FILE"). */
  readonly location?: string;
  lookup(host: string, port: number): Promise<HostKeyInfo[]>;
  /** Adds a key for the host. A different key already pinned stays: use `forget` first. */
  pin(host: string, port: number, keyType: string, keyBase64: string): Promise<void>;
  /** Removes every key pinned for the host; returns how many were removed. */
  forget(host: string, port: number): Promise<number>;
}

/** The host field OpenSSH writes: `host` on port 22, `[host]:port` otherwise. */
export function knownHostName(host: string, port: number): string {
  const name = host.toLowerCase();
  return port === 22 ? name : `[${name}]:${port}`;
}

export interface KnownHostsLine {
  hosts: string[];
  keyType: string;
  keyBase64: string;
}

/** Parses one line; undefined for blanks, comments, markers and malformed lines. */
export function parseKnownHostsLine(line: string): KnownHostsLine | undefined {
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('@')) return undefined;
  const [hostField, keyType, keyBase64] = trimmed.split(/\s+/);
  if (!hostField || !keyType || !keyBase64) return undefined;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(keyBase64)) return undefined;
  return { hosts: hostField.split(','), keyType, keyBase64 };
}

export function formatKnownHostsLine(
  host: string,
  port: number,
  keyType: string,
  keyBase64: string,
): string {
  // Values come from the SSH handshake and the caller's host; anything else here is a bug that
  // would corrupt the file.
  if (!/^[A-Za-z0-9.:%_-]+$/.test(host)) throw new Error(`invalid host for known_hosts: ${host}`);
  if (!/^[a-z0-9@.-]+$/.test(keyType)) throw new Error(`invalid key type: ${keyType}`);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(keyBase64)) throw new Error('invalid key encoding');
  return `${knownHostName(host, port)} ${keyType} ${keyBase64}`;
}

function hostPatternMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt, hash] = pattern.split('|');
    if (!salt || !hash) return false;
    const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return digest === hash;
  }
  return pattern.toLowerCase() === name;
}

export function lineMatchesHost(entry: KnownHostsLine, host: string, port: number): boolean {
  const name = knownHostName(host, port);
  return entry.hosts.some((pattern) => hostPatternMatches(pattern, name));
}

export function lookupInText(text: string, host: string, port: number): HostKeyInfo[] {
  const found: HostKeyInfo[] = [];
  for (const line of text.split('\n')) {
    const entry = parseKnownHostsLine(line);
    if (!entry || !lineMatchesHost(entry, host, port)) continue;
    if (found.some((k) => k.keyType === entry.keyType && k.keyBase64 === entry.keyBase64)) continue;
    found.push({
      keyType: entry.keyType,
      keyBase64: entry.keyBase64,
      fingerprint: fingerprintOfBase64(entry.keyBase64),
    });
  }
  return found;
}

/** The text with the host's entries removed (other names on a shared line are kept). */
export function forgetInText(
  text: string,
  host: string,
  port: number,
): { text: string; removed: number } {
  const name = knownHostName(host, port);
  let removed = 0;
  const kept: string[] = [];
  for (const line of text.split('\n')) {
    const entry = parseKnownHostsLine(line);
    if (!entry || !lineMatchesHost(entry, host, port)) {
      kept.push(line);
      continue;
    }
    removed += 1;
    const others = entry.hosts.filter((pattern) => !hostPatternMatches(pattern, name));
    if (others.length > 0) {
      const rest = line.trim().split(/\s+/).slice(1).join(' ');
      kept.push(`${others.join(',')} ${rest}`);
    }
  }
  return { text: kept.join('\n'), removed };
}

function withPinnedLine(text: string, line: string): string {
  const body = text === '' || text.endsWith('\n') ? text : text + '\n';
  return `${body}${line}\n`;
}

export function createMemoryKnownHostsStore(
  initialText = '',
): KnownHostsStore & { text(): string } {
  let text = initialText;
  return {
    text: () => text,
    lookup: (host, port) => Promise.resolve(lookupInText(text, host, port)),
    pin: (host, port, keyType, keyBase64) => {
      const known = lookupInText(text, host, port);
      if (!known.some((k) => k.keyType === keyType && k.keyBase64 === keyBase64)) {
        text = withPinnedLine(text, formatKnownHostsLine(host, port, keyType, keyBase64));
      }
      return Promise.resolve();
    },
    forget: (host, port) => {
      const result = forgetInText(text, host, port);
      text = result.text;
      return Promise.resolve(result.removed);
    },
  };
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

/** Writes through a temp file and a rename so a crash leaves the old file or the new one. */
async function writeAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/**
 * A known_hosts file. It is read on every lookup (another Homeward process may have pinned a key
 * meanwhile); writes from this process are serialized and atomic, and the file is mode 0600.
 */
export function createFileKnownHostsStore(path: string): KnownHostsStore {
  let queue: Promise<unknown> = Promise.resolve();
  const serialize = <T>(task: () => Promise<T>): Promise<T> => {
    const next = queue.then(task, task);
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    location: path,
    lookup: async (host, port) => lookupInText(await readText(path), host, port),
    pin: (host, port, keyType, keyBase64) =>
      serialize(async () => {
        const text = await readText(path);
        const known = lookupInText(text, host, port);
        if (known.some((k) => k.keyType === keyType && k.keyBase64 === keyBase64)) return;
        await writeAtomically(
          path,
          withPinnedLine(text, formatKnownHostsLine(host, port, keyType, keyBase64)),
        );
      }),
    forget: (host, port) =>
      serialize(async () => {
        const result = forgetInText(await readText(path), host, port);
        if (result.removed > 0) await writeAtomically(path, result.text);
        return result.removed;
      }),
  };
}
