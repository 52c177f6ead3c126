import { parseArgs } from 'node:util';
import type { AppError } from '../../shared/errors';
import { fixSchema } from '../../shared/remedy';
import type {
  FixApplyReport,
  FixApplyRequest,
  FixPlanRequest,
  FixPlanView,
  Remedy,
} from '../../shared/remedy';
import type { Result } from '../../shared/result';
import type { SetupProgress, SetupSshTarget } from '../../shared/setup-run';
import type { Output } from '../output';
import { printError, UsageError } from '../output';
import { host, port, progressPrinter } from './setup';

export const fixUsage = `Usage: homeward fix <plan|apply> --remedy KIND [values] (--router HOST | --home HOST) [options]

  Applies a finding's fix the way setup applies a plan: the end's /etc/config is saved, a
  rollback is armed, the change is written with uci batch and confirmed once Homeward reaches
  the router again. The doctor's JSON names each fixable finding's remedy ("remedy": {...}).

  homeward fix plan  --remedy home-dhcp-mtu --mtu 1370 [--home HOST]
      Home's DHCP offers MTU 1370 (option 26) to its LAN and so to the bridged SSID
      (mtu.l2-black-hole). Without --home the change is printed as text to paste at home.
  homeward fix apply --remedy router-wifi-width --radio radio1 --htmode HE80 --router HOST
      The travel router's radio to a wider channel (wifi.narrow-channel).

  --router HOST / --home HOST   SSH access to the end the remedy changes
  --port N / --user NAME        for that end (22 / root)
  --identity FILE               private key (default: Homeward's key from sign-in, else the agent)
  --known-hosts FILE            pinned host keys (default: Homeward's own store)
  --accept-new-host-key         pin the host's key on first use
  --rollback-s N                seconds before the router undoes an unconfirmed apply (120)
  --json                        one JSON object (schema ${fixSchema})

Exit code: 0 applied and confirmed (or nothing to change), 1 rolled back, 2 usage or connection error.`;

export interface FixCliDeps {
  output: Output;
  plan(request: FixPlanRequest): Promise<Result<FixPlanView, AppError>>;
  apply(
    request: FixApplyRequest,
    onProgress: (p: SetupProgress) => void,
  ): Promise<Result<FixApplyReport, AppError>>;
}

const options = {
  remedy: { type: 'string' },
  mtu: { type: 'string' },
  radio: { type: 'string' },
  htmode: { type: 'string' },
  router: { type: 'string' },
  home: { type: 'string' },
  port: { type: 'string' },
  user: { type: 'string' },
  identity: { type: 'string' },
  'known-hosts': { type: 'string' },
  'accept-new-host-key': { type: 'boolean' },
  'rollback-s': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parse>['values'];

function parse(args: string[]) {
  return parseArgs({ args, options, strict: true, allowPositionals: false });
}

function remedyFrom(values: Values): Remedy {
  switch (values.remedy) {
    case 'home-dhcp-mtu': {
      const mtu = Number(values.mtu);
      if (values.mtu === undefined || !Number.isInteger(mtu))
        throw new UsageError(
          '--mtu N is required for home-dhcp-mtu (the L2 path MTU the doctor measured, e.g. 1370)',
        );
      return { kind: 'home-dhcp-mtu', end: 'home', mtu };
    }
    case 'router-wifi-width':
      if (!values.radio || !values.htmode)
        throw new UsageError(
          'router-wifi-width needs --radio NAME and --htmode MODE (e.g. radio1 HE80)',
        );
      return {
        kind: 'router-wifi-width',
        end: 'router',
        radio: values.radio,
        htmode: values.htmode,
      };
    case undefined:
      throw new UsageError('--remedy KIND is required: home-dhcp-mtu or router-wifi-width');
    default:
      throw new UsageError(
        `unknown remedy "${values.remedy}"; use home-dhcp-mtu or router-wifi-width`,
      );
  }
}

function request(values: Values): FixPlanRequest {
  const remedy = remedyFrom(values);
  const other = remedy.end === 'home' ? 'router' : 'home';
  if (values[other])
    throw new UsageError(
      `${remedy.kind} changes the ${remedy.end === 'home' ? 'home router' : 'travel router'}: use --${remedy.end}, not --${other}`,
    );
  const address = values[remedy.end];
  if (!address) {
    if (remedy.end === 'router')
      throw new UsageError("--router HOST is required (the travel router's address)");
    return { remedy };
  }
  const target: SetupSshTarget = {
    host: host(`--${remedy.end}`, address),
    port: port('--port', values.port),
    user: values.user ?? 'root',
    ...(values.identity ? { identityFile: values.identity } : {}),
    ...(values['known-hosts'] ? { knownHostsFile: values['known-hosts'] } : {}),
    acceptNewHostKey: values['accept-new-host-key'] ?? false,
  };
  return { remedy, [remedy.end]: target };
}

/** The `homeward fix apply` line that applies a finding's remedy (the doctor prints it). */
export function fixCommandLine(remedy: Remedy, routerHost?: string): string {
  const values =
    remedy.kind === 'home-dhcp-mtu'
      ? `--mtu ${remedy.mtu} --home HOME`
      : `--radio ${remedy.radio} --htmode ${remedy.htmode} --router ${routerHost ?? 'ROUTER'}`;
  return `homeward fix apply --remedy ${remedy.kind} ${values}`;
}

export function formatFixPlan(plan: FixPlanView): string {
  const lines: string[] = [];
  for (const p of plan.view.previews)
    lines.push(p.unified ? p.unified.replace(/\n$/, '') : `/etc/config/${p.config}: no change`);
  if (plan.view.previews.length > 0) lines.push(`then: ${plan.view.reloads.join('; ')}`, '');
  for (const note of plan.notes) lines.push(`Note: ${note}`);
  if (plan.paste) lines.push('', 'Home router (no SSH access given): paste this there', plan.paste);
  return lines.join('\n');
}

function error(output: Output, json: boolean, e: AppError): number {
  printError(output, json, fixSchema, e);
  return 2;
}

export async function runFixCommand(args: string[], deps: FixCliDeps): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === 'help' || sub === '-h' || sub === '--help') {
    deps.output.out(fixUsage);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'plan' && sub !== 'apply')
    throw new UsageError(`unknown fix command "${sub}"; use plan or apply`);
  const { values } = parse(rest);
  if (values.help) return (deps.output.out(fixUsage), 0);
  const json = values.json ?? false;
  const base = request(values);
  if (sub === 'plan') {
    const result = await deps.plan(base);
    if (!result.ok) return error(deps.output, json, result.error);
    deps.output.out(json ? JSON.stringify(result.value, null, 2) : formatFixPlan(result.value));
    return 0;
  }
  const rollbackText = values['rollback-s'] ?? '120';
  const rollbackS = Number(rollbackText);
  if (!Number.isInteger(rollbackS) || rollbackS < 10 || rollbackS > 3600)
    throw new UsageError(`--rollback-s must be 10 to 3600 seconds, got "${rollbackText}"`);
  if (!base.home && !base.router)
    throw new UsageError(
      'apply needs --home HOST for this remedy (or run "fix plan" without it and paste the text)',
    );
  const result = await deps.apply({ ...base, rollbackS }, progressPrinter(deps.output));
  if (!result.ok) return error(deps.output, json, result.error);
  const report = result.value;
  if (json) deps.output.out(JSON.stringify(report, null, 2));
  else for (const end of report.ends) deps.output.out(`${end.end}: ${end.outcome}: ${end.message}`);
  return report.outcome === 'applied' || report.outcome === 'unchanged' ? 0 : 1;
}
