import { fail, ok } from '../../../shared/result';
import type { Result } from '../../../shared/result';
import { shQuote } from '../../core/shell/quote';
import type { SshSession } from './session';
import { sshError } from './ssh-error';
import type { SshError } from './ssh-error';

export interface InstallAuthorizedKeyOptions {
  /** OpenWrt's dropbear reads root's keys from /etc/dropbear/authorized_keys. */
  dropbear: boolean;
  signal?: AbortSignal;
}

export interface InstalledKey {
  /** The file as the remote shell names it (`$HOME` expanded). */
  path: string;
  /** False when the key was already there. */
  added: boolean;
}

const keyLine =
  /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/]+={0,2}( [^\r\n]*)?$/;

/** The `type base64` part, which is what identifies a key whatever its comment or options. */
function keyIdentity(line: string): string {
  return line.split(' ').slice(0, 2).join(' ');
}

/**
 * Appends a public key to the account's authorized_keys once, creating the directory (0700) and
 * the file (0600) when missing and fixing the file's mode (dropbear ignores a group-writable
 * file). The line is validated first: an authorized_keys line can carry options such as
 * `command=`, so nothing but a plain key line is written.
 */
export async function installAuthorizedKey(
  session: SshSession,
  publicKeyLine: string,
  options: InstallAuthorizedKeyOptions,
): Promise<Result<InstalledKey, SshError>> {
  const line = publicKeyLine.trim();
  if (!keyLine.test(line)) {
    throw new Error(
      'installAuthorizedKey needs one public key line such as "ssh-ed25519 AAAA... name"',
    );
  }
  const dir = options.dropbear ? shQuote('/etc/dropbear') : '"$HOME"/.ssh';
  const script = [
    'set -e',
    'umask 077',
    `d=${dir}`,
    'f="$d/authorized_keys"',
    '[ -d "$d" ] || mkdir -p "$d"',
    options.dropbear ? ':' : 'chmod 700 "$d"',
    '[ -e "$f" ] || : > "$f"',
    'chmod 600 "$f"',
    `if grep -qF -- ${shQuote(keyIdentity(line))} "$f"; then echo "present $f"; exit 0; fi`,
    // Keep the last line whole when the file does not end with a newline.
    'if [ -s "$f" ] && [ -n "$(tail -c 1 "$f")" ]; then echo >> "$f"; fi',
    `printf '%s\\n' ${shQuote(line)} >> "$f"`,
    'echo "added $f"',
  ].join('\n');
  const result = await session.exec(script, {
    timeoutMs: 15_000,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (result.error) return fail(result.error);
  if (result.cancelled)
    return fail(
      sshError('cancelled', 'Installing the key was cancelled.', undefined, {
        message: '已取消安装密钥。',
      }),
    );
  const answer = /^(added|present) (.+)$/m.exec(result.stdout);
  if (result.code !== 0 || !answer?.[1] || !answer[2]) {
    const why = result.timedOut ? 'timed out' : result.stderr.trim() || `exit ${result.code}`;
    const whyZh = result.timedOut ? '超时' : result.stderr.trim() || `退出码 ${result.code}`;
    return fail(
      sshError(
        'remote-command-failed',
        `The Homeward key could not be added to the router's authorized keys: ${why}.`,
        'Check that the router has free space and its /etc is writable.',
        {
          message: `无法把 Homeward 密钥添加到路由器的 authorized_keys：${whyZh}。`,
          fix: '请确认路由器有剩余空间，并且 /etc 可写。',
        },
      ),
    );
  }
  return ok({ path: answer[2], added: answer[1] === 'added' });
}
