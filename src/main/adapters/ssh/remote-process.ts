import { shQuote } from '../../core/shell/quote';

// Closing an SSH channel does not stop the command behind it: without a pty neither dropbear nor
// OpenSSH signals it, and both ignore the "signal" channel request. And the command cannot be
// killed by process group: dropbear puts every command of a connection into the connection's
// own process group. So each command starts by printing its shell's pid and then exec's `sh -c`
// (same pid); to stop it, a second exec freezes that pid and all its descendants (read from
// /proc, repeated so nothing forks away), sends TERM, resumes them, and KILLs what is left after
// about a second. Processes that daemonize themselves (double fork) leave the tree and are not
// reached; start long-running servers in the foreground (e.g. `iperf3 -s`, not `iperf3 -s -D`).

export const pidMarker = 'homeward-pid:';

/** The command, run so that its pid comes first on stdout as `homeward-pid:N`. */
export function wrapWithPid(command: string): string {
  return `printf '${pidMarker}%s\\n' "$$"; exec sh -c ${shQuote(command)}`;
}

/** Parses the marker line; undefined when the line is something else. */
export function parsePidLine(line: string): number | undefined {
  const match = /^homeward-pid:(\d+)$/.exec(line.replace(/\r$/, ''));
  if (!match?.[1]) return undefined;
  const pid = Number(match[1]);
  return Number.isSafeInteger(pid) && pid > 1 ? pid : undefined;
}

const descendantsFunction = [
  // Prints the pid and every descendant, from /proc/*/stat (the ppid is the 2nd field after the
  // command name, which may itself hold spaces and parentheses).
  'tree() { t=$1; for f in /proc/[0-9]*/stat; do { read -r l < "$f"; } 2>/dev/null || continue;',
  'r=${l##*) }; set -- $r; p=${f%/stat}; echo "${p#/proc/} $2"; done |',
  `awk -v root="$t" '{ par[$1] = $2 } END { n = 1; q[1] = root; out = root;`,
  'for (i = 1; i <= n; i++) for (c in par) if (par[c] == q[i]) { q[++n] = c; out = out " " c }',
  `print out }'; }`,
].join(' ');

const aliveFunction = [
  // Zombies (Z) and dead tasks (X) count as gone: orphans may wait seconds for init to reap them.
  'alive() { a=; for q in "$@"; do { read -r l < /proc/$q/stat; } 2>/dev/null || continue;',
  'r=${l##*) }; case ${r%% *} in Z | X) ;; *) a="$a $q" ;; esac; done; echo $a; }',
].join(' ');

/** A script that stops the process tree rooted at pid: TERM first, KILL about a second later. */
export function killTreeScript(pid: number): string {
  if (!Number.isSafeInteger(pid) || pid <= 1) throw new Error(`refusing to kill pid ${pid}`);
  return [
    descendantsFunction,
    aliveFunction,
    `root=${shQuote(String(pid))}`,
    '[ -d /proc/"$root" ] || exit 0',
    'p=$(tree "$root"); kill -STOP $p 2>/dev/null',
    'p=$(tree "$root"); kill -STOP $p 2>/dev/null',
    'p=$(tree "$root"); kill -STOP $p 2>/dev/null',
    'kill -TERM $p 2>/dev/null; kill -CONT $p 2>/dev/null',
    'n=0; while [ $n -lt 10 ]; do left=$(alive $p); [ -z "$left" ] && exit 0;',
    'sleep 0.1 2>/dev/null || sleep 1; n=$((n+1)); done',
    'left=$(alive $p); [ -z "$left" ] || kill -KILL $left 2>/dev/null',
    'exit 0',
  ].join('\n');
}
