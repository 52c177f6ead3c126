import type { HomewardApi } from '../../shared/api';
import type { AppError } from '../../shared/errors';
import type { SetupSshTarget, UnderlayMeasurement } from '../../shared/setup-run';

/** The wizard's underlay measurement: the router probes home's endpoint before any tunnel. */
export class UnderlayMeasureState {
  measuring = $state(false);
  result = $state.raw<UnderlayMeasurement | undefined>(undefined);
  error = $state.raw<AppError | undefined>(undefined);
  readonly #api: HomewardApi;

  constructor(api: HomewardApi) {
    this.#api = api;
  }

  /** Resolves with the path MTU when one was found. */
  async measure(router: SetupSshTarget, endpointHost: string): Promise<number | undefined> {
    if (this.measuring) return undefined;
    this.measuring = true;
    this.error = undefined;
    const result = await this.#api.invoke('setup:measure-underlay', { router, endpointHost });
    this.measuring = false;
    if (result.ok) {
      this.result = result.value;
      return result.value.pathMtu;
    }
    this.result = undefined;
    this.error = result.error;
    return undefined;
  }
}
