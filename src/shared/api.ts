import type { DiscoveryResult } from './discovery';
import type { DoctorProgress, DoctorReport, DoctorRequest } from './doctor';
import type { AppError } from './errors';
import type {
  HistoryExport,
  HistoryExportFormat,
  HistoryPage,
  HistoryQuery,
  HistorySeries,
  HistorySeriesQuery,
  StoredRun,
} from './history';
import type { AppInfo, LocalNetwork } from './model';
import type { FixApplyReport, FixApplyRequest, FixPlanRequest, FixPlanView } from './remedy';
import type { Result } from './result';
import type { RouterList, RouterStatus, RouterStatusRequest } from './router';
import type {
  SetupApplyReport,
  SetupApplyRequest,
  SetupPlanRequest,
  SetupPlanView,
  SetupProgress,
  SetupSignInReport,
  SetupSignInRequest,
  SetupKeys,
  UnderlayMeasureRequest,
  UnderlayMeasurement,
  WgQuickImport,
} from './setup-run';
import type { FieldError } from './setup';

// The one contract between the renderer (or the CLI) and the services. Every shell (Electron IPC,
// the browser host's WebSocket, the CLI) is typed from these two maps, so renaming a command
// breaks the build everywhere at once. Names are `area:verb`.
export interface Commands {
  'app:info': () => Promise<Result<AppInfo>>;
  'system:local-network': () => Promise<Result<LocalNetwork>>;
  'discovery:scan': () => Promise<Result<DiscoveryResult>>;
  /** Starts a doctor run; progress and the report arrive as events with the returned runId. */
  'doctor:start': (request: DoctorRequest) => Promise<Result<{ runId: string }>>;
  'doctor:cancel': (runId: string) => Promise<Result<{ cancelled: boolean }>>;
  'history:list': (query: HistoryQuery) => Promise<Result<HistoryPage>>;
  /** What the history charts draw, as columns: small enough for 10 000 runs. */
  'history:series': (query: HistorySeriesQuery) => Promise<Result<HistorySeries>>;
  'history:get': (id: number) => Promise<Result<StoredRun>>;
  'history:export': (request: {
    ids: number[];
    format: HistoryExportFormat;
  }) => Promise<Result<HistoryExport>>;
  /** Reads the router (and home, when given) and plans; nothing is written. */
  'setup:plan': (request: SetupPlanRequest) => Promise<Result<SetupPlanView>>;
  /** Applies with automatic rollback; resolves when confirmed or rolled back (setup:progress). */
  'setup:apply': (request: SetupApplyRequest) => Promise<Result<SetupApplyReport>>;
  /** Password sign-in that installs Homeward's key; the password is not kept. */
  'setup:sign-in': (request: SetupSignInRequest) => Promise<Result<SetupSignInReport>>;
  /** Every field problem of an intent, without touching a router (the wizard asks as you type). */
  'setup:validate': (intent: unknown) => Promise<Result<FieldError[]>>;
  /** A new WireGuard key pair for the travel router and a preshared key. */
  'setup:generate-keys': () => Promise<Result<SetupKeys>>;
  /** The intent fields a wg-quick `.conf` for the travel router gives. */
  'setup:import-wg-quick': (text: string) => Promise<Result<WgQuickImport>>;
  /** Stops a setup read in flight; a running apply (setup or fix) rolls back now instead. */
  'setup:cancel': () => Promise<Result<{ cancelled: boolean }>>;
  /** The underlay path MTU from the router to home's endpoint (the MTU ladder's first rung). */
  'setup:measure-underlay': (
    request: UnderlayMeasureRequest,
  ) => Promise<Result<UnderlayMeasurement>>;
  /** The routers Homeward has reached (sign-in, setup, doctor), most recent first. */
  'router:list': () => Promise<Result<RouterList>>;
  /** One SSH round trip to a remembered router (default: the most recent) with its pinned key. */
  'router:status': (request: RouterStatusRequest) => Promise<Result<RouterStatus>>;
  /** Reads the end a finding's remedy changes and previews it; nothing is written. */
  'fix:plan': (request: FixPlanRequest) => Promise<Result<FixPlanView>>;
  /** Applies a remedy with automatic rollback, like setup:apply (progress as setup:progress). */
  'fix:apply': (request: FixApplyRequest) => Promise<Result<FixApplyReport>>;
}

export interface DoctorFinished {
  runId: string;
  result: Result<DoctorReport, AppError>;
  /** The history id the run was stored under, when it was. */
  historyId?: number;
}

export interface Events {
  'system:changed': [LocalNetwork];
  'doctor:progress': [DoctorProgress];
  'doctor:finished': [DoctorFinished];
  'setup:progress': [SetupProgress];
}

export type CommandName = keyof Commands;
export type EventName = keyof Events;
export type CommandArgs<C extends CommandName> = Parameters<Commands[C]>;
export type CommandResult<C extends CommandName> = Awaited<ReturnType<Commands[C]>>;
export type EventPayload<E extends EventName> = Events[E];

// Runtime lists, checked against the maps above so neither can drift.
const commandMap: { [C in CommandName]: true } = {
  'app:info': true,
  'system:local-network': true,
  'discovery:scan': true,
  'doctor:start': true,
  'doctor:cancel': true,
  'history:list': true,
  'history:series': true,
  'history:get': true,
  'history:export': true,
  'setup:plan': true,
  'setup:apply': true,
  'setup:sign-in': true,
  'setup:validate': true,
  'setup:generate-keys': true,
  'setup:import-wg-quick': true,
  'setup:measure-underlay': true,
  'setup:cancel': true,
  'router:list': true,
  'router:status': true,
  'fix:plan': true,
  'fix:apply': true,
};
const eventMap: { [E in EventName]: true } = {
  'system:changed': true,
  'doctor:progress': true,
  'doctor:finished': true,
  'setup:progress': true,
};
export const commandNames = Object.keys(commandMap) as CommandName[];
export const eventNames = Object.keys(eventMap) as EventName[];

export function isCommandName(value: unknown): value is CommandName {
  return typeof value === 'string' && Object.hasOwn(commandMap, value);
}

/** `doctor:progress` -> `onDoctorProgress`: the name the preload and api.ts expose per event. */
export function eventListenerName(event: EventName): string {
  const camel = event
    .split(/[:-]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
  return `on${camel}`;
}

/** `system:local-network` -> `systemLocalNetwork`: the name the preload exposes per command. */
export function commandFunctionName(command: CommandName): string {
  const [first = '', ...rest] = command.split(/[:-]/);
  return first + rest.map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}

export type Unsubscribe = () => void;

/** What the renderer sees, whatever the transport. */
export interface HomewardApi {
  invoke<C extends CommandName>(command: C, ...args: CommandArgs<C>): Promise<CommandResult<C>>;
  on<E extends EventName>(event: E, listener: (...payload: EventPayload<E>) => void): Unsubscribe;
}

/** Channel names on the Electron side. */
export const ipcChannel = {
  command: (command: CommandName) => `homeward:${command}`,
  event: (event: EventName) => `homeward-event:${event}`,
};

type CamelTail<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Capitalize<Head>}${CamelTail<Tail>}`
  : Capitalize<S>;
type CamelName<S extends string> = S extends `${infer Area}:${infer Verb}`
  ? `${Area}${CamelTail<Verb>}`
  : never;

/** The object the Electron preload exposes as `window.homeward`: one function per command, one
 * unsubscribe-returning `on...` per event, nothing else. */
export type PreloadApi = {
  [C in CommandName as CamelName<C>]: (...args: CommandArgs<C>) => Promise<CommandResult<C>>;
} & {
  [E in EventName as `on${Capitalize<CamelName<E>>}`]: (
    listener: (...payload: EventPayload<E>) => void,
  ) => Unsubscribe;
};
