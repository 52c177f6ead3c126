import type { AppError } from '../../shared/errors';
import type { HomewardApi } from '../../shared/api';
import type { LocalNetwork } from '../../shared/model';

export class LocalNetworkState {
  network = $state.raw<LocalNetwork | undefined>(undefined);
  error = $state.raw<AppError | undefined>(undefined);
  loading = $state(false);
  readonly #api: HomewardApi;

  constructor(api: HomewardApi) {
    this.#api = api;
  }

  async refresh(): Promise<void> {
    this.loading = true;
    const result = await this.#api.invoke('system:local-network');
    this.loading = false;
    if (result.ok) {
      this.network = result.value;
      this.error = undefined;
    } else {
      this.error = result.error;
    }
  }
}
