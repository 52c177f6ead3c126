// Fixes the app can apply for a finding: the doctor attaches a remedy (plain data, numbers from
// the measured facts); `fix:plan` previews it as a UCI diff on the end it changes and `fix:apply`
// applies it with the same armed rollback as setup.
import type {
  SetupEndName,
  SetupEndReport,
  SetupEndView,
  SetupOutcome,
  SetupSshTarget,
} from './setup-run';

export const fixSchema = 'homeward.fix/1';

export type Remedy =
  /** Home's DHCP tells its LAN (and so the bridged SSID) the L2 segment's MTU (option 26). */
  | { kind: 'home-dhcp-mtu'; end: 'home'; mtu: number }
  /** The travel router's radio to a wider channel, e.g. `radio1` to `HE80`. */
  | { kind: 'router-wifi-width'; end: 'router'; radio: string; htmode: string };

export type RemedyKind = Remedy['kind'];

export interface FixPlanRequest {
  remedy: Remedy;
  /** SSH access to the travel router (needed when the remedy changes it). */
  router?: SetupSshTarget;
  /** SSH access to home; without it a home remedy is text to paste. */
  home?: SetupSshTarget;
}

export interface FixApplyRequest extends FixPlanRequest {
  /** Seconds the router waits for the confirmation before restoring its old config. */
  rollbackS: number;
}

export interface FixPlanView {
  schema: typeof fixSchema;
  remedy: Remedy;
  end: SetupEndName;
  /** Empty previews when the end was not read (home without SSH). */
  view: SetupEndView;
  /** The change as text to paste into an SSH session, when the end is not reached over SSH. */
  paste?: string;
  notes: string[];
  /** `notes` in other languages, index for index. */
  notesLocalized?: { 'zh-CN': string[] };
}

export interface FixApplyReport {
  schema: typeof fixSchema;
  outcome: SetupOutcome;
  ends: SetupEndReport[];
  plan: FixPlanView;
  durationMs: number;
}
