// Every value placed into a command line that a remote POSIX shell (busybox ash on OpenWrt,
// dash or bash elsewhere) will read goes through shQuote. Single quotes are the one quoting
// form in which no character is special, so the only thing to handle is the quote itself.

/**
 * Thrown when a value holds a NUL byte. A shell argument is a C string, so such a value cannot
 * reach the remote side at all; upstream validation (intent fields, imported files) must
 * reject it first, which makes reaching this a bug rather than an expected failure.
 */
export class ShellNulError extends Error {
  readonly kind = 'nul-in-shell-argument';

  constructor(readonly index: number) {
    super(`a shell argument cannot contain a NUL character (at position ${index})`);
    this.name = 'ShellNulError';
  }
}

// Words made only of these need no quotes in any position (no globbing, tilde, assignment,
// comment or expansion), which keeps logged commands readable.
const PLAIN = /^[A-Za-z0-9_@%+:,./-]+$/;

/** True when the value can be passed as one shell word (it has no NUL). */
export function canShQuote(value: string): boolean {
  return !value.includes('\0');
}

/** One shell word that the shell turns back into exactly `value`. Throws ShellNulError. */
export function shQuote(value: string): string {
  const nul = value.indexOf('\0');
  if (nul >= 0) throw new ShellNulError(nul);
  if (PLAIN.test(value)) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** A command line whose words are exactly `argv`. Throws ShellNulError. */
export function shCommand(argv: readonly string[]): string {
  return argv.map(shQuote).join(' ');
}
