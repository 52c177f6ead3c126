import { execSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runTool } from './run-tool';

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
});
