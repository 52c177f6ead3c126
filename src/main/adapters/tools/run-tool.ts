import { execa } from 'execa';
import { localizedError } from '../../../shared/errors';
import type { AppError } from '../../../shared/errors';
import { fail, ok } from '../../../shared/result';
import type { Result } from '../../../shared/result';

// The one gateway to local command-line tools (ping, iperf3, tracepath). It decides which exit
// codes are answers rather than failures, streams lines for live progress, and turns a missing
// tool into an error that says how to install it.

export type LocalTool = 'ping' | 'iperf3' | 'tracepath';

export interface ToolOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface RunToolOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Exit codes that still carry an answer (ping exits 1 when no reply came back). */
  okExitCodes?: readonly number[];
  onStdoutLine?: (line: string) => void;
  env?: Record<string, string>;
}

const installHints: Record<LocalTool, Record<string, string>> = {
  ping: {
    linux: 'install iputils-ping (Debian/Ubuntu: sudo apt install iputils-ping)',
    darwin: 'ping ships with macOS; check your PATH',
    win32: 'ping.exe ships with Windows; check your PATH',
  },
  iperf3: {
    linux:
      'install iperf3 (Debian/Ubuntu: sudo apt install iperf3; Fedora: sudo dnf install iperf3)',
    darwin: 'install iperf3 with Homebrew: brew install iperf3',
    win32: 'install iperf3 (winget install iperf3, or the builds from iperf.fr) and add it to PATH',
  },
  tracepath: {
    linux: 'install iputils-tracepath (Debian/Ubuntu: sudo apt install iputils-tracepath)',
    darwin: 'tracepath is Linux-only; Homeward uses DF pings instead',
    win32: 'tracepath is Linux-only; Homeward uses DF pings instead',
  },
};

const installHintsZh: Record<LocalTool, Record<string, string>> = {
  ping: {
    linux: '安装 iputils-ping（Debian/Ubuntu：sudo apt install iputils-ping）',
    darwin: 'macOS 自带 ping；请检查 PATH',
    win32: 'Windows 自带 ping.exe；请检查 PATH',
  },
  iperf3: {
    linux: '安装 iperf3（Debian/Ubuntu：sudo apt install iperf3；Fedora：sudo dnf install iperf3）',
    darwin: '用 Homebrew 安装 iperf3：brew install iperf3',
    win32: '安装 iperf3（winget install iperf3，或 iperf.fr 提供的版本）并加入 PATH',
  },
  tracepath: {
    linux: '安装 iputils-tracepath（Debian/Ubuntu：sudo apt install iputils-tracepath）',
    darwin: 'tracepath 仅适用于 Linux；Homeward 改用 DF ping',
    win32: 'tracepath 仅适用于 Linux；Homeward 改用 DF ping',
  },
};

export function toolMissingError(tool: LocalTool, platform: string = process.platform): AppError {
  const hint = installHints[tool][platform] ?? installHints[tool]['linux'] ?? '';
  const hintZh = installHintsZh[tool][platform] ?? installHintsZh[tool]['linux'] ?? '';
  return localizedError(
    'tool-missing',
    { message: `${tool} is not installed on this computer.`, fix: hint },
    { message: `这台电脑上没有安装 ${tool}。`, fix: hintZh },
  );
}

export async function runTool(
  tool: LocalTool,
  args: readonly string[],
  options: RunToolOptions = {},
): Promise<Result<ToolOutput>> {
  const okCodes = options.okExitCodes ?? [0];
  const subprocess = execa(tool, args, {
    reject: false,
    stripFinalNewline: false,
    cancelSignal: options.signal,
    forceKillAfterDelay: 1000,
    ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
    env: { LC_ALL: 'C', ...options.env },
    stdin: 'ignore',
  });
  if (options.onStdoutLine) {
    const onLine = options.onStdoutLine;
    let pending = '';
    subprocess.stdout?.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      let newline = pending.indexOf('\n');
      while (newline !== -1) {
        onLine(pending.slice(0, newline).replace(/\r$/, ''));
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
      }
    });
  }
  const result = await subprocess;
  const stdout = String(result.stdout ?? '');
  const stderr = String(result.stderr ?? '');
  if (result.isCanceled)
    return fail(
      localizedError(
        'cancelled',
        { message: `${tool} was cancelled.` },
        { message: `${tool} 已取消。` },
      ),
    );
  if (result.timedOut) {
    return fail(
      localizedError(
        'tool-timeout',
        { message: `${tool} did not finish within ${options.timeoutMs} ms.` },
        { message: `${tool} 未在 ${options.timeoutMs} 毫秒内完成。` },
      ),
    );
  }
  if ((result as { code?: string }).code === 'ENOENT' || /ENOENT/.test(result.message ?? '')) {
    if (result.exitCode === undefined) return fail(toolMissingError(tool));
  }
  const exitCode = result.exitCode ?? -1;
  if (!okCodes.includes(exitCode)) {
    const lastLine = (stderr || stdout).trim().split('\n').pop() ?? '';
    return fail(
      localizedError(
        'tool-failed',
        { message: `${tool} exited with code ${exitCode}: ${lastLine}` },
        { message: `${tool} 以退出码 ${exitCode} 结束：${lastLine}` },
        { detail: { stdout, stderr, exitCode } },
      ),
    );
  }
  return ok({ stdout, stderr, exitCode });
}
