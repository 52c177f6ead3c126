import { execFileSync, spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { killTreeScript, parsePidLine, wrapWithPid } from './remote-process';

function alive(pid: number): boolean {
  try {
    const state = execFileSync('sh', ['-c', `cut -d')' -f2 /proc/${pid}/stat`])
      .toString()
      .trim();
    return !state.startsWith('Z');
  } catch {
    return false;
  }
}

function descendants(root: number): number[] {
  const out = execFileSync('sh', ['-c', `pgrep -P ${root} || true`]).toString();
  const children = out.split('\n').filter(Boolean).map(Number);
  return children.flatMap((child) => [child, ...descendants(child)]);
}

const shells = ['sh', 'busybox ash'].filter((shell) => {
  try {
    execFileSync('sh', ['-c', `${shell} -c true`]);
    return true;
  } catch {
    return false;
  }
});

describe('remote process helpers', () => {
  it('parses only the marker line', () => {
    expect(parsePidLine('homeward-pid:1234')).toBe(1234);
    expect(parsePidLine('homeward-pid:1234\r')).toBe(1234);
    expect(parsePidLine('homeward-pid:1')).toBeUndefined();
    expect(parsePidLine('hello')).toBeUndefined();
    expect(() => killTreeScript(1)).toThrow();
  });

  for (const shell of shells) {
    it(`the wrapper prints its pid and keeps the command's output and status (${shell})`, () => {
      const command = `printf '%s\\n' "it's" "$(echo nested)"; exit 7`;
      let status = 0;
      let out: string;
      try {
        out = execFileSync('sh', ['-c', `${shell} -c "$1"`, 'sh', wrapWithPid(command)]).toString();
      } catch (error) {
        status = (error as { status: number }).status;
        out = String((error as { stdout: Buffer }).stdout);
      }
      const [first, ...rest] = out.split('\n');
      expect(parsePidLine(first ?? '')).toBeGreaterThan(1);
      expect(rest.join('\n')).toBe("it's\nnested\n");
      expect(status).toBe(7);
    });

    it(`the kill script stops a process tree and nothing else (${shell})`, async () => {
      const tree = spawn(
        'sh',
        ['-c', 'sleep 61 & (sleep 62 | cat) & trap "" TERM; sleep 63; wait'],
        {
          stdio: 'ignore',
        },
      );
      const bystander = spawn('sleep', ['64'], { stdio: 'ignore' });
      try {
        await new Promise((r) => setTimeout(r, 300));
        const root = tree.pid ?? 0;
        const members = [root, ...descendants(root)];
        expect(members.length).toBeGreaterThanOrEqual(5);
        const started = Date.now();
        execFileSync('sh', ['-c', `${shell} -c "$1"`, 'sh', killTreeScript(root)]);
        // The root ignores TERM, so this also proves the KILL after about a second.
        expect(Date.now() - started).toBeLessThan(4000);
        expect(members.filter(alive)).toEqual([]);
        expect(alive(bystander.pid ?? 0)).toBe(true);
      } finally {
        tree.kill('SIGKILL');
        bystander.kill('SIGKILL');
      }
    });
  }
});
