import type { HomewardApi } from '../../shared/api';
import type { AppError } from '../../shared/errors';
import type { RememberedRouter, RouterStatus } from '../../shared/router';
import { liveHandshakeAgeS } from '../../shared/router';

/** The Home screen's router card: the remembered routers and the most recent one's status. */
export class RouterStatusState {
  routers = $state.raw<RememberedRouter[] | undefined>(undefined);
  status = $state.raw<RouterStatus | undefined>(undefined);
  error = $state.raw<AppError | undefined>(undefined);
  loading = $state(false);
  /** This computer's clock, advanced every second while the card is shown. */
  nowMs = $state(Date.now());

  readonly router = $derived(this.routers?.[0]);
  /** The handshake age now: the router's answer plus the seconds passed here since. */
  readonly handshakeAgeS = $derived(
    this.status
      ? liveHandshakeAgeS(this.status.tunnel, this.status.measuredAt, this.nowMs)
      : undefined,
  );

  readonly #api: HomewardApi;
  #active = true;
  #inFlight: Promise<void> | undefined;

  constructor(api: HomewardApi) {
    this.#api = api;
  }

  /** Reads the list and, when there is a router, its status; one read at a time. */
  refresh(): Promise<void> {
    this.#inFlight ??= this.#read().finally(() => (this.#inFlight = undefined));
    return this.#inFlight;
  }

  tick(): void {
    this.nowMs = Date.now();
  }

  /** Answers arriving after this are dropped (the card is gone). */
  close(): void {
    this.#active = false;
  }

  async #read(): Promise<void> {
    this.loading = true;
    try {
      const listed = await this.#api.invoke('router:list');
      if (!this.#active) return;
      if (!listed.ok) {
        this.error = listed.error;
        return;
      }
      this.routers = listed.value.routers;
      const router = listed.value.routers[0];
      if (!router) {
        this.status = undefined;
        this.error = undefined;
        return;
      }
      const status = await this.#api.invoke('router:status', {
        host: router.host,
        port: router.port,
      });
      if (!this.#active) return;
      if (status.ok) {
        this.status = status.value;
        this.error = undefined;
      } else {
        // An old answer with a ticking age would claim a live tunnel the router did not confirm.
        this.status = undefined;
        this.error = status.error;
      }
    } finally {
      this.loading = false;
    }
  }
}
