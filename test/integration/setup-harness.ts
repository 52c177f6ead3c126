import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SetupIntent } from '../../src/shared/setup';
import type { SetupApplyReport } from '../../src/shared/setup-run';
import type { Lab } from '../lab/index';
import { projectRoot, spawnCli } from './doctor-harness';

const scenarios = path.join(projectRoot, 'test/lab/scenarios');

function uciOption(file: string, option: string): string {
  const m = new RegExp(`option ${option} '([^']+)'`).exec(readFileSync(file, 'utf8'));
  if (!m?.[1]) throw new Error(`no ${option} in ${file}`);
  return m[1];
}

function wgPubkey(privateKey: string): string {
  const r = spawnSync('wg', ['pubkey'], { input: `${privateKey}\n`, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`wg pubkey: ${r.stderr}`);
  return r.stdout.trim();
}

/**
 * The seed's setup as an intent for the fresh-router lab: home's endpoint and public key from
 * the lab's home config, the travel key pair home already knows (the default scenario's router
 * key), the SSIDs the lab's stations look for.
 */
export function labIntent(): SetupIntent {
  const travelPrivate = uciOption(path.join(scenarios, 'default/router/network'), 'private_key');
  const homePrivate = uciOption(path.join(scenarios, 'fresh-router/home/network'), 'private_key');
  const homePeer = uciOption(path.join(scenarios, 'fresh-router/home/network'), 'public_key');
  const travelPublic = wgPubkey(travelPrivate);
  if (travelPublic !== homePeer) throw new Error('the lab home does not know the travel key');
  return {
    home: {
      endpointHost: 'op1.example.net',
      endpointPort: 51820,
      tunnelAddress: '10.0.31.1/24',
      publicKey: wgPubkey(homePrivate),
      name: 'op1',
      lanCidr: '192.168.35.0/24',
    },
    travel: {
      tunnelAddress: '10.0.31.103/32',
      privateKey: travelPrivate,
      publicKey: travelPublic,
      name: 'JCG_Q30P',
    },
    keepaliveS: 25,
    vxlan: { vid: 8, port: 4789 },
    underlayMtu: 1500,
    wifi: {
      l3: {
        ssid: 'JCG-Q30P',
        password: 'travel-lab-key',
        band: '5g',
        widthMhz: 80,
        encryption: 'psk2',
      },
      l2: {
        ssid: 'Home-L2',
        password: 'home-l2-key',
        band: '5g',
        widthMhz: 80,
        encryption: 'psk2',
      },
    },
    l3Nat: true,
    routeHomeLan: false,
    l2MtuStrategy: 'dhcp-option-26',
  };
}

export function writeIntent(dir: string, intent: SetupIntent, name = 'intent.json'): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(intent, null, 2));
  return file;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  json?: SetupApplyReport & { error?: { kind: string; message: string; field?: string } };
}

/**
 * Runs the built CLI in the laptop namespace; `onStderr` sees progress as it comes (to kill the
 * process at a chosen step).
 */
export async function runCli(
  lab: Lab,
  dataDir: string,
  args: string[],
  options: { timeoutMs?: number; onStderr?: (all: string, kill: () => void) => void } = {},
): Promise<CliRun & { killed: boolean }> {
  const child = spawnCli(lab, dataDir, args);
  let stdout = '';
  let stderr = '';
  let killed = false;
  const kill = () => {
    killed = true;
    child.kill('SIGKILL');
  };
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  const t0 = Date.now();
  child.stderr?.on('data', (d: Buffer) => {
    if (process.env['HOMEWARD_DEBUG_TIMES']) stderr += `[${Date.now() - t0}] `;
    stderr += d.toString('utf8');
    options.onStderr?.(stderr, kill);
  });
  const timer = setTimeout(kill, options.timeoutMs ?? 180_000);
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  clearTimeout(timer);
  let json: CliRun['json'];
  if (args.includes('--json')) {
    try {
      json = JSON.parse(stdout) as CliRun['json'];
    } catch {
      json = undefined;
    }
  }
  return { code, stdout, stderr, killed, ...(json ? { json } : {}) };
}

/** `uci export` of the configs setup touches and staged changes, read in the router node. */
export async function routerExports(lab: Lab): Promise<string> {
  return lab.execOk(
    'router',
    'for c in network wireless firewall dhcp; do uci export $c || exit 1; done; uci changes',
  );
}
