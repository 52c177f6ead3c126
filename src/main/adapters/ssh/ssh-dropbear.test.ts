import { execFileSync, spawn } from 'node:child_process';
import { randomBytes, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installAuthorizedKey } from './authorized-keys';
import { connectSsh, sshConnectionsOpened } from './connect';
import type { SshAuth, SshConnectOptions } from './connect';
import { freeLoopbackPort, hasDropbear, startDropbear } from './dropbear-fixture';
import type { DropbearFixture } from './dropbear-fixture';
import { generateEd25519KeyPair } from './keygen';
import { createFileKnownHostsStore, createMemoryKnownHostsStore } from './known-hosts';
import type { KnownHostsStore } from './known-hosts';
import type { SshSession } from './session';

// Real dropbear on 127.0.0.1 (see dropbear-fixture.ts). Needs root, dropbear-bin and unshare.

// In CI (CI=true) these run: a missing dropbear there is a failure, not a skip.
const withDropbear = describe.skipIf(!hasDropbear() && process.env['CI'] !== 'true');

async function pinnedStore(fixture: DropbearFixture): Promise<KnownHostsStore> {
  const store = createMemoryKnownHostsStore();
  await store.pin(fixture.host, fixture.port, fixture.hostKey.keyType, fixture.hostKey.keyBase64);
  return store;
}

function options(
  fixture: DropbearFixture,
  auth: SshAuth,
  knownHosts: KnownHostsStore,
): SshConnectOptions {
  return { host: fixture.host, port: fixture.port, auth, knownHosts, readyTimeoutMs: 5000 };
}

async function connectWithKey(fixture: DropbearFixture): Promise<SshSession> {
  const auth: SshAuth = { kind: 'key', privateKey: fixture.clientKey.privateKey };
  const result = await connectSsh(options(fixture, auth, await pinnedStore(fixture)));
  if (!result.ok) throw new Error(`connect failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

/** Processes whose command line matches; the bracket keeps pgrep's own shell out of it. */
async function remoteMatches(session: SshSession, pattern: string): Promise<string> {
  const found = await session.exec(`pgrep -af ${pattern} || true`);
  return found.stdout.trim();
}

withDropbear('SSH adapter against a real dropbear', () => {
  let fixture: DropbearFixture;
  let session: SshSession;

  beforeAll(async () => {
    fixture = await startDropbear();
    session = await connectWithKey(fixture);
  }, 30_000);
  afterAll(async () => {
    await session?.close();
    await fixture?.stop();
  });

  it('signs in with a key and returns stdout, stderr and the exit code', async () => {
    const result = await session.exec('echo out; echo oops >&2; exit 3');
    expect(result).toMatchObject({ stdout: 'out\n', stderr: 'oops\n', code: 3, timedOut: false });
    expect(session.hostKey).toMatchObject({
      fingerprint: fixture.hostKey.fingerprint,
      newlyPinned: false,
    });
    // dropbear started the command from root's login shell, busybox ash as on OpenWrt.
    expect((await session.exec('cat /proc/$PPID/comm')).stdout).toBe('dropbear\n');
  });

  it('passes stdin and keeps multi-byte characters whole', async () => {
    const text = 'grüße ☃ 你好\n'.repeat(2000);
    const result = await session.exec('cat', { stdin: text });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(text);
  });

  it('streams output chunks before the command exits', async () => {
    const chunks: { at: number; text: string }[] = [];
    const started = Date.now();
    const result = await session.exec('echo first; sleep 1; echo second', {
      onStdout: (text) => chunks.push({ at: Date.now() - started, text }),
    });
    const finished = Date.now() - started;
    expect(result.stdout).toBe('first\nsecond\n');
    expect(chunks[0]?.text).toBe('first\n');
    expect(finished - (chunks[0]?.at ?? finished)).toBeGreaterThan(700);
  });

  it('stops the remote command on timeout', async () => {
    const started = Date.now();
    const result = await session.exec('sleep 31; echo never', { timeoutMs: 500 });
    expect(result).toMatchObject({ timedOut: true, cancelled: false, code: null });
    expect(result.stdout).not.toContain('never');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await remoteMatches(session, "'slee[p] 31'")).toBe('');
  });

  it('stops a whole remote process tree on abort', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 500);
    const result = await session.exec('sleep 32 & sleep 33 | cat; wait', {
      signal: controller.signal,
    });
    expect(result).toMatchObject({ cancelled: true, code: null });
    expect(await remoteMatches(session, "'slee[p] 3[23]'")).toBe('');
  });

  it('stops a running iperf3 server on abort', async () => {
    const port = await freeLoopbackPort();
    const controller = new AbortController();
    const running = session.exec(`iperf3 -s -1 -B 127.0.0.1 -p ${port}`, {
      signal: controller.signal,
    });
    await new Promise((r) => setTimeout(r, 700));
    expect(await remoteMatches(session, `'iperf[3] -s -1 -B 127.0.0.1 -p ${port}'`)).not.toBe('');
    controller.abort();
    expect((await running).cancelled).toBe(true);
    expect(await remoteMatches(session, `'iperf[3] -s -1 -B 127.0.0.1 -p ${port}'`)).toBe('');
  });

  it('returns at once for a signal already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await session.exec('touch /tmp/should-not-exist', { signal: controller.signal });
    expect(result.cancelled).toBe(true);
  });

  it('writes files byte-exact with the asked mode, atomically', async () => {
    const content = Buffer.concat([
      Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
      randomBytes(100_000),
    ]);
    const path = "/tmp/homeward ssh test 'quoted' $(x).bin";
    const written = await session.writeFile(path, content, 0o640);
    expect(written).toEqual({ ok: true, value: undefined });
    const check = await session.exec(
      `sha256sum < '/tmp/homeward ssh test '\\''quoted'\\'' $(x).bin'; stat -c %a '/tmp/homeward ssh test '\\''quoted'\\'' $(x).bin'; ls /tmp | grep -c homeward-tmp; rm -f '/tmp/homeward ssh test '\\''quoted'\\'' $(x).bin'`,
    );
    const [sum, mode, temps] = check.stdout.trim().split('\n');
    expect(sum?.split(' ')[0]).toBe(createHash('sha256').update(content).digest('hex'));
    expect(mode).toBe('640');
    expect(temps).toBe('0');
  });

  it('reports a failed write as data', async () => {
    const written = await session.writeFile('/nonexistent-dir/x', 'x');
    expect(written).toMatchObject({ ok: false, error: { kind: 'remote-command-failed' } });
  });

  it('runs many commands over one TCP connection', async () => {
    const before = sshConnectionsOpened();
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => session.exec(`echo ${i}`)),
    );
    expect(results.map((r) => r.stdout)).toEqual(['0\n', '1\n', '2\n', '3\n', '4\n']);
    expect(sshConnectionsOpened()).toBe(before);
    const second = await connectWithKey(fixture);
    expect(sshConnectionsOpened()).toBe(before + 1);
    await second.close();
  });

  it('close() stops commands still running and reports the session closed', async () => {
    const other = await connectWithKey(fixture);
    const running = other.exec('sleep 34');
    await new Promise((r) => setTimeout(r, 300));
    await other.close();
    expect((await running).cancelled).toBe(true);
    expect(other.closed).toBe(true);
    expect(await remoteMatches(session, "'slee[p] 34'")).toBe('');
    const after = await other.exec('true');
    expect(after.error?.kind).toBe('ssh-closed');
  });

  it('refuses a key the router does not know as auth-failed', async () => {
    const stranger = generateEd25519KeyPair('stranger');
    const result = await connectSsh(
      options(
        fixture,
        { kind: 'key', privateKey: stranger.privateKey },
        await pinnedStore(fixture),
      ),
    );
    expect(result).toMatchObject({ ok: false, error: { kind: 'auth-failed' } });
  });

  it('refuses a password when dropbear runs with -s', async () => {
    const result = await connectSsh(
      options(fixture, { kind: 'password', password: 'x' }, await pinnedStore(fixture)),
    );
    expect(result).toMatchObject({ ok: false, error: { kind: 'auth-failed' } });
  });

  it('signs in through an ssh-agent', async () => {
    const dir = mkdtempSync('/tmp/homeward-agent-');
    const socket = join(dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    try {
      const keyFile = join(dir, 'id');
      execFileSync('sh', ['-c', `umask 077; cat > "$1"`, 'sh', keyFile], {
        input: fixture.clientKey.privateKey,
      });
      for (let i = 0; i < 50; i += 1) {
        try {
          statSync(socket);
          break;
        } catch {
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      execFileSync('ssh-add', [keyFile], { env: { SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
      const result = await connectSsh(
        options(fixture, { kind: 'agent', socket }, await pinnedStore(fixture)),
      );
      expect(result.ok).toBe(true);
      if (result.ok) {
        expect((await result.value.exec('echo agent')).stdout).toBe('agent\n');
        await result.value.close();
      }
    } finally {
      agent.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

withDropbear('host key pinning', () => {
  let fixture: DropbearFixture;
  let dir: string;

  beforeAll(async () => {
    fixture = await startDropbear();
    dir = mkdtempSync('/tmp/homeward-known-hosts-');
  }, 30_000);
  afterAll(async () => {
    await fixture?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an unknown key, pins it when accepted, then trusts it; refuses a changed one', async () => {
    const knownHosts = createFileKnownHostsStore(join(dir, 'known_hosts'));
    const auth: SshAuth = { kind: 'key', privateKey: fixture.clientKey.privateKey };

    const unknown = await connectSsh(options(fixture, auth, knownHosts));
    expect(unknown).toMatchObject({
      ok: false,
      error: {
        kind: 'host-key-unknown',
        keyType: 'ssh-ed25519',
        fingerprint: fixture.hostKey.fingerprint,
      },
    });
    // The fingerprint is the one OpenSSH shows for the same key.
    const keygen = execFileSync('ssh-keygen', ['-lf', '-'], {
      input: `ssh-ed25519 ${fixture.hostKey.keyBase64}\n`,
    }).toString();
    expect(keygen).toContain(fixture.hostKey.fingerprint);
    expect(await knownHosts.lookup(fixture.host, fixture.port)).toEqual([]);

    const accepted = await connectSsh({
      ...options(fixture, auth, knownHosts),
      acceptNewHostKey: true,
    });
    if (!accepted.ok) throw new Error(JSON.stringify(accepted.error));
    expect(accepted.value.hostKey.newlyPinned).toBe(true);
    await accepted.value.close();
    const file = join(dir, 'known_hosts');
    expect(readFileSync(file, 'utf8')).toBe(
      `[127.0.0.1]:${fixture.port} ssh-ed25519 ${fixture.hostKey.keyBase64}\n`,
    );
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const again = await connectSsh(options(fixture, auth, knownHosts));
    if (!again.ok) throw new Error(JSON.stringify(again.error));
    expect(again.value.hostKey.newlyPinned).toBe(false);
    await again.value.close();

    const oldFingerprint = fixture.hostKey.fingerprint;
    await fixture.restart({ newHostKey: true });
    const changed = await connectSsh({
      ...options(fixture, auth, knownHosts),
      acceptNewHostKey: true,
    });
    expect(changed).toMatchObject({
      ok: false,
      error: {
        kind: 'host-key-changed',
        expected: oldFingerprint,
        actual: fixture.hostKey.fingerprint,
      },
    });
    if (!changed.ok) expect(changed.error.fix).toContain(file);
    // Refused during key exchange: dropbear never saw a sign-in attempt.
    expect(fixture.log()).not.toMatch(/auth succeeded/i);
    expect(await knownHosts.lookup(fixture.host, fixture.port)).toHaveLength(1);
  });
});

withDropbear('a router with several host keys', () => {
  let fixture: DropbearFixture;
  beforeAll(async () => {
    fixture = await startDropbear({ ecdsaHostKey: true });
  }, 30_000);
  afterAll(async () => {
    await fixture?.stop();
  });

  it('is asked for the key type that was pinned, so it is not mistaken for a changed key', async () => {
    const ecdsa = fixture.ecdsaHostKey;
    if (!ecdsa) throw new Error('fixture without an ECDSA key');
    const auth: SshAuth = { kind: 'key', privateKey: fixture.clientKey.privateKey };
    const fresh = createMemoryKnownHostsStore();
    const first = await connectSsh({ ...options(fixture, auth, fresh), acceptNewHostKey: true });
    if (!first.ok) throw new Error(JSON.stringify(first.error));
    expect(first.value.hostKey.keyType).toBe('ssh-ed25519');
    await first.value.close();

    const knownHosts = createMemoryKnownHostsStore();
    await knownHosts.pin(fixture.host, fixture.port, ecdsa.keyType, ecdsa.keyBase64);
    const pinnedEcdsa = await connectSsh(options(fixture, auth, knownHosts));
    if (!pinnedEcdsa.ok) throw new Error(JSON.stringify(pinnedEcdsa.error));
    expect(pinnedEcdsa.value.hostKey).toMatchObject({
      keyType: ecdsa.keyType,
      fingerprint: ecdsa.fingerprint,
    });
    await pinnedEcdsa.value.close();
  });
});

withDropbear('password sign-in installs a key', () => {
  for (const layout of ['openwrt', 'openssh'] as const) {
    describe(layout, () => {
      let fixture: DropbearFixture;
      beforeAll(async () => {
        fixture = await startDropbear({ layout, password: 'pa$$ "word"' });
      }, 30_000);
      afterAll(async () => {
        await fixture?.stop();
      });

      it('rejects a wrong password, then installs the key once and signs in with it', async () => {
        const knownHosts = await pinnedStore(fixture);
        const wrong = await connectSsh(
          options(fixture, { kind: 'password', password: 'nope' }, knownHosts),
        );
        expect(wrong).toMatchObject({ ok: false, error: { kind: 'auth-failed' } });

        const signedIn = await connectSsh(
          options(fixture, { kind: 'password', password: 'pa$$ "word"' }, knownHosts),
        );
        if (!signedIn.ok) throw new Error(JSON.stringify(signedIn.error));
        const pair = generateEd25519KeyPair('homeward@test');
        const first = await installAuthorizedKey(signedIn.value, pair.publicKeyLine, {
          dropbear: layout === 'openwrt',
        });
        const second = await installAuthorizedKey(signedIn.value, pair.publicKeyLine, {
          dropbear: layout === 'openwrt',
        });
        await signedIn.value.close();
        expect(first).toMatchObject({
          ok: true,
          value: {
            added: true,
            path:
              layout === 'openwrt' ? '/etc/dropbear/authorized_keys' : '/root/.ssh/authorized_keys',
          },
        });
        expect(second).toMatchObject({ ok: true, value: { added: false } });
        const lines = readFileSync(fixture.authorizedKeysPath, 'utf8').split('\n');
        expect(lines.filter((l) => l === pair.publicKeyLine)).toHaveLength(1);
        expect(lines).toContain(fixture.clientKey.publicKeyLine);
        expect(statSync(fixture.authorizedKeysPath).mode & 0o777).toBe(0o600);

        const withKey = await connectSsh(
          options(fixture, { kind: 'key', privateKey: pair.privateKey }, knownHosts),
        );
        if (!withKey.ok) throw new Error(JSON.stringify(withKey.error));
        expect((await withKey.value.exec('id -u')).stdout).toBe('0\n');
        await withKey.value.close();
      });
    });
  }
});

describe('connection failures', () => {
  it('reports a closed port as connect-refused', async () => {
    const port = await freeLoopbackPort();
    const result = await connectSsh({
      host: '127.0.0.1',
      port,
      auth: { kind: 'password', password: 'x' },
      knownHosts: createMemoryKnownHostsStore(),
    });
    expect(result).toMatchObject({ ok: false, error: { kind: 'connect-refused' } });
  });

  describe('a server that accepts TCP but never speaks SSH', () => {
    let server: Server;
    let port: number;
    const sockets = new Set<Socket>();
    beforeAll(async () => {
      server = createServer((socket) => sockets.add(socket));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      port = typeof address === 'object' && address ? address.port : 0;
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    });

    it('times out as connect-timeout', async () => {
      const result = await connectSsh({
        host: '127.0.0.1',
        port,
        auth: { kind: 'password', password: 'x' },
        knownHosts: createMemoryKnownHostsStore(),
        readyTimeoutMs: 400,
      });
      expect(result).toMatchObject({ ok: false, error: { kind: 'connect-timeout' } });
    });

    it('stops connecting when cancelled', async () => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 200);
      const started = Date.now();
      const result = await connectSsh(
        {
          host: '127.0.0.1',
          port,
          auth: { kind: 'password', password: 'x' },
          knownHosts: createMemoryKnownHostsStore(),
        },
        controller.signal,
      );
      expect(result).toMatchObject({ ok: false, error: { kind: 'cancelled' } });
      expect(Date.now() - started).toBeLessThan(2000);
    });
  });

  it('reports an unreadable key as key-unreadable', async () => {
    const result = await connectSsh({
      host: '127.0.0.1',
      port: 1,
      auth: { kind: 'key', privateKey: 'not a key' },
      knownHosts: createMemoryKnownHostsStore(),
    });
    expect(result).toMatchObject({ ok: false, error: { kind: 'key-unreadable' } });
  });
});
