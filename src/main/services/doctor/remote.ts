import type { SshSession } from '../../adapters/ssh/index';

/** What the doctor needs of a router connection (an SSH session, or a fake in tests). */
export type RemoteShell = Pick<SshSession, 'exec' | 'writeFile'>;

export const sectionMark = '@@homeward-section@@';

/** Runs several read-only commands in one round trip and splits their outputs. */
export async function execSections(
  shell: RemoteShell,
  commands: string[],
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<string[] | undefined> {
  const script = commands.map((c) => `{ ${c} ; } 2>/dev/null`).join(`; echo '${sectionMark}'; `);
  const result = await shell.exec(script, {
    timeoutMs: options.timeoutMs ?? 15_000,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (result.error || result.cancelled || result.timedOut) return undefined;
  return result.stdout.split(`${sectionMark}\n`);
}
