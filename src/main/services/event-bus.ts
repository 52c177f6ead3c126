import { eventNames } from '../../shared/api';
import type { EventName, EventPayload, Unsubscribe } from '../../shared/api';

// Listeners are stored untyped; `on` and `emit` keep each event's payload type at the edges.
type AnyListener = (...payload: unknown[]) => void;

/** Typed events from services to whichever shells listen. Every `on` returns its unsubscribe. */
export class EventBus {
  readonly #listeners = new Map<EventName, Set<AnyListener>>();

  on<E extends EventName>(event: E, listener: (...payload: EventPayload<E>) => void): Unsubscribe {
    const set = this.#setFor(event);
    const stored = listener as unknown as AnyListener;
    set.add(stored);
    return () => {
      set.delete(stored);
    };
  }

  /** Every event, for transports that forward all of them. */
  onAny(listener: (event: EventName, payload: unknown[]) => void): Unsubscribe {
    const unsubscribers: Unsubscribe[] = [];
    for (const event of eventNames) {
      const set = this.#setFor(event);
      const forward: AnyListener = (...payload) => listener(event, payload);
      set.add(forward);
      unsubscribers.push(() => set.delete(forward));
    }
    return () => unsubscribers.forEach((u) => u());
  }

  emit<E extends EventName>(event: E, ...payload: EventPayload<E>): void {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) {
      listener(...(payload as unknown[]));
    }
  }

  listenerCount(): number {
    let count = 0;
    for (const set of this.#listeners.values()) count += set.size;
    return count;
  }

  #setFor(event: EventName): Set<AnyListener> {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set<AnyListener>();
      this.#listeners.set(event, set);
    }
    return set;
  }
}
