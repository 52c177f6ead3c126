import type { HomewardApi, Unsubscribe } from '../../shared/api';
import type { DoctorRequest } from '../../shared/doctor';
import type { AppError } from '../../shared/errors';
import type { FixApplyReport, FixPlanRequest, FixPlanView, Remedy } from '../../shared/remedy';
import type { SetupProgress, SetupSshTarget } from '../../shared/setup-run';
import type { ApplyProgressView, SshFields } from './apply-progress';

/** Where a finding card may offer its fix: the live run it came from. */
export interface FixContext {
  /** The run's request: a fix reaches the same router. */
  request: DoctorRequest | undefined;
  onrerun: () => void;
}

/**
 * One finding's fix: SSH access to the end it changes, the preview (fix:plan) and the apply with
 * rollback (fix:apply), whose progress arrives as setup:progress like setup's own apply.
 */
export class FixState implements ApplyProgressView {
  readonly remedy: Remedy;
  /** The travel router as the doctor reached it. */
  readonly #router: DoctorRequest['router'] | undefined;
  readonly #api: HomewardApi;

  home = $state<SshFields>({ host: '', port: 22, user: 'root', identityFile: '' });
  acceptNewHostKey = $state(false);
  rollbackS = $state(120);
  planning = $state(false);
  plan = $state.raw<FixPlanView | undefined>(undefined);
  planError = $state.raw<AppError | undefined>(undefined);
  applying = $state(false);
  progress = $state.raw<SetupProgress[]>([]);
  secondsLeft = $state<number | undefined>(undefined);
  secondsLeftAt = $state(0);
  report = $state.raw<FixApplyReport | undefined>(undefined);
  applyError = $state.raw<AppError | undefined>(undefined);

  constructor(api: HomewardApi, remedy: Remedy, doctor: DoctorRequest | undefined) {
    this.#api = api;
    this.remedy = remedy;
    this.#router = doctor?.router;
    if (doctor?.home)
      this.home = {
        host: doctor.home.host,
        port: doctor.home.port,
        user: doctor.home.user,
        identityFile: doctor.home.identityFile ?? '',
      };
  }

  /** A home remedy without a home address previews as text to paste and cannot be applied. */
  get canApply(): boolean {
    if (this.remedy.end === 'router') return this.#router !== undefined;
    return this.home.host.trim() !== '';
  }

  #target(): SetupSshTarget | undefined {
    if (this.remedy.end === 'router') {
      const r = this.#router;
      if (!r) return undefined;
      return { ...r, acceptNewHostKey: r.acceptNewHostKey || this.acceptNewHostKey };
    }
    const host = this.home.host.trim();
    if (host === '') return undefined;
    const identityFile = this.home.identityFile.trim();
    return {
      host,
      port: Number(this.home.port),
      user: this.home.user.trim() || 'root',
      ...(identityFile ? { identityFile } : {}),
      ...(this.#router?.knownHostsFile ? { knownHostsFile: this.#router.knownHostsFile } : {}),
      acceptNewHostKey: this.acceptNewHostKey,
    };
  }

  #request(): FixPlanRequest {
    const target = this.#target();
    return { remedy: this.remedy, ...(target ? { [this.remedy.end]: target } : {}) };
  }

  async preview(): Promise<void> {
    if (this.planning || this.applying) return;
    this.planning = true;
    this.planError = undefined;
    this.report = undefined;
    const result = await this.#api.invoke('fix:plan', this.#request());
    this.planning = false;
    if (result.ok) this.plan = result.value;
    else {
      this.plan = undefined;
      this.planError = result.error;
    }
  }

  /** The person checked the fingerprint shown with the error: pin it and preview again. */
  async trust(): Promise<void> {
    this.acceptNewHostKey = true;
    await this.preview();
  }

  listen(): Unsubscribe {
    return this.#api.on('setup:progress', (p) => {
      if (!this.applying) return;
      if (p.kind === 'countdown') {
        this.secondsLeft = p.secondsLeft;
        this.secondsLeftAt = Date.now();
      } else this.progress = [...this.progress, p];
    });
  }

  /** Stops the preview's read, or rolls the running apply back now. */
  async cancel(): Promise<void> {
    await this.#api.invoke('setup:cancel');
  }

  async apply(): Promise<void> {
    if (this.applying || !this.plan || !this.canApply) return;
    this.applying = true;
    this.progress = [];
    this.secondsLeft = undefined;
    this.report = undefined;
    this.applyError = undefined;
    const result = await this.#api.invoke('fix:apply', {
      ...this.#request(),
      rollbackS: Number(this.rollbackS),
    });
    this.applying = false;
    this.secondsLeft = undefined;
    if (result.ok) this.report = result.value;
    else this.applyError = result.error;
  }
}
