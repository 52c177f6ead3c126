import {
  commandFunctionName,
  commandNames,
  eventListenerName,
  eventNames,
  ipcChannel,
} from '../shared/api';
import type { PreloadApi, Unsubscribe } from '../shared/api';

/** The part of Electron's ipcRenderer the preload uses; kept as an interface so the mapping can
 * be tested in plain Node (requiring 'electron' there starts a binary download). */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** One function per command, one unsubscribe-returning `on...` per event, and nothing else. */
export function createPreloadApi(ipc: IpcRendererLike): PreloadApi {
  const api: Record<string, unknown> = {};
  for (const command of commandNames) {
    api[commandFunctionName(command)] = (...args: unknown[]) =>
      ipc.invoke(ipcChannel.command(command), ...args);
  }
  for (const event of eventNames) {
    api[eventListenerName(event)] = (listener: (...payload: unknown[]) => void): Unsubscribe => {
      if (typeof listener !== 'function') throw new TypeError('listener must be a function');
      const wrapped = (_event: unknown, ...payload: unknown[]) => listener(...payload);
      ipc.on(ipcChannel.event(event), wrapped);
      return () => {
        ipc.removeListener(ipcChannel.event(event), wrapped);
      };
    };
  }
  return Object.freeze(api) as PreloadApi;
}
