// Owns every socket, request and timer a probe run opens, so one dispose() closes them all
// whatever path (answer, timeout, abort, error) each probe took. `size` lets tests prove no
// handle outlives the run.
export interface Destroyable {
  destroy(): unknown;
}

/** Node streams and sockets: destroy() starts the close, 'close' reports the handle gone. */
interface Closable extends Destroyable {
  closed: boolean;
  once(event: 'close', listener: () => void): unknown;
}

function nextLoopTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function isClosable(resource: Destroyable): resource is Closable {
  const candidate = resource as Partial<Closable>;
  return typeof candidate.closed === 'boolean' && typeof candidate.once === 'function';
}

export class ResourceOwner {
  readonly #resources = new Set<Destroyable>();
  readonly #timers = new Set<NodeJS.Timeout>();
  /** Destroyed, but libuv has not closed the handle yet. */
  readonly #closing = new Set<Closable>();
  #disposed = false;

  /** Resources and timers still held, including handles whose close is in flight. */
  get size(): number {
    return this.#resources.size + this.#timers.size + this.#closing.size;
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  /** Registers a resource; a disposed owner destroys it at once. */
  track<T extends Destroyable>(resource: T): T {
    if (this.#disposed) this.#destroy(resource);
    else this.#resources.add(resource);
    return resource;
  }

  /** Destroys a resource now and stops holding it once its handle has closed. */
  release(resource: Destroyable): void {
    this.#resources.delete(resource);
    this.#destroy(resource);
  }

  #destroy(resource: Destroyable): void {
    resource.destroy();
    if (isClosable(resource) && !resource.closed && !this.#closing.has(resource)) {
      this.#closing.add(resource);
      resource.once('close', () => this.#closing.delete(resource));
    }
  }

  setTimeout(callback: () => void, ms: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      callback();
    }, ms);
    if (this.#disposed) clearTimeout(timer);
    else this.#timers.add(timer);
    return timer;
  }

  clearTimeout(timer: NodeJS.Timeout): void {
    this.#timers.delete(timer);
    clearTimeout(timer);
  }

  dispose(): void {
    this.#disposed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const resource of this.#resources) this.#destroy(resource);
    this.#resources.clear();
  }

  /** Waits (at most `maxWaitMs`) for destroyed handles to close; resolves to `size`. */
  async settle(maxWaitMs: number): Promise<number> {
    const started = Date.now();
    while (this.#closing.size > 0 && Date.now() - started < maxWaitMs) {
      await nextLoopTurn();
    }
    // A socket emits 'close' on the tick after destroy(), before libuv's close callback has run
    // (that comes in the loop's close phase, after the check phase): one more full turn.
    await nextLoopTurn();
    await nextLoopTurn();
    return this.size;
  }

  /**
   * Disposes, then waits for every destroyed handle to close, so a caller returns with nothing of
   * ours left in the event loop. Resolves to what is still closing after `maxWaitMs`.
   */
  async close(maxWaitMs: number): Promise<number> {
    this.dispose();
    return this.settle(maxWaitMs);
  }
}
