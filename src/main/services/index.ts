import type { AppInfo } from '../../shared/model';
import { ok } from '../../shared/result';
import type { RawLocalNetwork } from '../core/local-network';
import type { CommandHandlers } from './dispatch';
import { EventBus } from './event-bus';
import { createSystemService } from './system-service';

export interface ServiceDeps {
  shell: AppInfo['shell'];
  version: string;
  platform: string;
  fetchLocalNetwork: () => Promise<RawLocalNetwork>;
}

export interface Services {
  handlers: CommandHandlers;
  events: EventBus;
  /** Stops whatever the services own (runs, connections, timers). */
  dispose(): Promise<void>;
}

/** Composes the services from their adapters; every shell calls this once. */
export function createServices(deps: ServiceDeps): Services {
  const events = new EventBus();
  const system = createSystemService(deps.fetchLocalNetwork);
  const handlers: CommandHandlers = {
    'app:info': () =>
      Promise.resolve(
        ok({ name: 'Homeward', version: deps.version, shell: deps.shell, platform: deps.platform }),
      ),
    'system:local-network': () => system.localNetwork(),
  };
  return {
    handlers,
    events,
    dispose: () => Promise.resolve(),
  };
}
