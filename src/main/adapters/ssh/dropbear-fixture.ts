import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, connect as tcpConnect } from 'node:net';
import { join } from 'node:path';
import { shQuote } from '../../core/shell/quote';
import { fingerprintOfBase64 } from './host-key';
import { generateEd25519KeyPair } from './keygen';
import type { SshKeyPair } from './keygen';

// Test helper: a real dropbear (Debian dropbear-bin, what OpenWrt runs) on 127.0.0.1 only. It
// runs in a private mount namespace with /etc overlaid (root's login shell is busybox ash, a
// known password in shadow) and a private /root, so the machine's own files are never touched.
// Debian's dropbear reads ~/.ssh/authorized_keys; for the OpenWrt layout ~/.ssh is a symlink to
// /etc/dropbear, so keys installed where OpenWrt keeps them are the ones dropbear reads.

export type DropbearLayout = 'openwrt' | 'openssh';

export interface DropbearOptions {
  layout?: DropbearLayout;
  /** Allows password sign-in for root with this password (otherwise keys only, `-s`). */
  password?: string;
  /** Also serve an ECDSA host key (ssh2 prefers ed25519 unless told otherwise). */
  ecdsaHostKey?: boolean;
}

interface HostKey {
  keyType: string;
  keyBase64: string;
  fingerprint: string;
}

export interface DropbearFixture {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly dir: string;
  /** A key already in root's authorized_keys. */
  readonly clientKey: SshKeyPair;
  readonly hostKey: HostKey;
  readonly ecdsaHostKey?: HostKey;
  /** The authorized_keys file dropbear reads, as seen from outside the namespace. */
  readonly authorizedKeysPath: string;
  log(): string;
  /** Restarts on the same port, with a new host key when asked. */
  restart(options?: { newHostKey?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

export function hasDropbear(): boolean {
  try {
    execFileSync(
      'sh',
      ['-c', 'command -v dropbear && command -v dropbearkey && command -v unshare'],
      {
        stdio: 'ignore',
      },
    );
    return process.getuid?.() === 0;
  } catch {
    return false;
  }
}

export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function makeHostKey(path: string, type: 'ed25519' | 'ecdsa' = 'ed25519'): HostKey {
  execFileSync('dropbearkey', ['-t', type, '-f', path], { stdio: 'ignore' });
  const out = execFileSync('dropbearkey', ['-y', '-f', path]).toString();
  const match = /^(ssh-ed25519|ecdsa-sha2-nistp\d+) (\S+)/m.exec(out);
  if (!match?.[1] || !match[2]) throw new Error(`cannot read host key: ${out}`);
  return { keyType: match[1], keyBase64: match[2], fingerprint: fingerprintOfBase64(match[2]) };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function mountNamespaceOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/mnt`);
  } catch {
    return undefined;
  }
}

/** Every process in the given mount namespace: dropbear, its sessions and their commands. */
function processesIn(namespace: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    if (mountNamespaceOf(Number(name)) === namespace) pids.push(Number(name));
  }
  return pids;
}

export async function startDropbear(options: DropbearOptions = {}): Promise<DropbearFixture> {
  const layout = options.layout ?? 'openssh';
  const dir = mkdtempSync('/tmp/homeward-dropbear-');
  const upper = join(dir, 'etc-upper');
  const root = join(dir, 'root');
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'etc-work'));
  mkdirSync(upper);
  mkdirSync(root, { mode: 0o700 });
  const shell = join(dir, 'bin', 'ash');
  symlinkSync('/bin/busybox', shell);

  const passwd = readFileSync('/etc/passwd', 'utf8').replace(
    /^root:.*$/m,
    `root:x:0:0:root:/root:${shell}`,
  );
  writeFileSync(join(upper, 'passwd'), passwd);
  writeFileSync(join(upper, 'shells'), `${readFileSync('/etc/shells', 'utf8')}${shell}\n`);
  const hash = options.password
    ? execFileSync('openssl', ['passwd', '-6', '-stdin'], { input: options.password })
        .toString()
        .trim()
    : '*';
  const shadow = readFileSync('/etc/shadow', 'utf8').replace(/^root:[^:]*:/m, `root:${hash}:`);
  writeFileSync(join(upper, 'shadow'), shadow, { mode: 0o640 });

  const clientKey = generateEd25519KeyPair('fixture@homeward-test');
  let authorizedKeysPath: string;
  if (layout === 'openwrt') {
    mkdirSync(join(upper, 'dropbear'), { mode: 0o700 });
    symlinkSync('/etc/dropbear', join(root, '.ssh'));
    authorizedKeysPath = join(upper, 'dropbear', 'authorized_keys');
  } else {
    mkdirSync(join(root, '.ssh'), { mode: 0o700 });
    authorizedKeysPath = join(root, '.ssh', 'authorized_keys');
  }
  writeFileSync(authorizedKeysPath, `${clientKey.publicKeyLine}\n`, { mode: 0o600 });

  const port = await freeLoopbackPort();
  let keyIndex = 0;
  let hostKey = makeHostKey(join(dir, `host-key-${keyIndex}`));
  const ecdsaHostKey = options.ecdsaHostKey
    ? makeHostKey(join(dir, 'host-key-ecdsa'), 'ecdsa')
    : undefined;
  const extraKeyArgs = ecdsaHostKey ? ` -r ${shQuote(join(dir, 'host-key-ecdsa'))}` : '';
  let child: ChildProcess | undefined;
  let namespace: string | undefined;
  let log = '';

  async function launch(): Promise<void> {
    const script = [
      'set -e',
      `mount -t overlay overlay -o ${shQuote(`lowerdir=/etc,upperdir=${upper},workdir=${join(dir, 'etc-work')}`)} /etc`,
      `mount --bind ${shQuote(root)} /root`,
      `exec dropbear -F -E ${options.password ? '' : '-s'} -j -k -p ${shQuote(`127.0.0.1:${port}`)} -r ${shQuote(join(dir, `host-key-${keyIndex}`))} -P ${shQuote(join(dir, 'pid'))}${extraKeyArgs}`,
    ].join('\n');
    const started = spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child = started;
    started.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      if (started.exitCode !== null) throw new Error(`dropbear exited: ${log}`);
      if (started.pid && !namespace) {
        const ns = mountNamespaceOf(started.pid);
        if (ns && ns !== mountNamespaceOf(process.pid)) namespace = ns;
      }
      if (namespace && (await canConnect(port))) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    await halt();
    throw new Error(`dropbear did not listen on 127.0.0.1:${port}: ${log}`);
  }

  async function halt(): Promise<void> {
    const running = child;
    child = undefined;
    const victims = namespace ? processesIn(namespace) : [];
    namespace = undefined;
    if (running?.pid && !victims.includes(running.pid)) victims.push(running.pid);
    for (const pid of victims) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (running && running.exitCode === null && running.signalCode === null) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 2000);
        running.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  await launch();
  return {
    host: '127.0.0.1',
    port,
    dir,
    clientKey,
    get hostKey() {
      return hostKey;
    },
    ...(ecdsaHostKey ? { ecdsaHostKey } : {}),
    authorizedKeysPath,
    log: () => log,
    async restart(restartOptions = {}) {
      await halt();
      if (restartOptions.newHostKey) {
        keyIndex += 1;
        hostKey = makeHostKey(join(dir, `host-key-${keyIndex}`));
      }
      log = '';
      await launch();
    },
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
