// Owns every socket, request and timer a probe run opens, so one dispose() closes them all
// whatever path (answer, timeout, abort, error) each probe took. `size` lets tests prove no
// handle outlives the run.
export interface Destroyable {
  destroy(): unknown;
}

export class ResourceOwner {
  readonly #resources = new Set<Destroyable>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #disposed = false;

  get size(): number {
    return this.#resources.size + this.#timers.size;
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  /** Registers a resource; a disposed owner destroys it at once. */
  track<T extends Destroyable>(resource: T): T {
    if (this.#disposed) resource.destroy();
    else this.#resources.add(resource);
    return resource;
  }

  /** Destroys a resource now and forgets it. */
  release(resource: Destroyable): void {
    this.#resources.delete(resource);
    resource.destroy();
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
    for (const resource of this.#resources) resource.destroy();
    this.#resources.clear();
  }
}
