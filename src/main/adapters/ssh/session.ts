import { StringDecoder } from 'node:string_decoder';
import type { Client, ClientChannel } from 'ssh2';
import { fail, ok } from '../../../shared/result';
import type { Result } from '../../../shared/result';
import { shQuote } from '../../core/shell/quote';
import type { HostKeyInfo } from './host-key';
import { killTreeScript, parsePidLine, wrapWithPid } from './remote-process';
import { sshError } from './ssh-error';
import type { SshError } from './ssh-error';

export interface SshHostKey extends HostKeyInfo {
  /** True when this connection saw the key for the first time and pinned it. */
  newlyPinned: boolean;
}

export interface ExecOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Sent, then end of input. Without it the command gets end of input at once. */
  stdin?: string | Uint8Array;
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** Exit status; null when the command was killed by a signal or never finished. */
  code: number | null;
  /** The signal that ended the command (`TERM`, `KILL`), when one did. */
  signal?: string;
  timedOut: boolean;
  cancelled: boolean;
  /** Set when the command could not be started or the connection dropped under it. */
  error?: SshError;
}

export interface SshSession {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly hostKey: SshHostKey;
  readonly closed: boolean;
  /**
   * Runs a command through the login shell. Never rejects. On timeout or abort the remote
   * process tree is stopped (see remote-process.ts) before the promise settles.
   */
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  /** Writes a file atomically (temp file + rename) through `cat`: dropbear has no sftp. */
  writeFile(
    path: string,
    content: string | Uint8Array,
    mode?: number,
    options?: { signal?: AbortSignal; timeoutMs?: number },
  ): Promise<Result<void, SshError>>;
  /** Called once when the connection ends, with the reason when it was not `close()`. */
  onClose(listener: (error?: SshError) => void): () => void;
  /** Stops commands still running, then closes the connection. */
  close(): Promise<void>;
}

export interface SessionInfo {
  host: string;
  port: number;
  username: string;
  hostKey: SshHostKey;
}

const killTimeoutMs = 5000;
const pidWaitMs = 3000;

export function createSession(client: Client, info: SessionInfo): SshSession {
  let closed = false;
  let closing = false;
  let lostReason: SshError | undefined;
  const closeListeners = new Set<(error?: SshError) => void>();
  const running = new Set<() => Promise<void>>();
  const where = info.port === 22 ? info.host : `${info.host}:${info.port}`;

  client.on('error', (error: Error) => {
    lostReason ??= sshError(
      'ssh-closed',
      `The SSH connection to ${where} was lost (${error.message}).`,
      'Check that the router is still reachable, then run again.',
      {
        message: `到 ${where} 的 SSH 连接已断开（${error.message}）。`,
        fix: '请确认路由器仍可访问，然后重新运行。',
      },
    );
  });
  client.on('close', () => {
    closed = true;
    const reason = closing
      ? undefined
      : (lostReason ??
        sshError('ssh-closed', `${where} closed the SSH connection.`, undefined, {
          message: `${where} 关闭了 SSH 连接。`,
        }));
    for (const listener of closeListeners) listener(reason);
    closeListeners.clear();
  });

  const closedError = (): SshError =>
    lostReason ??
    sshError('ssh-closed', `The SSH connection to ${where} is closed.`, undefined, {
      message: `到 ${where} 的 SSH 连接已关闭。`,
    });

  function openChannel(command: string): Promise<ClientChannel | SshError> {
    return new Promise((resolve) => {
      if (closed) {
        resolve(closedError());
        return;
      }
      try {
        client.exec(command, (error, channel) => {
          if (error) {
            resolve(
              closed
                ? closedError()
                : sshError(
                    'ssh-failed',
                    `${where} refused to start a command: ${error.message}.`,
                    undefined,
                    { message: `${where} 拒绝执行命令：${error.message}。` },
                  ),
            );
          } else {
            resolve(channel);
          }
        });
      } catch (error) {
        resolve(
          closed
            ? closedError()
            : sshError('ssh-failed', `exec failed: ${String(error)}`, undefined, {
                message: `执行命令失败：${String(error)}`,
              }),
        );
      }
    });
  }

  async function run(
    command: string,
    options: ExecOptions,
    killable: boolean,
  ): Promise<ExecResult> {
    const result: ExecResult = {
      stdout: '',
      stderr: '',
      code: null,
      timedOut: false,
      cancelled: false,
    };
    if (options.signal?.aborted) return { ...result, cancelled: true };

    let stopRequested: 'timeout' | 'cancel' | undefined;
    let onStopRequested: (() => void) | undefined;
    const requestStop = (why: 'timeout' | 'cancel') => {
      if (stopRequested) return;
      stopRequested = why;
      onStopRequested?.();
    };
    const timer =
      options.timeoutMs !== undefined
        ? setTimeout(() => requestStop('timeout'), options.timeoutMs)
        : undefined;
    const onAbort = () => requestStop('cancel');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let settle: (() => void) | undefined;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const stopFromSession = () => {
      requestStop('cancel');
      return settled;
    };
    if (killable) running.add(stopFromSession);
    const cleanup = () => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      running.delete(stopFromSession);
      settle?.();
    };

    const opened = await openChannel(killable ? wrapWithPid(command) : command);
    if (!('stdout' in opened)) {
      cleanup();
      return { ...result, error: opened };
    }
    const channel = opened;

    return new Promise<ExecResult>((resolve) => {
      const outDecoder = new StringDecoder('utf8');
      const errDecoder = new StringDecoder('utf8');
      let head: Buffer | undefined = killable ? Buffer.alloc(0) : undefined;
      let pid: number | undefined;
      const pidWaiters = new Set<() => void>();
      let channelClosed = false;
      let stopping: Promise<void> | undefined;

      const emitOut = (text: string) => {
        if (text === '') return;
        result.stdout += text;
        options.onStdout?.(text);
      };
      const emitErr = (text: string) => {
        if (text === '') return;
        result.stderr += text;
        options.onStderr?.(text);
      };
      const headDone = (found: number | undefined) => {
        head = undefined;
        pid = found;
        for (const wake of pidWaiters) wake();
        pidWaiters.clear();
      };

      channel.on('data', (chunk: Buffer) => {
        if (head === undefined) {
          emitOut(outDecoder.write(chunk));
          return;
        }
        const buffered: Buffer = Buffer.concat([head, chunk]);
        const newline = buffered.indexOf(10);
        if (newline === -1 && buffered.length < 64) {
          head = buffered;
          return;
        }
        const found =
          newline === -1
            ? undefined
            : parsePidLine(buffered.subarray(0, newline).toString('latin1'));
        headDone(found);
        emitOut(outDecoder.write(found === undefined ? buffered : buffered.subarray(newline + 1)));
      });
      channel.stderr.on('data', (chunk: Buffer) => emitErr(errDecoder.write(chunk)));
      channel.on('exit', (code: number | null, signalName?: string) => {
        if (typeof code === 'number') result.code = code;
        else if (signalName) result.signal = signalName;
      });

      const waitForPid = () =>
        new Promise<number | undefined>((resolveWait) => {
          if (head === undefined || channelClosed) {
            resolveWait(pid);
            return;
          }
          const wake = () => {
            clearTimeout(waitTimer);
            pidWaiters.delete(wake);
            resolveWait(pid);
          };
          const waitTimer = setTimeout(wake, pidWaitMs);
          pidWaiters.add(wake);
        });

      const stop = () => {
        if (stopping || channelClosed) return;
        if (stopRequested === 'timeout') result.timedOut = true;
        else result.cancelled = true;
        stopping = (async () => {
          if (killable) {
            const target = await waitForPid();
            if (target !== undefined && !closed) {
              await run(killTreeScript(target), { timeoutMs: killTimeoutMs }, false);
            }
          }
          if (!channelClosed) channel.close();
        })();
      };
      onStopRequested = stop;

      channel.on('close', () => {
        channelClosed = true;
        for (const wake of pidWaiters) wake();
        void (async () => {
          await stopping;
          if (head !== undefined && head.length > 0) emitOut(outDecoder.write(head));
          emitOut(outDecoder.end());
          emitErr(errDecoder.end());
          if (closed && result.code === null && !result.signal && !stopRequested) {
            result.error = closedError();
          }
          cleanup();
          resolve(result);
        })();
      });

      if (options.stdin === undefined) channel.end();
      else
        channel.end(typeof options.stdin === 'string' ? options.stdin : Buffer.from(options.stdin));
      if (stopRequested) stop();
    });
  }

  const session: SshSession = {
    host: info.host,
    port: info.port,
    username: info.username,
    hostKey: info.hostKey,
    get closed() {
      return closed;
    },
    exec: (command, options = {}) => run(command, options, true),
    async writeFile(path, content, mode = 0o600, options = {}) {
      if (!path.startsWith('/') || path.includes('\0')) {
        throw new Error(`writeFile needs an absolute path, got ${JSON.stringify(path)}`);
      }
      const temp = shQuote(`${path}.homeward-tmp`);
      const script =
        `umask 077 && cat > ${temp} && chmod ${shQuote(mode.toString(8))} ${temp} && ` +
        `mv -f ${temp} ${shQuote(path)} || { rm -f ${temp}; exit 1; }`;
      const written = await run(script, { ...options, stdin: content }, true);
      if (written.error) return fail(written.error);
      if (written.cancelled)
        return fail(
          sshError('cancelled', `Writing ${path} was cancelled.`, undefined, {
            message: `已取消写入 ${path}。`,
          }),
        );
      if (written.code !== 0) {
        const why = written.timedOut
          ? 'timed out'
          : written.stderr.trim() || `exit ${written.code}`;
        const whyZh = written.timedOut ? '超时' : written.stderr.trim() || `退出码 ${written.code}`;
        return fail(
          sshError(
            'remote-command-failed',
            `Could not write ${path} on ${where}: ${why}.`,
            undefined,
            {
              message: `无法在 ${where} 上写入 ${path}：${whyZh}。`,
            },
          ),
        );
      }
      return ok(undefined);
    },
    onClose(listener) {
      if (closed) {
        listener(closing ? undefined : lostReason);
        return () => undefined;
      }
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    async close() {
      if (closed) return;
      closing = true;
      await Promise.all([...running].map((stopOne) => stopOne()));
      if (closed) return;
      await new Promise<void>((resolve) => {
        const forced = setTimeout(() => {
          client.destroy();
          resolve();
        }, 2000);
        client.once('close', () => {
          clearTimeout(forced);
          resolve();
        });
        client.end();
      });
    },
  };
  return session;
}
