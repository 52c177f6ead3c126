import { shCommand } from '../../core/shell/quote';
import type { LocalTool } from '../../adapters/tools/run-tool';
import { runTool } from '../../adapters/tools/run-tool';
import type { RemoteShell } from './remote';

// One way to run a measuring tool on either end: the laptop (execa gateway) or the router (SSH),
// with stdout streamed as lines for live progress.

export interface RunOutput {
  stdout: string;
  stderr: string;
  code: number | null;
  /** Set when the tool could not run at all (missing, cancelled, connection lost). */
  failure?: { kind: string; message: string; fix?: string };
}

export interface RunOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  onLine?: (line: string) => void;
}

export type ToolRunner = (argv: string[], options?: RunOptions) => Promise<RunOutput>;

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function localRunner(): ToolRunner {
  return async (argv, options = {}) => {
    const [tool, ...args] = argv;
    const result = await runTool(tool as LocalTool, args, {
      okExitCodes: [0, 1, 2],
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.onLine ? { onStdoutLine: options.onLine } : {}),
    });
    if (!result.ok) {
      return {
        stdout: textOf(result.error.detail?.['stdout']),
        stderr: textOf(result.error.detail?.['stderr']),
        code: null,
        failure: {
          kind: result.error.kind,
          message: result.error.message,
          ...(result.error.fix ? { fix: result.error.fix } : {}),
        },
      };
    }
    return {
      stdout: result.value.stdout,
      stderr: result.value.stderr,
      code: result.value.exitCode,
    };
  };
}

export function remoteRunner(shell: RemoteShell): ToolRunner {
  return async (argv, options = {}) => {
    let pending = '';
    const onStdout = options.onLine
      ? (chunk: string) => {
          pending += chunk;
          let newline = pending.indexOf('\n');
          while (newline !== -1) {
            options.onLine?.(pending.slice(0, newline));
            pending = pending.slice(newline + 1);
            newline = pending.indexOf('\n');
          }
        }
      : undefined;
    const result = await shell.exec(shCommand(argv), {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(onStdout ? { onStdout } : {}),
    });
    if (result.error)
      return {
        stdout: result.stdout,
        stderr: result.stderr,
        code: null,
        failure: { kind: result.error.kind, message: result.error.message },
      };
    if (result.cancelled)
      return {
        stdout: result.stdout,
        stderr: result.stderr,
        code: null,
        failure: { kind: 'cancelled', message: `${argv[0]} was cancelled` },
      };
    if (result.timedOut)
      return {
        stdout: result.stdout,
        stderr: result.stderr,
        code: null,
        failure: {
          kind: 'tool-timeout',
          message: `${argv[0]} did not finish in time on the router`,
        },
      };
    if (result.code === 127) {
      return {
        stdout: result.stdout,
        stderr: result.stderr,
        code: 127,
        failure: {
          kind: 'tool-missing',
          message: `${argv[0]} is not installed on the router.`,
          fix: `Install it on the router: opkg update && opkg install ${argv[0] === 'ping' ? 'iputils-ping' : argv[0]}`,
        },
      };
    }
    return { stdout: result.stdout, stderr: result.stderr, code: result.code };
  };
}
