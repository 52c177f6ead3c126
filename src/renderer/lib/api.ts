import { commandFunctionName, eventListenerName } from '../../shared/api';
import type {
  CommandArgs,
  CommandName,
  CommandResult,
  EventName,
  EventPayload,
  HomewardApi,
  PreloadApi,
  Unsubscribe,
} from '../../shared/api';
import { appError } from '../../shared/errors';

// The only file that knows which transport the renderer runs on: Electron's preload
// (`window.homeward`) or the browser host's WebSocket next to the page.

declare global {
  interface Window {
    homeward?: PreloadApi;
  }
}

type AnyFunction = (...args: unknown[]) => unknown;

function preloadApi(preload: PreloadApi): HomewardApi {
  const table = preload as unknown as Record<string, AnyFunction>;
  return {
    invoke: (command, ...args) => table[commandFunctionName(command)]?.(...args) as never,
    on: (event, listener) => table[eventListenerName(event)]?.(listener) as Unsubscribe,
  };
}

function socketApi(url: string): HomewardApi {
  let nextId = 1;
  const pending = new Map<number, (result: unknown) => void>();
  const listeners = new Map<EventName, Set<AnyFunction>>();
  let socket: WebSocket | undefined;
  let opened: Promise<WebSocket> | undefined;

  const connect = (): Promise<WebSocket> => {
    opened ??= new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.addEventListener('open', () => {
        socket = ws;
        resolve(ws);
      });
      ws.addEventListener('error', () => reject(new Error('connection to Homeward failed')));
      ws.addEventListener('close', () => {
        opened = undefined;
        socket = undefined;
        const lost = {
          ok: false,
          error: appError('not-available', 'The connection to Homeward was closed.', {
            fix: 'Restart "npx homeward serve" and reload this page.',
          }),
        };
        for (const resolvePending of pending.values()) resolvePending(lost);
        pending.clear();
      });
      ws.addEventListener('message', (message) => {
        const data = JSON.parse(String(message.data)) as
          | { type: 'result'; id: number; result: unknown }
          | { type: 'event'; event: EventName; payload: unknown[] };
        if (data.type === 'result') {
          pending.get(data.id)?.(data.result);
          pending.delete(data.id);
        } else {
          for (const listener of listeners.get(data.event) ?? []) listener(...data.payload);
        }
      });
    });
    return opened;
  };

  return {
    async invoke<C extends CommandName>(command: C, ...args: CommandArgs<C>) {
      try {
        const ws = socket ?? (await connect());
        const id = nextId++;
        return await new Promise<CommandResult<C>>((resolve) => {
          pending.set(id, resolve as (result: unknown) => void);
          ws.send(JSON.stringify({ id, command, args }));
        });
      } catch (error) {
        return {
          ok: false,
          error: appError('not-available', (error as Error).message, {
            fix: 'Check that "npx homeward serve" is still running, then reload.',
          }),
        } as CommandResult<C>;
      }
    },
    on<E extends EventName>(event: E, listener: (...payload: EventPayload<E>) => void) {
      const set = listeners.get(event) ?? new Set<AnyFunction>();
      set.add(listener as AnyFunction);
      listeners.set(event, set);
      void connect().catch(() => undefined);
      return () => {
        set.delete(listener as AnyFunction);
      };
    },
  };
}

export function createApi(): HomewardApi {
  if (window.homeward) return preloadApi(window.homeward);
  const url = new URL('api', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = '';
  url.hash = '';
  return socketApi(url.href);
}

export const api: HomewardApi = createApi();
