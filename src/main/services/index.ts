import type { AppInfo } from '../../shared/model';
import { ok } from '../../shared/result';
import type { HistoryStore } from '../adapters/storage/history-store';
import type { RawLocalNetwork } from '../core/local-network';
import type { CommandHandlers } from './dispatch';
import type { DoctorDeps } from './doctor/run-doctor';
import { discoverRouters } from './discovery-service';
import { createDoctorService } from './doctor-service';
import { EventBus } from './event-bus';
import { createHistoryService } from './history-service';
import { defaultDataDir } from '../adapters/storage/data-dir';
import { createRouterService, createRouterServiceDeps } from './router-service';
import type { RouterServiceDeps } from './router-service';
import { createSetupDeps } from './setup/connect';
import type { SetupDeps } from './setup/connect';
import { createSetupService } from './setup/service';
import { generateSetupKeys, importWgQuickText, validateSetupIntent } from './setup/wizard-commands';
import { createSystemService } from './system-service';

export interface ServiceDeps {
  shell: AppInfo['shell'];
  version: string;
  platform: string;
  fetchLocalNetwork: () => Promise<RawLocalNetwork>;
  /** The doctor's adapters; absent in shells or tests that do not run it. */
  doctorDeps?: () => DoctorDeps;
  openHistory?: () => Promise<HistoryStore>;
  /** Setup's adapters; default: the data dir's known_hosts and key files. */
  setupDeps?: () => SetupDeps;
  /** The router card's store and SSH; default: the data dir's routers.json and known_hosts. */
  routerDeps?: () => RouterServiceDeps;
}

export interface Services {
  handlers: CommandHandlers;
  events: EventBus;
  /** Stops whatever the services own (runs, connections, open files). */
  dispose(): Promise<void>;
}

function unavailable(what: string) {
  return () => Promise.reject(new Error(`${what} is not available in this shell`));
}

/** Composes the services from their adapters; every shell calls this once. */
export function createServices(deps: ServiceDeps): Services {
  const events = new EventBus();
  const system = createSystemService(deps.fetchLocalNetwork);
  const history = createHistoryService(deps.openHistory ?? unavailable('The history'));
  // The app shells open the history while the first screen settles, not on the first visit.
  if (deps.openHistory) history.warmUp(500);
  const doctor = createDoctorService(
    deps.doctorDeps ??
      (() => {
        throw new Error('The doctor is not available in this shell');
      }),
    events,
    history,
  );
  const setup = createSetupService(deps.setupDeps ?? (() => createSetupDeps()), events);
  const router = createRouterService(
    deps.routerDeps ??
      (() => {
        const doctorDeps = deps.doctorDeps?.();
        return doctorDeps
          ? createRouterServiceDeps(defaultDataDir(), doctorDeps)
          : createRouterServiceDeps();
      }),
  );
  const handlers: CommandHandlers = {
    'app:info': () =>
      Promise.resolve(
        ok({ name: 'Homeward', version: deps.version, shell: deps.shell, platform: deps.platform }),
      ),
    'system:local-network': () => system.localNetwork(),
    'discovery:scan': async () => discoverRouters({ localNetwork: await deps.fetchLocalNetwork() }),
    'doctor:start': (request) => doctor.start(request),
    'doctor:cancel': (runId) => doctor.cancel(runId),
    'history:list': (query) => history.list(query),
    'history:series': (query) => history.series(query),
    'history:get': (id) => history.get(id),
    'history:export': (request) => history.export(request),
    'setup:plan': (request) => setup.plan(request),
    'setup:apply': (request) => setup.apply(request),
    'setup:sign-in': (request) => setup.signIn(request),
    'setup:validate': (intent) => Promise.resolve(validateSetupIntent(intent)),
    'setup:generate-keys': () => Promise.resolve(generateSetupKeys()),
    'setup:import-wg-quick': (text) => Promise.resolve(importWgQuickText(text)),
    'fix:plan': (request) => setup.planFix(request),
    'router:list': () => router.list(),
    'router:status': (request) => router.status(request),
    'setup:measure-underlay': (request) => setup.measureUnderlay(request),
    'setup:cancel': () => Promise.resolve(setup.cancel()),
    'fix:apply': (request) => setup.applyFix(request),
  };
  return {
    handlers,
    events,
    dispose: async () => {
      await doctor.dispose();
      await setup.dispose();
      await history.dispose();
      await router.dispose();
    },
  };
}
