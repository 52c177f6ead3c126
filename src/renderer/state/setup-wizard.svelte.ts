import type { HomewardApi, Unsubscribe } from '../../shared/api';
import type { DiscoveryResult } from '../../shared/discovery';
import type { AppError } from '../../shared/errors';
import type { FieldError } from '../../shared/setup';
import type {
  SetupApplyReport,
  SetupPlanView,
  SetupProgress,
  SetupSignInReport,
  SetupSshTarget,
} from '../../shared/setup-run';
import { defaultSetupForm, intentOf, setupSteps, stepOfField } from '../lib/setup-form';
import type { SetupStepId } from '../lib/setup-form';
import { DoctorRunState } from './doctor-run.svelte';
import { UnderlayMeasureState } from './underlay-measure.svelte';

export type SignInMode = 'password' | 'key';

/** The whole wizard: one instance lives as long as the page, so every step keeps what was typed. */
export class SetupWizardState {
  step = $state<SetupStepId>('find');
  form = $state(defaultSetupForm());
  host = $state('');
  port = $state(22);
  user = $state('root');

  discovery = $state.raw<DiscoveryResult | undefined>(undefined);
  scanning = $state(false);
  scanError = $state.raw<AppError | undefined>(undefined);

  /** SSH to the home router; empty host: home's part is text to paste. */
  homeSsh = $state({ host: '', port: 22, user: 'root', identityFile: '' });
  /** Home's host key is trusted on its own, after the person saw home's fingerprint. */
  homeAcceptNewHostKey = $state(false);

  mode = $state<SignInMode>('password');
  password = $state('');
  identityFile = $state('');
  acceptNewHostKey = $state(false);
  signingIn = $state(false);
  signIn = $state.raw<SetupSignInReport | undefined>(undefined);
  signInError = $state.raw<AppError | undefined>(undefined);

  fieldErrors = $state.raw<FieldError[]>([]);
  /** Fields whose errors show: typed in, or the person tried to move on. */
  touched = $state<Record<string, boolean>>({});
  importError = $state.raw<AppError | undefined>(undefined);
  imported = $state(false);

  planning = $state(false);
  plan = $state.raw<SetupPlanView | undefined>(undefined);
  planError = $state.raw<AppError | undefined>(undefined);

  rollbackS = $state(90);
  installPackages = $state(false);
  applying = $state(false);
  progress = $state.raw<SetupProgress[]>([]);
  secondsLeft = $state<number | undefined>(undefined);
  /** When `secondsLeft` was reported, so the screen can count down between reports. */
  secondsLeftAt = $state(0);
  report = $state.raw<SetupApplyReport | undefined>(undefined);
  applyError = $state.raw<AppError | undefined>(undefined);

  readonly doctor: DoctorRunState;
  readonly underlay: UnderlayMeasureState;
  readonly #api: HomewardApi;
  #validation = 0;

  constructor(api: HomewardApi) {
    this.#api = api;
    this.doctor = new DoctorRunState(api);
    this.underlay = new UnderlayMeasureState(api);
  }

  get intent() {
    return intentOf(this.form);
  }

  get index(): number {
    return setupSteps.indexOf(this.step);
  }

  get target(): SetupSshTarget {
    const identityFile = this.mode === 'key' ? this.identityFile.trim() : '';
    return {
      host: this.host.trim(),
      port: Number(this.port),
      user: this.user.trim(),
      ...(identityFile ? { identityFile } : {}),
      acceptNewHostKey: this.acceptNewHostKey,
    };
  }

  get homeTarget(): SetupSshTarget | undefined {
    const { host, port, user, identityFile } = this.homeSsh;
    if (host.trim() === '') return undefined;
    return {
      host: host.trim(),
      port: Number(port),
      user: user.trim(),
      ...(identityFile.trim() ? { identityFile: identityFile.trim() } : {}),
      acceptNewHostKey: this.homeAcceptNewHostKey,
    };
  }

  /** The password sign-in's report, while it is for the router now chosen. */
  get signedIn(): SetupSignInReport | undefined {
    const report = this.signIn;
    return report && report.host === this.host.trim() && report.port === Number(this.port)
      ? report
      : undefined;
  }

  /** The core's error for a field, once the field has been touched. */
  errorFor(field: string): FieldError | undefined {
    return this.touched[field] ? this.fieldErrors.find((e) => e.field === field) : undefined;
  }

  touch(field: string): void {
    this.touched[field] = true;
  }

  stepErrors(step: SetupStepId): FieldError[] {
    return this.fieldErrors.filter((e) => stepOfField(e.field) === step);
  }

  /** Whether the person may go past `step` now. */
  canLeave(step: SetupStepId): boolean {
    switch (step) {
      case 'find':
        return this.host.trim() !== '' && Number(this.port) >= 1 && this.user.trim() !== '';
      case 'sign-in':
        return this.mode === 'key' || this.signedIn !== undefined;
      case 'home':
      case 'bridge':
      case 'wifi':
        return this.stepErrors(step).length === 0;
      case 'review':
        return this.plan !== undefined;
      case 'apply':
        return this.report?.outcome === 'applied' || this.report?.outcome === 'unchanged';
      case 'verify':
        return false;
    }
  }

  async next(): Promise<void> {
    // Decide on the intent as it is now, not on a check still in flight from the last key.
    const from = this.step;
    if (['home', 'bridge', 'wifi'].includes(from)) await this.validate();
    // A second press while the check ran has moved on already, or the person went elsewhere.
    if (this.step !== from) return;
    // Moving on shows every problem of the step, typed in or not.
    for (const e of this.stepErrors(this.step)) this.touched[e.field] = true;
    if (!this.canLeave(this.step)) return;
    const next = setupSteps[this.index + 1];
    if (next) this.step = next;
  }

  back(): void {
    const previous = setupSteps[this.index - 1];
    if (previous && !this.applying) this.step = previous;
  }

  goTo(step: SetupStepId): void {
    const target = setupSteps.indexOf(step);
    if (this.applying) return;
    if (setupSteps.slice(0, target).every((s) => this.canLeave(s))) this.step = step;
  }

  async scan(): Promise<void> {
    this.scanning = true;
    this.scanError = undefined;
    const result = await this.#api.invoke('discovery:scan');
    this.scanning = false;
    if (!result.ok) this.scanError = result.error;
    else {
      this.discovery = result.value;
      const best = result.value.candidates.find((c) => c.score > 0);
      if (best && this.host === '') this.host = best.address;
    }
  }

  async validate(): Promise<void> {
    const mine = ++this.#validation;
    const result = await this.#api.invoke('setup:validate', $state.snapshot(this.intent));
    if (mine !== this.#validation) return;
    if (result.ok) this.fieldErrors = result.value;
  }

  async runSignIn(): Promise<void> {
    this.signingIn = true;
    this.signInError = undefined;
    const result = await this.#api.invoke('setup:sign-in', {
      host: this.host.trim(),
      port: Number(this.port),
      user: this.user.trim(),
      password: this.password,
      acceptNewHostKey: this.acceptNewHostKey,
    });
    this.signingIn = false;
    if (!result.ok) {
      this.signInError = result.error;
      return;
    }
    this.signIn = result.value;
    // The key is installed: the password is not needed again and is not kept.
    this.password = '';
  }

  async importWgQuick(text: string): Promise<void> {
    this.importError = undefined;
    const result = await this.#api.invoke('setup:import-wg-quick', text);
    if (!result.ok) {
      this.importError = result.error;
      return;
    }
    const { travel, home, presharedKey, keepaliveS } = result.value;
    const f = this.form;
    f.travelPrivateKey = travel.privateKey;
    f.travelPublicKey = travel.publicKey;
    f.travelTunnel = travel.tunnelAddress;
    f.homePublicKey = home.publicKey;
    if (home.endpointHost) f.endpointHost = home.endpointHost;
    if (home.endpointPort) f.endpointPort = home.endpointPort;
    f.presharedKey = presharedKey ?? '';
    if (keepaliveS !== undefined) f.keepaliveS = keepaliveS;
    this.imported = true;
  }

  async generateKeys(): Promise<void> {
    this.importError = undefined;
    this.imported = false;
    const result = await this.#api.invoke('setup:generate-keys');
    if (!result.ok) {
      this.importError = result.error;
      return;
    }
    this.form.travelPrivateKey = result.value.travel.privateKey;
    this.form.travelPublicKey = result.value.travel.publicKey;
    this.form.presharedKey = result.value.presharedKey;
  }

  async runPlan(): Promise<void> {
    this.planning = true;
    this.planError = undefined;
    this.plan = undefined;
    const home = this.homeTarget;
    const result = await this.#api.invoke('setup:plan', {
      router: this.target,
      ...(home ? { home } : {}),
      intent: $state.snapshot(this.intent),
    });
    this.planning = false;
    if (result.ok) this.plan = result.value;
    else this.#planFailed(result.error);
  }

  /** The person confirmed the fingerprint in `error`: trust that end's key, and plan again. */
  async trustAndPlan(error: AppError): Promise<void> {
    const host = (error as AppError & { host?: unknown }).host;
    if (this.homeTarget && host === this.homeTarget.host) this.homeAcceptNewHostKey = true;
    else this.acceptNewHostKey = true;
    await this.runPlan();
  }

  #planFailed(error: AppError): void {
    this.planError = error;
    const errors = (error.detail?.['errors'] ?? []) as FieldError[];
    if (errors.length > 0) {
      this.fieldErrors = errors;
      for (const e of errors) this.touched[e.field] = true;
    }
  }

  listen(): Unsubscribe {
    const offProgress = this.#api.on('setup:progress', (p) => {
      if (!this.applying) return;
      if (p.kind === 'countdown') {
        this.secondsLeft = p.secondsLeft;
        this.secondsLeftAt = Date.now();
      } else this.progress = [...this.progress, p];
    });
    const offDoctor = this.doctor.listen();
    return () => {
      offProgress();
      offDoctor();
    };
  }

  /** Stops a read in flight; a running apply rolls back now (the report says so). */
  async cancel(): Promise<void> {
    await this.#api.invoke('setup:cancel');
  }

  async runApply(): Promise<void> {
    if (this.applying) return;
    this.applying = true;
    this.progress = [];
    this.secondsLeft = undefined;
    this.report = undefined;
    this.applyError = undefined;
    const home = this.homeTarget;
    const result = await this.#api.invoke('setup:apply', {
      router: this.target,
      ...(home ? { home } : {}),
      intent: $state.snapshot(this.intent),
      rollbackS: Number(this.rollbackS),
      installPackages: this.installPackages,
    });
    this.applying = false;
    this.secondsLeft = undefined;
    if (result.ok) this.report = result.value;
    else this.applyError = result.error;
  }

  async verify(): Promise<void> {
    const identityFile =
      this.signIn?.keyPath ?? (this.mode === 'key' ? this.identityFile.trim() : '');
    await this.doctor.start({
      router: {
        host: this.report?.plan.routerAddressAfter ?? this.host.trim(),
        port: Number(this.port),
        user: this.user.trim(),
        ...(identityFile ? { identityFile } : {}),
        acceptNewHostKey: false,
      },
      targetMbps: 30,
      durationS: 2,
      quick: true,
      saveHistory: true,
      packetBytes: 1200,
    });
  }
}
