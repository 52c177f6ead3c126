import type { SetupProgress } from '../../shared/setup-run';

/** What the apply log and the rollback countdown draw; setup's wizard and a fix both have it. */
export interface ApplyProgressView {
  readonly applying: boolean;
  readonly progress: readonly SetupProgress[];
  readonly secondsLeft: number | undefined;
  /** When `secondsLeft` was reported, so the screen can count down between reports. */
  readonly secondsLeftAt: number;
}

/** SSH access typed into a form (a $state object the inputs bind to). */
export interface SshFields {
  host: string;
  port: number;
  user: string;
  identityFile: string;
}
