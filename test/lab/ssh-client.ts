import { spawn } from 'node:child_process';
import type { ExecResult, SshTarget } from './index';

/** Runs a command over SSH with OpenSSH's client, key login only, the lab's known host key pinned. */
export function sshExec(t: SshTarget, command: string, input = ''): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', [
      '-i',
      t.keyPath,
      '-p',
      String(t.port),
      '-o',
      'BatchMode=yes',
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      `UserKnownHostsFile=${t.knownHostsPath}`,
      '-o',
      'IdentitiesOnly=yes',
      '-o',
      'LogLevel=ERROR',
      `${t.user}@${t.host}`,
      command,
    ]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code: code ?? 255 }));
    child.stdin.end(input);
  });
}
