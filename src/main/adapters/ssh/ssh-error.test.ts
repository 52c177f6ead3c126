import { describe, expect, it } from 'vitest';
import type { AppError } from '../../../shared/errors';
import { expectChineseFor } from '../../core/localized-text.test-support';
import { connectSsh } from './connect';
import type { KnownHostsStore } from './known-hosts';
import { connectFailure, hostKeyChanged, hostKeyUnknown, sshError } from './ssh-error';

function expectBoth(error: AppError, where: string, mustContain: string[] = []): void {
  const zh = error.localized?.['zh-CN'];
  expectChineseFor(error.message, zh?.message, `${where} message`);
  if (error.fix !== undefined) expectChineseFor(error.fix, zh?.fix, `${where} fix`);
  else expect(zh?.fix, `${where} fix`).toBeUndefined();
  for (const s of mustContain) expect(zh?.message, `${where} names ${s}`).toContain(s);
}

describe('SSH errors in Simplified Chinese', () => {
  it('an unknown host key names the host, port and the same fingerprint', () => {
    const fp = 'SHA256:Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWo';
    const error = hostKeyUnknown('192.168.8.1', 2222, 'ssh-ed25519', fp);
    expectBoth(error, 'host-key-unknown', ['192.168.8.1', '2222', fp, 'ED25519']);
    expect(error.localized?.['zh-CN'].fix).toContain('/etc/dropbear/dropbear_ed25519_host_key');
    // The English is unchanged by the translation.
    expect(error.message).toBe(
      `192.168.8.1 port 2222 is new to Homeward. Its ED25519 host key fingerprint is ${fp}.`,
    );
  });

  it('a changed host key names both fingerprints and where to forget the old one', () => {
    const changed = hostKeyChanged(
      'gl.lan',
      22,
      'ssh-rsa',
      'SHA256:old',
      'SHA256:new',
      '/home/a/.config/homeward/known_hosts',
    );
    expectBoth(changed, 'host-key-changed', ['gl.lan', 'SHA256:old', 'SHA256:new', 'RSA']);
    expect(changed.localized?.['zh-CN'].fix).toContain('/home/a/.config/homeward/known_hosts');
    const bare = hostKeyChanged('gl.lan', 22, 'ssh-rsa', 'SHA256:old', 'SHA256:new');
    expectBoth(bare, 'host-key-changed without a file', ['gl.lan']);
    expect(bare.localized?.['zh-CN'].fix).toContain('gl.lan');
  });

  it.each<[{ code?: string; level?: string; message?: string }, string]>([
    [{ code: 'ECONNREFUSED' }, 'connect-refused'],
    [{ code: 'ETIMEDOUT' }, 'connect-timeout'],
    [{ code: 'EHOSTUNREACH' }, 'host-unreachable'],
    [{ code: 'ENOTFOUND' }, 'host-unreachable'],
    [{ code: 'ECONNRESET' }, 'ssh-closed'],
    [{ level: 'client-authentication', message: 'All configured methods failed' }, 'auth-failed'],
    [{ level: 'client-timeout' }, 'connect-timeout'],
    [{ message: 'boom 42' }, 'ssh-failed'],
  ])('a connect failure %j is %s, in both languages', (raw, kind) => {
    const error = connectFailure(raw, '10.0.31.1', 2022);
    expect(error.kind).toBe(kind);
    const host = raw.code === 'ENOTFOUND' ? '10.0.31.1' : '10.0.31.1（端口 2022）';
    expectBoth(error, kind, [host]);
    if (raw.code === 'EHOSTUNREACH')
      expect(error.localized?.['zh-CN'].message).toContain('EHOSTUNREACH');
    if (raw.message) expect(error.localized?.['zh-CN'].message).toContain(raw.message);
  });

  it('port 22 is not spelled out in either language', () => {
    const error = connectFailure({ code: 'ECONNREFUSED' }, '192.168.8.1', 22);
    expect(error.message).toBe('192.168.8.1 refused the SSH connection.');
    expect(error.localized?.['zh-CN'].message).toBe('192.168.8.1 拒绝了 SSH 连接。');
  });

  it('sshError keeps the English as given and adds the Chinese only when written', () => {
    expect(sshError('ssh-closed', 'closed.')).toEqual({ kind: 'ssh-closed', message: 'closed.' });
    expect(sshError('ssh-closed', 'closed.', undefined, { message: '已关闭。' })).toEqual({
      kind: 'ssh-closed',
      message: 'closed.',
      localized: { 'zh-CN': { message: '已关闭。' } },
    });
  });

  it('a key or agent problem found before connecting comes in both languages', async () => {
    const knownHosts = { lookup: () => Promise.resolve([]) } as unknown as KnownHostsStore;
    const badKey = await connectSsh({
      host: '127.0.0.1',
      auth: { kind: 'key', privateKey: 'not a key' },
      knownHosts,
    });
    expect(badKey.ok).toBe(false);
    if (!badKey.ok) {
      expect(badKey.error.kind).toBe('key-unreadable');
      expectBoth(badKey.error, 'key-unreadable');
    }
    const saved = process.env.SSH_AUTH_SOCK;
    delete process.env.SSH_AUTH_SOCK;
    try {
      const noAgent = await connectSsh({ host: '127.0.0.1', auth: { kind: 'agent' }, knownHosts });
      expect(noAgent.ok).toBe(false);
      if (!noAgent.ok) expectBoth(noAgent.error, 'no agent', ['SSH_AUTH_SOCK']);
    } finally {
      if (saved !== undefined) process.env.SSH_AUTH_SOCK = saved;
    }
    const aborted = new AbortController();
    aborted.abort();
    const cancelled = await connectSsh(
      { host: 'gl.lan', auth: { kind: 'agent', socket: '/x' }, knownHosts },
      aborted.signal,
    );
    if (!cancelled.ok) expectBoth(cancelled.error, 'cancelled', ['gl.lan']);
    else throw new Error('an aborted connect must fail');
  });
});
