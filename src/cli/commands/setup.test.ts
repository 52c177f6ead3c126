import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedIntent } from '../../main/core/setup/seed-intent.test-support';
import { ok } from '../../shared/result';
import type { SetupApplyReport, SetupApplyRequest, SetupPlanView } from '../../shared/setup-run';
import { main } from '../index';
import type { Output } from '../output';
import { captureOutput } from '../output.test-support';
import { runSetupCommand } from './setup';
import type { SetupCliDeps } from './setup';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'homeward-setup-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const planView = { schema: 'homeward.setup/1' } as unknown as SetupPlanView;

function deps(output: Output, seen: { apply?: SetupApplyRequest } = {}): SetupCliDeps {
  return {
    output,
    plan: () => Promise.resolve(ok(planView)),
    apply: (request, onProgress) => {
      seen.apply = request;
      onProgress({ kind: 'countdown', end: 'router', secondsLeft: 57 });
      onProgress({ kind: 'countdown', end: 'router', secondsLeft: 56 });
      onProgress({ kind: 'countdown', end: 'router', secondsLeft: 49 });
      return Promise.resolve(
        ok({
          schema: 'homeward.setup/1',
          outcome: 'rolled-back',
          ends: [{ end: 'router', outcome: 'rolled-back', verified: true, message: 'back' }],
          packages: { installed: [], missing: [] },
          plan: planView,
          durationMs: 1,
        } satisfies SetupApplyReport),
      );
    },
    signIn: () => Promise.reject(new Error('not called')),
    readStdin: () => Promise.resolve(''),
  };
}

function intentFile(mutate: (i: Record<string, unknown>) => void = () => undefined): string {
  const value = JSON.parse(JSON.stringify(seedIntent)) as Record<string, unknown>;
  mutate(value);
  const file = path.join(dir, 'intent.json');
  writeFileSync(file, JSON.stringify(value));
  return file;
}

describe('homeward setup', () => {
  it('a bad intent field: exit 2 and one line naming the field and the fix', async () => {
    const out = captureOutput();
    const file = intentFile((i) => ((i['home'] as Record<string, unknown>)['endpointPort'] = '1'));
    const code = await runSetupCommand(
      ['plan', '--router', '192.168.8.1', '--intent', file],
      deps(out.output),
    );
    expect(code).toBe(2);
    expect(out.errText.trim().split('\n')).toHaveLength(1);
    expect(out.errText).toMatch(
      /^homeward: home\.endpointPort: .*number.*\(Write it without quotes/,
    );
  });

  it('not JSON, and --json errors carry the schema and the field', async () => {
    const out = captureOutput();
    const file = path.join(dir, 'broken.json');
    writeFileSync(file, '{"home": ');
    const code = await runSetupCommand(
      ['apply', '--router', '192.168.8.1', '--intent', file, '--json'],
      deps(out.output),
    );
    expect(code).toBe(2);
    const json = JSON.parse(out.outText) as { schema: string; error: { field: string } };
    expect(json.schema).toBe('homeward.setup/1');
    expect(json.error.field).toBe('intent');
  });

  it('apply: passes the rollback time and flags, prints the countdown sparsely, exit 1 on rollback', async () => {
    const out = captureOutput();
    const seen: { apply?: SetupApplyRequest } = {};
    const code = await runSetupCommand(
      [
        'apply',
        '--router',
        '192.168.8.1',
        '--intent',
        intentFile(),
        '--rollback-s',
        '30',
        '--install-packages',
        '--home',
        'op1.example.net',
      ],
      deps(out.output, seen),
    );
    expect(code).toBe(1);
    expect(seen.apply).toMatchObject({
      rollbackS: 30,
      installPackages: true,
      router: { host: '192.168.8.1', port: 22, user: 'root', acceptNewHostKey: false },
      home: { host: 'op1.example.net', port: 22 },
    });
    expect(out.errText).toBe(
      'router: rollback in 57 s unless confirmed\nrouter: rollback in 49 s unless confirmed\n',
    );
    expect(out.outText).toContain('router: rolled-back: back');
  });

  it('intent --from-wg-quick prints a valid intent, and names a bad flag', async () => {
    const conf = path.join(dir, 'travel.conf');
    writeFileSync(
      conf,
      '[Interface]\nPrivateKey = qEuEziAbXbNunPl/6aKW+o7gVwJimNxkRu4nkYrz2mY=\nAddress = 10.0.31.103/32\n\n[Peer]\nPublicKey = J87v/m+3q6k1wANdC2b5KJX/8VPGKYUSmWSvwu2hOUk=\nAllowedIPs = 10.0.31.1/32\nEndpoint = op1.example.net:51820\nPersistentKeepalive = 25\n',
    );
    const wifi = ['--ssid', 'JCG-Q30P', '--password', 'travel-lab-key', '--l2-ssid', 'Home-L2'];
    const out = captureOutput();
    const code = await runSetupCommand(
      ['intent', '--from-wg-quick', conf, ...wifi, '--l2-password', 'home-l2-key'],
      deps(out.output),
    );
    expect(code, out.errText).toBe(0);
    const intent = JSON.parse(out.outText) as typeof seedIntent;
    expect(intent.travel.publicKey).toBe('M70ezPWgbT8GgoSWL3PyuPQ5MegnE6xlHnTWVxSIxVg=');
    expect(intent.home).toMatchObject({
      endpointHost: 'op1.example.net',
      tunnelAddress: '10.0.31.1/24',
    });
    expect(out.errText).toContain('assumed');
    const bad = captureOutput();
    expect(
      await runSetupCommand(
        ['intent', '--from-wg-quick', conf, ...wifi, '--l2-password', 'short'],
        deps(bad.output),
      ),
    ).toBe(2);
    expect(bad.errText).toMatch(/^homeward: wifi\.l2\.password: /);
  });

  it('usage errors exit 2 through main', async () => {
    const out = captureOutput();
    expect(await main(['setup', 'apply', '--intent', intentFile()], { output: out.output })).toBe(
      2,
    );
    expect(out.errText).toContain('--router HOST is required');
    expect(
      await main(['setup', 'apply', '--router', 'r', '--intent', 'x', '--rollback-s', '5'], {
        output: out.output,
      }),
    ).toBe(2);
    expect(out.errText).toContain('--rollback-s must be 10 to 3600');
    expect(await main(['setup', 'sign-in', '--router', 'r'], { output: out.output })).toBe(2);
    expect(out.errText).toContain('--password-file FILE or --password-stdin');
    expect(await main(['setup', 'frobnicate'], { output: out.output })).toBe(2);
  });
});
