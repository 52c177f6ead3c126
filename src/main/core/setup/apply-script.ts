import { shQuote } from '../shell/quote';

// The router side of "apply with automatic rollback". One detached shell process (the runner)
// does everything that changes the router, in order: `uci batch` (with its commits), the
// reloads, then waits out the rollback time (counted from its start, like LuCI's); unless the client confirms in time it restores the snapshot of
// /etc/config and reloads again. Because one process owns both the change and its undo, the SSH
// session can drop at any moment (address change, laptop killed, Wi-Fi gone) and the router
// still ends with the old config or the new one, whole.
//
// Written for busybox ash (OpenWrt) and dash/bash (the lab, Debian binaries): no bashisms, no
// `nohup` or `flock` (not in OpenWrt's default busybox). Detaching uses `setsid` when present,
// else `start-stop-daemon -b` (in OpenWrt's busybox), else a background subshell that ignores
// SIGHUP; in all three the runner has no stdin/stdout/stderr tied to the SSH channel, and the
// runner itself ignores HUP, INT and PIPE. dropbear signals nothing when a connection closes
// (see adapters/ssh/remote-process.ts), so these are belts on top of braces.
//
// The decision between "confirmed" and "rolled back" is a `mkdir` of `$D/decided`: atomic, so
// the client and the runner cannot both win at the deadline.

export const applyDirPrefix = '/tmp/homeward-apply-';

export function applyDir(id: string): string {
  if (!/^[a-z0-9]{6,32}$/.test(id)) throw new Error(`bad apply id ${JSON.stringify(id)}`);
  return `${applyDirPrefix}${id}`;
}

/** The runner, written to `$D/runner.sh` and started as `sh runner.sh DIR ROLLBACK_S`. */
export const runnerScript = `#!/bin/sh
# Homeward apply runner: uci batch, reloads, then restore /etc/config unless confirmed in time.
D="$1"; R="$2"
trap '' HUP INT PIPE
CONF="\${HOMEWARD_CONF:-/etc/config}"
DELTA="\${HOMEWARD_DELTA:-/tmp/.uci}"
umask 077
state() { echo "$*" > "$D/state.tmp" && mv -f "$D/state.tmp" "$D/state"; }
restore() {
  for f in "$D"/config/*; do
    [ -f "$f" ] || continue
    n=\${f##*/}
    cp -p "$f" "$CONF/.$n.homeward-restore" && mv -f "$CONF/.$n.homeward-restore" "$CONF/$n"
  done
  for f in "$CONF"/*; do
    n=\${f##*/}
    if [ -f "$f" ] && [ ! -e "$D/config/$n" ]; then rm -f "$f"; fi
  done
  for f in "$D"/config/*; do rm -f "$DELTA/\${f##*/}"; done
  sh "$D/reloads" >> "$D/log" 2>&1
}
finish_rollback() {
  state rolling-back "$1"
  restore
  rm -rf "$D/config" "$D/batch"
  state rolled-back "$1"
  exit 0
}
deadline=$(( $(date +%s) + R ))
state applying "$deadline"
# The pid comes last: once the launcher sees it, the state (with the deadline) is there too.
echo $$ > "$D/pid.tmp" && mv -f "$D/pid.tmp" "$D/pid"
uci batch < "$D/batch" > "$D/batch.out" 2> "$D/batch.err"
rc=$?
if [ "$rc" -ne 0 ] || [ -s "$D/batch.err" ]; then
  mkdir "$D/decided" 2>/dev/null
  finish_rollback batch-failed
fi
sh "$D/reloads" > "$D/log" 2>&1
state applied "$deadline"
while :; do
  [ -e "$D/rollback-now" ] && break
  [ "$(date +%s)" -ge "$deadline" ] && break
  sleep 1
done
if mkdir "$D/decided" 2>/dev/null; then
  if [ -e "$D/rollback-now" ]; then finish_rollback asked; else finish_rollback timeout; fi
fi
exit 0
`;

/** The reload commands as a script: each runs even if an earlier one fails. */
export function reloadsScript(reloads: readonly string[]): string {
  return `${reloads.map((r) => `${r} || echo "homeward: reload failed: ${r.replace(/["\\$`]/g, '')}" >&2`).join('\n')}\n`;
}

/**
 * Refuses while another apply on this router still waits for its confirmation (its snapshot is
 * the config to go back to), removes what dead applies left behind (a snapshot holds secrets),
 * then snapshots /etc/config into `dir/config`.
 */
export function prepareCommand(
  dir: string,
  confDir = '/etc/config',
  prefix = applyDirPrefix,
): string {
  const d = shQuote(dir);
  return [
    'umask 077',
    `for x in ${shQuote(prefix)}*; do`,
    '  [ -d "$x" ] || continue',
    '  p=$(cat "$x/pid" 2>/dev/null)',
    '  if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then',
    '    set -- $(cat "$x/state" 2>/dev/null)',
    '    case "$1" in applying|applied|rolling-back) echo "busy $x $*"; exit 3 ;; esac',
    '  fi',
    '  rm -rf "$x"',
    'done',
    `rm -rf ${d} && mkdir -p ${d} && cp -a ${shQuote(confDir)} ${d}/config || exit 1`,
    'echo prepared',
  ].join('\n');
}

/** Starts the runner detached from the SSH session; prints its pid, its state and the clock. */
export function launchCommand(dir: string, rollbackS: number): string {
  if (!Number.isInteger(rollbackS) || rollbackS < 1) throw new Error('bad rollback time');
  const d = shQuote(dir);
  const args = `${d}/runner.sh ${d} ${rollbackS}`;
  return [
    `if command -v setsid >/dev/null 2>&1; then setsid sh ${args} </dev/null >/dev/null 2>&1 &`,
    'elif command -v start-stop-daemon >/dev/null 2>&1; then',
    // -p of a fresh file: `-x /bin/sh` alone would match any running shell and start nothing.
    `  start-stop-daemon -S -b -m -p ${d}/ssd.pid -x /bin/sh -- ${args} </dev/null >/dev/null 2>&1`,
    `else ( trap '' HUP; exec sh ${args} </dev/null >/dev/null 2>&1 ) &`,
    'fi',
    'n=0',
    `while [ ! -s ${d}/pid ] && [ $n -lt 100 ]; do sleep 0.1 2>/dev/null || sleep 1; n=$((n+1)); done`,
    `[ -s ${d}/pid ] || { echo 'no runner'; exit 1; }`,
    `echo "pid $(cat ${d}/pid)"`,
    // The state line carries the deadline: the client knows it even if the session dies next.
    `cat ${d}/state; echo "now $(date +%s)"`,
  ].join('\n');
}

/** Prints the runner's state line, then the router's clock (`now N`). */
export function statusCommand(dir: string): string {
  const d = shQuote(dir);
  return `cat ${d}/state 2>/dev/null || echo missing; echo "now $(date +%s)"; [ -s ${d}/batch.err ] && sed 's/^/batch-error /' ${d}/batch.err | head -n 5; [ -s ${d}/log ] && sed 's/^/log /' ${d}/log | tail -n 5; true`;
}

/** Wins the decision for "confirmed", stops the runner and removes the snapshot. */
export function confirmCommand(dir: string): string {
  const d = shQuote(dir);
  return [
    `set -- $(cat ${d}/state 2>/dev/null)`,
    '[ "$1" = applied ] || { echo "state $*"; exit 3; }',
    `if mkdir ${d}/decided 2>/dev/null; then`,
    `  p=$(cat ${d}/pid 2>/dev/null); [ -n "$p" ] && kill "$p" 2>/dev/null`,
    `  rm -rf ${d}; echo confirmed`,
    'else echo too-late; exit 4; fi',
  ].join('\n');
}

/** Asks the runner to restore the snapshot now instead of at the deadline. */
export function rollbackNowCommand(dir: string): string {
  return `: > ${shQuote(dir)}/rollback-now`;
}

export function cleanupCommand(dir: string): string {
  return `rm -rf ${shQuote(dir)}`;
}

export type RunnerState =
  | { kind: 'missing' }
  /** `deadline`: when the runner restores the snapshot unless confirmed (router clock). */
  | { kind: 'applying'; deadline?: number }
  | { kind: 'applied'; deadline: number }
  | { kind: 'rolling-back'; reason: string }
  | { kind: 'rolled-back'; reason: string }
  | { kind: 'unknown'; text: string };

export interface RunnerStatus {
  state: RunnerState;
  /** The router's clock, unix seconds. */
  now?: number;
  batchErrors: string[];
  log: string[];
}

export function parseRunnerStatus(text: string): RunnerStatus {
  const lines = text.split('\n');
  const [first = ''] = lines;
  const words = first.trim().split(/\s+/);
  let state: RunnerState;
  switch (words[0]) {
    case 'missing':
      state = { kind: 'missing' };
      break;
    case 'applying': {
      const deadline = Number(words[1]);
      state = Number.isInteger(deadline) ? { kind: 'applying', deadline } : { kind: 'applying' };
      break;
    }
    case 'applied': {
      const deadline = Number(words[1]);
      state = Number.isInteger(deadline)
        ? { kind: 'applied', deadline }
        : { kind: 'unknown', text: first };
      break;
    }
    case 'rolling-back':
    case 'rolled-back':
      state = { kind: words[0], reason: words[1] ?? '' };
      break;
    default:
      state = { kind: 'unknown', text: first };
  }
  const nowLine = lines.find((l) => l.startsWith('now '));
  const now = nowLine ? Number(nowLine.slice(4)) : NaN;
  return {
    state,
    ...(Number.isInteger(now) ? { now } : {}),
    batchErrors: lines.filter((l) => l.startsWith('batch-error ')).map((l) => l.slice(12)),
    log: lines.filter((l) => l.startsWith('log ')).map((l) => l.slice(4)),
  };
}
