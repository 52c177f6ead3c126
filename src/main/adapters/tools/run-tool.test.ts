import { execSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { expectChineseFor } from '../../core/localized-text.test-support';
import { runTool, toolMissingError } from './run-tool';
import type { LocalTool } from './run-tool';

const hasPing = (() => {
  try {
    execSync('command -v ping', { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('runTool', () => {
  it('reports a missing tool with an install hint', async () => {
    const result = await runTool('iperf3', ['--version'], { env: { PATH: '/nonexistent' } });
    expect(result).toMatchObject({ ok: false, error: { kind: 'tool-missing' } });
    if (!result.ok) expect(result.error.fix).toMatch(/iperf3/);
  });
  it.runIf(hasPing || process.env['CI'] === 'true')(
    'streams lines from ping on loopback',
    async () => {
      const lines: string[] = [];
      const result = await runTool('ping', ['-c', '2', '-i', '0.2', '127.0.0.1'], {
        onStdoutLine: (l) => lines.push(l),
      });
      expect(result.ok).toBe(true);
      expect(lines.some((l) => /icmp_seq=1/.test(l))).toBe(true);
    },
  );
  it.runIf(hasPing || process.env['CI'] === 'true')(
    'cancels a running tool through its signal',
    async () => {
      const controller = new AbortController();
      const started = Date.now();
      setTimeout(() => controller.abort(), 300);
      const result = await runTool('ping', ['-c', '100', '-i', '0.2', '127.0.0.1'], {
        signal: controller.signal,
      });
      expect(result).toMatchObject({ ok: false, error: { kind: 'cancelled' } });
      expect(Date.now() - started).toBeLessThan(5000);
    },
  );
  it.runIf(hasPing || process.env['CI'] === 'true')(
    'treats unexpected exit codes as tool-failed with the output kept',
    async () => {
      const result = await runTool('ping', [
        '-c',
        '1',
        '-W',
        '1',
        '-I',
        'nonexistent-if0',
        '127.0.0.1',
      ]);
      expect(result).toMatchObject({ ok: false, error: { kind: 'tool-failed' } });
    },
  );
  it.each(['ping', 'iperf3', 'tracepath'] as LocalTool[])(
    'a missing %s says how to install it in both languages, on each platform',
    (tool) => {
      for (const platform of ['linux', 'darwin', 'win32', 'freebsd']) {
        const error = toolMissingError(tool, platform);
        const zh = error.localized?.['zh-CN'];
        expectChineseFor(error.message, zh?.message, `${tool} ${platform} message`);
        expectChineseFor(error.fix ?? '', zh?.fix, `${tool} ${platform} fix`);
        expect(zh?.message).toContain(tool);
      }
    },
  );
  it.runIf(hasPing || process.env['CI'] === 'true')(
    'a timeout and a failure carry Chinese with the same numbers',
    async () => {
      const slow = await runTool('ping', ['-c', '100', '-i', '0.2', '127.0.0.1'], {
        timeoutMs: 400,
      });
      expect(slow).toMatchObject({ ok: false, error: { kind: 'tool-timeout' } });
      if (!slow.ok) {
        expect(slow.error.message).toBe('ping did not finish within 400 ms.');
        expectChineseFor(slow.error.message, slow.error.localized?.['zh-CN'].message, 'timeout');
      }
      const failed = await runTool('ping', ['-c', '1', '-I', 'nonexistent-if0', '127.0.0.1']);
      if (!failed.ok) {
        expectChineseFor(failed.error.message, failed.error.localized?.['zh-CN'].message, 'failed');
        expect(failed.error.detail).toMatchObject({ exitCode: expect.any(Number) });
      } else throw new Error('ping on a missing interface must fail');
    },
  );
});
