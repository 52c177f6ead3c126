import type { BridgeState, TunnelState } from '../../../shared/router';
import { formatAge } from '../../../shared/router';
import type { MessageKey } from '../../i18n/en';

// The router card's logic outside the components: the two timers and how a state reads.

export interface PollTimers {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const browserTimers: PollTimers = {
  setInterval: (callback, ms) => globalThis.setInterval(callback, ms),
  clearInterval: (handle) => globalThis.clearInterval(handle as number),
};

/**
 * Ticks every `tickMs` (the handshake age counts up locally) and refreshes every `refreshMs`
 * from the router, never two refreshes at once. The returned stop closes both timers; the
 * component's destroy calls it.
 */
export function startPolling(
  work: { tick(): void; refresh(): Promise<void> },
  options: { tickMs?: number; refreshMs?: number; timers?: PollTimers } = {},
): () => void {
  const timers = options.timers ?? browserTimers;
  let running: Promise<void> | undefined;
  let stopped = false;
  const refresh = () => {
    if (stopped || running) return;
    running = work.refresh().finally(() => (running = undefined));
  };
  const tick = timers.setInterval(() => {
    if (!stopped) work.tick();
  }, options.tickMs ?? 1000);
  const poll = timers.setInterval(refresh, options.refreshMs ?? 10_000);
  refresh();
  return () => {
    stopped = true;
    timers.clearInterval(tick);
    timers.clearInterval(poll);
  };
}

export const tunnelStateKeys: Record<TunnelState, MessageKey> = {
  connected: 'router.tunnel.connected',
  stale: 'router.tunnel.stale',
  never: 'router.tunnel.never',
  down: 'router.tunnel.down',
  absent: 'router.tunnel.absent',
};

export const bridgeStateKeys: Record<BridgeState, MessageKey> = {
  up: 'router.bridge.up',
  down: 'router.bridge.down',
  absent: 'router.bridge.absent',
};

/** The badge colour a state gets (the StatusBadge classes). */
export function tone(state: TunnelState | BridgeState): 'pass' | 'warn' | 'fail' | 'skip' {
  if (state === 'connected' || state === 'up') return 'pass';
  if (state === 'absent') return 'skip';
  if (state === 'stale') return 'warn';
  return 'fail';
}

const ageUnitKeys = { s: 'age.s', min: 'age.min', h: 'age.h', d: 'age.d' } as const;

/** `2 min 5 s` in the current language, given the translator. */
export function ageLabel(
  seconds: number,
  tf: (key: MessageKey, values: Record<string, number>) => string,
): string {
  return formatAge(seconds)
    .map((part) => tf(ageUnitKeys[part.unit], { n: part.value }))
    .join(' ');
}

export function bytesLabel(n: number | undefined, number: (v: number, digits?: number) => string) {
  if (n === undefined) return '–';
  if (n < 1000) return `${number(n)} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = n / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${number(value, 1)} ${units[unit]}`;
}
