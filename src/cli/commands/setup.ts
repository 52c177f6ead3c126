import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { AppError } from '../../shared/errors';
import { appError } from '../../shared/errors';
import type { Result } from '../../shared/result';
import { setupSchema } from '../../shared/setup-run';
import type {
  SetupApplyReport,
  SetupApplyRequest,
  SetupPlanRequest,
  SetupPlanView,
  SetupProgress,
  SetupSignInReport,
  SetupSignInRequest,
  SetupSshTarget,
} from '../../shared/setup-run';
import { wireguardPublicKey } from '../../main/adapters/crypto/wireguard-keys';
import { intentFromWgQuick } from '../../main/core/setup/intent-from-wg-quick';
import { readIntent } from '../../main/core/setup/intent-shape';
import { validateIntent } from '../../main/core/setup/validate';
import { parseWgQuick } from '../../main/core/setup/wg-quick';
import type { WifiSpec } from '../../shared/setup';
import type { Output } from '../output';
import { printError, UsageError } from '../output';

export const setupUsage = `Usage: homeward setup <plan|apply|sign-in|intent> [options]

  homeward setup sign-in --router HOST (--password-file FILE | --password-stdin) [--accept-new-host-key]
      Signs in once with the router password, installs Homeward's own SSH key on the router and
      stores its private key (0600) in the data dir. The password is not kept.
  homeward setup plan --router HOST --intent FILE [--home HOST] [--json]
      Reads the router (and home) and prints the change per config file. Writes nothing.
  homeward setup apply --router HOST --intent FILE [--rollback-s 120] [--install-packages] [--json]
      Snapshots /etc/config, arms a rollback on the router, writes the changes with uci batch,
      reloads, reconnects (at the new LAN address if the plan moves it) and confirms. If Homeward
      cannot reach the router again in time, the router restores its old config by itself.
  homeward setup intent --from-wg-quick FILE --ssid NAME --password PW --l2-ssid NAME --l2-password PW
      Prints an intent (JSON) from the travel router's wg-quick file; check it, then plan/apply.
      Also: --band 2g|5g (5g), --width 20|40|80|160 (80), --encryption psk2|sae|sae-mixed (sae-mixed).

  --router HOST            the travel router (SSH)      --port N / --user NAME (22 / root)
  --identity FILE          private key (default: Homeward's key from sign-in, else the SSH agent)
  --known-hosts FILE       pinned host keys (default: Homeward's own store)
  --accept-new-host-key    pin the router's key on first use
  --home HOST              SSH access to the home router (--home-port, --home-user, --home-identity);
                           without it the home part is printed as text to paste
  --intent FILE            the setup intent (JSON, fields as in src/shared/setup.ts SetupIntent)
  --rollback-s N           seconds before the router undoes an unconfirmed apply (120)
  --install-packages       install missing packages (opkg/apk) before changing anything
  --json                   one JSON object (schema ${setupSchema})

Exit code: 0 applied and confirmed (or nothing to change), 1 rolled back, 2 usage or connection error.`;

export interface SetupCliDeps {
  output: Output;
  plan(request: SetupPlanRequest): Promise<Result<SetupPlanView, AppError>>;
  apply(
    request: SetupApplyRequest,
    onProgress: (p: SetupProgress) => void,
  ): Promise<Result<SetupApplyReport, AppError>>;
  signIn(request: SetupSignInRequest): Promise<Result<SetupSignInReport, AppError>>;
  readStdin(): Promise<string>;
}

export function host(flag: string, value: string | undefined): string {
  const trimmed = value?.trim() ?? '';
  if (!trimmed || /[\s/\\'"`$;|&<>]/.test(trimmed) || trimmed.startsWith('-'))
    throw new UsageError(`${flag} must be a host name or IP address, got "${value ?? ''}"`);
  return trimmed;
}

export function port(flag: string, value: string | undefined): number {
  if (value === undefined) return 22;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw new UsageError(`${flag} must be a port number from 1 to 65535, got "${value}"`);
  return n;
}

const targetOptions = {
  router: { type: 'string' },
  port: { type: 'string' },
  user: { type: 'string' },
  identity: { type: 'string' },
  'known-hosts': { type: 'string' },
  'accept-new-host-key': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const planOptions = {
  ...targetOptions,
  intent: { type: 'string' },
  home: { type: 'string' },
  'home-port': { type: 'string' },
  'home-user': { type: 'string' },
  'home-identity': { type: 'string' },
  'rollback-s': { type: 'string' },
  'install-packages': { type: 'boolean' },
} as const;

type PlanValues = ReturnType<typeof parsePlanArgs>['values'];

function parsePlanArgs(args: string[]) {
  return parseArgs({ args, options: planOptions, strict: true, allowPositionals: false });
}

function routerTarget(values: PlanValues): SetupSshTarget {
  if (!values.router)
    throw new UsageError(
      "--router HOST is required (the travel router's address, e.g. 192.168.8.1)",
    );
  return {
    host: host('--router', values.router),
    port: port('--port', values.port),
    user: values.user ?? 'root',
    ...(values.identity ? { identityFile: values.identity } : {}),
    ...(values['known-hosts'] ? { knownHostsFile: values['known-hosts'] } : {}),
    acceptNewHostKey: values['accept-new-host-key'] ?? false,
  };
}

/** Reads and shape-checks the intent file; a problem is one line naming the field and the fix. */
async function intentFrom(file: string | undefined): Promise<Result<SetupPlanRequest['intent']>> {
  if (!file) throw new UsageError('--intent FILE is required (the setup intent as JSON)');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return {
      ok: false,
      error: appError('invalid-request', `Cannot read ${file}: ${(error as Error).message}`, {
        field: 'intent',
        fix: 'Pass the path of the intent JSON file.',
      }),
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      error: appError('invalid-request', `${file} is not JSON: ${(error as Error).message}`, {
        field: 'intent',
        fix: 'Check the file for a missing comma or quote.',
      }),
    };
  }
  const read = readIntent(json);
  if (read.kind === 'invalid')
    return {
      ok: false,
      error: appError('invalid-request', `${read.error.field}: ${read.error.message}`, {
        field: read.error.field,
        fix: read.error.fix,
      }),
    };
  return { ok: true, value: read.intent };
}

function planRequest(values: PlanValues, intent: SetupPlanRequest['intent']): SetupPlanRequest {
  const router = routerTarget(values);
  if (values['home-identity'] && !values.home)
    throw new UsageError('--home-identity needs --home HOST');
  return {
    router,
    ...(values.home
      ? {
          home: {
            host: host('--home', values.home),
            port: port('--home-port', values['home-port']),
            user: values['home-user'] ?? 'root',
            ...(values['home-identity'] ? { identityFile: values['home-identity'] } : {}),
            ...(router.knownHostsFile ? { knownHostsFile: router.knownHostsFile } : {}),
            acceptNewHostKey: router.acceptNewHostKey,
          },
        }
      : {}),
    intent,
  };
}

function error(output: Output, json: boolean, e: AppError): number {
  printError(output, json, setupSchema, e);
  return 2;
}

export function formatPlan(plan: SetupPlanView): string {
  const lines: string[] = ['MTU:', ...plan.mtu.arithmetic.map((a) => `  ${a}`), ''];
  for (const [name, end] of [
    ['Travel router', plan.router],
    ['Home router', plan.home],
  ] as const) {
    if (end.previews.length === 0) continue;
    lines.push(`${name}:`);
    for (const p of end.previews)
      lines.push(p.unified ? p.unified.replace(/\n$/, '') : `  /etc/config/${p.config}: no change`);
    lines.push(`  then: ${end.reloads.join('; ')}`, '');
  }
  if (plan.router.packagesToInstall.length > 0)
    lines.push(
      `Packages to install on the router: ${plan.router.packagesToInstall.join(' ')}`,
      `  (${plan.router.installCommand ?? ''}; apply --install-packages does it)`,
      '',
    );
  if (plan.routerAddressAfter)
    lines.push(`The router's LAN address becomes ${plan.routerAddressAfter}.`, '');
  for (const note of plan.notes.filter((n) => !plan.mtu.arithmetic.includes(n)))
    lines.push(`Note: ${note}`);
  if (plan.homePaste)
    lines.push('', 'Home router (no SSH access given): paste this there', plan.homePaste);
  return lines.join('\n');
}

/** Progress for a terminal or a log: every step, the countdown once per 10 s and near the end. */
export function progressPrinter(output: Output): (p: SetupProgress) => void {
  const lastShown = new Map<string, number>();
  return (p) => {
    if (p.kind !== 'countdown') {
      output.err(`${p.end}: ${p.message}`);
      return;
    }
    const last = lastShown.get(p.end);
    const due =
      last === undefined ||
      Math.floor(p.secondsLeft / 10) < Math.floor(last / 10) ||
      (p.secondsLeft <= 5 && p.secondsLeft < last);
    if (!due) return;
    lastShown.set(p.end, p.secondsLeft);
    output.err(`${p.end}: rollback in ${p.secondsLeft} s unless confirmed`);
  };
}

async function runPlan(args: string[], deps: SetupCliDeps): Promise<number> {
  const { values } = parsePlanArgs(args);
  if (values.help) return (deps.output.out(setupUsage), 0);
  const json = values.json ?? false;
  const intent = await intentFrom(values.intent);
  if (!intent.ok) return error(deps.output, json, intent.error);
  const result = await deps.plan(planRequest(values, intent.value));
  if (!result.ok) return error(deps.output, json, result.error);
  deps.output.out(json ? JSON.stringify(result.value, null, 2) : formatPlan(result.value));
  return 0;
}

async function runApply(args: string[], deps: SetupCliDeps): Promise<number> {
  const { values } = parsePlanArgs(args);
  if (values.help) return (deps.output.out(setupUsage), 0);
  const json = values.json ?? false;
  const rollbackText = values['rollback-s'] ?? '120';
  const rollbackS = Number(rollbackText);
  if (!Number.isInteger(rollbackS) || rollbackS < 10 || rollbackS > 3600)
    throw new UsageError(`--rollback-s must be 10 to 3600 seconds, got "${rollbackText}"`);
  const intent = await intentFrom(values.intent);
  if (!intent.ok) return error(deps.output, json, intent.error);
  const request: SetupApplyRequest = {
    ...planRequest(values, intent.value),
    rollbackS,
    installPackages: values['install-packages'] ?? false,
  };
  const result = await deps.apply(request, progressPrinter(deps.output));
  if (!result.ok) return error(deps.output, json, result.error);
  const report = result.value;
  if (json) deps.output.out(JSON.stringify(report, null, 2));
  else {
    for (const end of report.ends) deps.output.out(`${end.end}: ${end.outcome}: ${end.message}`);
    if (report.packages.installed.length > 0)
      deps.output.out(`Installed: ${report.packages.installed.join(' ')}`);
    if (report.packages.missing.length > 0)
      deps.output.out(`Not installed: ${report.packages.missing.join(' ')}`);
    if (report.homePaste)
      deps.output.out(`\nHome router (no SSH access given): paste this there\n${report.homePaste}`);
  }
  return report.outcome === 'applied' || report.outcome === 'unchanged' ? 0 : 1;
}

async function runSignIn(args: string[], deps: SetupCliDeps): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      ...targetOptions,
      'password-file': { type: 'string' },
      'password-stdin': { type: 'boolean' },
    },
  });
  if (values.help) return (deps.output.out(setupUsage), 0);
  const json = values.json ?? false;
  if (values.identity)
    throw new UsageError('sign-in uses the password; --identity is for plan/apply');
  if (Boolean(values['password-file']) === Boolean(values['password-stdin']))
    throw new UsageError(
      'give the password with exactly one of --password-file FILE or --password-stdin',
    );
  const target = routerTarget(values);
  let password: string;
  try {
    const raw = values['password-file']
      ? await readFile(values['password-file'], 'utf8')
      : await deps.readStdin();
    // The first line is the password, as `echo pw | ...` or a one-line file gives it.
    password = raw.split(/\r?\n/)[0] ?? '';
  } catch (e) {
    return error(
      deps.output,
      json,
      appError('invalid-request', `Cannot read the password: ${(e as Error).message}`, {
        field: 'password',
        fix: 'Pass a readable --password-file, or pipe it to --password-stdin.',
      }),
    );
  }
  const result = await deps.signIn({
    host: target.host,
    port: target.port,
    user: target.user,
    password,
    ...(target.knownHostsFile ? { knownHostsFile: target.knownHostsFile } : {}),
    acceptNewHostKey: target.acceptNewHostKey,
  });
  if (!result.ok) return error(deps.output, json, result.error);
  const r = result.value;
  if (json) deps.output.out(JSON.stringify(r, null, 2));
  else
    deps.output.out(
      [
        `Signed in to ${r.host} (host key ${r.hostKeyFingerprint}).`,
        `Homeward's key ${r.publicKeyFingerprint} is ${r.keyAdded ? 'now' : 'already'} in ${r.authorizedKeysPath} on the router.`,
        `Its private key is stored at ${r.keyPath} (readable only by you). The password was not kept.`,
        r.keyLoginVerified
          ? 'Signing in with the key alone works: later runs need no password.'
          : 'Warning: signing in with the key alone did not work; the router may not read that file.',
      ].join('\n'),
    );
  return r.keyLoginVerified ? 0 : 1;
}

async function runIntent(args: string[], deps: SetupCliDeps): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      'from-wg-quick': { type: 'string' },
      ssid: { type: 'string' },
      password: { type: 'string' },
      'l2-ssid': { type: 'string' },
      'l2-password': { type: 'string' },
      band: { type: 'string' },
      width: { type: 'string' },
      encryption: { type: 'string' },
      name: { type: 'string' },
      'home-name': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return (deps.output.out(setupUsage), 0);
  const file = values['from-wg-quick'];
  if (!file) throw new UsageError('--from-wg-quick FILE is required');
  for (const flag of ['ssid', 'password', 'l2-ssid', 'l2-password'] as const)
    if (values[flag] === undefined) throw new UsageError(`--${flag} is required`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  const parsed = parseWgQuick(text);
  if (parsed.kind === 'error') {
    deps.output.err(`homeward: ${file}: ${parsed.message} (${parsed.fix})`);
    return 2;
  }
  const spec = (ssid: string, password: string): WifiSpec => ({
    ssid,
    password,
    band: (values.band ?? '5g') as WifiSpec['band'],
    widthMhz: Number(values.width ?? '80') as WifiSpec['widthMhz'],
    encryption: (values.encryption ?? 'sae-mixed') as WifiSpec['encryption'],
  });
  const result = intentFromWgQuick(parsed.config, {
    travelPublicKey: wireguardPublicKey(parsed.config.privateKey) ?? '',
    wifi: {
      l3: spec(values.ssid ?? '', values.password ?? ''),
      l2: spec(values['l2-ssid'] ?? '', values['l2-password'] ?? ''),
    },
    ...(values.name ? { travelName: values.name } : {}),
    ...(values['home-name'] ? { homeName: values['home-name'] } : {}),
  });
  if (result.kind === 'error') {
    deps.output.err(`homeward: ${file}: ${result.message} (${result.fix})`);
    return 2;
  }
  // The flags are checked like an intent file would be: the first bad field, with the fix.
  const shape = readIntent(JSON.parse(JSON.stringify(result.intent)));
  const problem = shape.kind === 'invalid' ? shape.error : validateIntent(result.intent)[0];
  if (problem) {
    deps.output.err(`homeward: ${problem.field}: ${problem.message} (${problem.fix})`);
    return 2;
  }
  deps.output.out(JSON.stringify(result.intent, null, 2));
  for (const a of result.assumptions) deps.output.err(`homeward: assumed ${a}`);
  return 0;
}

export async function runSetupCommand(args: string[], deps: SetupCliDeps): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'plan':
      return runPlan(rest, deps);
    case 'apply':
      return runApply(rest, deps);
    case 'sign-in':
      return runSignIn(rest, deps);
    case 'intent':
      return runIntent(rest, deps);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      deps.output.out(setupUsage);
      return sub === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown setup command "${sub}"; use plan, apply, sign-in or intent`);
  }
}
