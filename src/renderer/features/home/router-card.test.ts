import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { en } from '../../i18n/en';
import type { MessageKey } from '../../i18n/en';
import { zhCN } from '../../i18n/zh-cn';
import { ageLabel, bytesLabel, startPolling, tone } from './router-card';

describe('startPolling', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('refreshes at once and every 10 s, ticks every second, and stops both timers', async () => {
    let ticks = 0;
    let refreshes = 0;
    const stop = startPolling({
      tick: () => (ticks += 1),
      refresh: () => {
        refreshes += 1;
        return Promise.resolve();
      },
    });
    expect(refreshes).toBe(1);
    await vi.advanceTimersByTimeAsync(25_000);
    expect(ticks).toBe(25);
    expect(refreshes).toBe(3);
    stop();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(ticks).toBe(25);
    expect(refreshes).toBe(3);
  });

  it('never starts a refresh while the previous one is still waiting for the router', async () => {
    let refreshes = 0;
    let finish: () => void = () => undefined;
    const stop = startPolling({
      tick: () => undefined,
      refresh: () => {
        refreshes += 1;
        return new Promise<void>((resolve) => (finish = resolve));
      },
    });
    await vi.advanceTimersByTimeAsync(35_000);
    expect(refreshes).toBe(1);
    finish();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(refreshes).toBe(2);
    stop();
  });
});

function tf(catalog: Record<MessageKey, string>) {
  return (key: MessageKey, values: Record<string, number>) =>
    catalog[key].replace(/\{(\w+)\}/g, (_w, name: string) => String(values[name]));
}

describe('labels', () => {
  it('says the age in the person’s language', () => {
    expect(ageLabel(5, tf(en))).toBe('5 s');
    expect(ageLabel(125, tf(en))).toBe('2 min 5 s');
    expect(ageLabel(125, tf(zhCN))).toBe('2 分 5 秒');
    expect(ageLabel(90_000, tf(en))).toBe('1 d 1 h');
  });

  it('colours connected/up green, stale amber, never/down red, absent grey', () => {
    expect(
      ['connected', 'up', 'stale', 'never', 'down', 'absent'].map((s) => tone(s as 'up')),
    ).toEqual(['pass', 'pass', 'warn', 'fail', 'fail', 'skip']);
  });

  it('prints bytes with a decimal unit', () => {
    const number = (v: number, digits = 0) => v.toFixed(digits);
    expect(bytesLabel(undefined, number)).toBe('–');
    expect(bytesLabel(999, number)).toBe('999 B');
    expect(bytesLabel(3660, number)).toBe('3.7 kB');
    expect(bytesLabel(2_500_000_000, number)).toBe('2.5 GB');
  });
});
