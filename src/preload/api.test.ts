import { describe, expect, it } from 'vitest';
import { commandFunctionName, commandNames, eventListenerName, eventNames } from '../shared/api';
import { createPreloadApi } from './api';
import type { IpcRendererLike } from './api';

function fakeIpc() {
  const calls: unknown[][] = [];
  const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  const ipc: IpcRendererLike = {
    invoke: (channel, ...args) => {
      calls.push([channel, ...args]);
      return Promise.resolve({ ok: true, value: channel });
    },
    on: (channel, listener) =>
      listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener)),
    removeListener: (channel, listener) => listeners.get(channel)?.delete(listener),
  };
  return { ipc, calls, listeners };
}

describe('preload api', () => {
  it('exposes exactly one function per command and one on... per event', () => {
    const api = createPreloadApi(fakeIpc().ipc);
    const expected = [
      ...commandNames.map(commandFunctionName),
      ...eventNames.map(eventListenerName),
    ];
    expect(Object.keys(api).sort()).toEqual(expected.sort());
    expect(Object.values(api).every((v) => typeof v === 'function')).toBe(true);
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.keys(api)).toEqual(
      expect.arrayContaining(['appInfo', 'systemLocalNetwork', 'onSystemChanged']),
    );
  });
  it('routes a command to its own channel only', async () => {
    const { ipc, calls } = fakeIpc();
    const api = createPreloadApi(ipc);
    await api.systemLocalNetwork();
    expect(calls).toEqual([['homeward:system:local-network']]);
  });
  it('returns an unsubscribe that removes the listener', () => {
    const { ipc, listeners } = fakeIpc();
    const api = createPreloadApi(ipc);
    const seen: unknown[] = [];
    const off = api.onSystemChanged((n) => seen.push(n));
    const channel = listeners.get('homeward-event:system:changed');
    for (const l of channel ?? []) l({ sender: 'x' }, { interfaces: [] });
    expect(seen).toEqual([{ interfaces: [] }]);
    off();
    expect(channel?.size).toBe(0);
  });
});
