import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectSsh, createMemoryKnownHostsStore } from '../../src/main/adapters/ssh/index';
import type { SshSession } from '../../src/main/adapters/ssh/index';
import { planSetup } from '../../src/main/core/setup/plan-setup';
import type { RouterFacts } from '../../src/main/core/setup/plan-setup';
import { utf8Length } from '../../src/main/core/setup/validate';
import type { UciChange } from '../../src/main/core/uci/changes';
import { toUciBatch } from '../../src/main/core/uci/changes';
import type { UciConfigs } from '../../src/main/core/uci/model';
import { parseUci } from '../../src/main/core/uci/parse';
import type { SetupIntent } from '../../src/shared/setup';
import { describeLab } from '../lab/describe-lab';
import { startLab } from '../lab/index';
import type { Lab } from '../lab/index';
import { labIntent } from './setup-harness';

// 10 000 hostile SSIDs, passwords, peer descriptions and peer names go through planSetup (which
// places them into uci changes), toUciBatch (which quotes them), SSH writeFile and `uci batch`
// with commits on the lab router, and must come back byte for byte from `uci export` and
// `uci get`; none of the embedded commands may run. Plus 1000 free-text values with newlines,
// tabs and CRs, which uci stores but the intent refuses, straight through toUciBatch.

const valuesWanted = 10_000;
const rawWanted = 1_000;
const perConfig = 250;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hostile = [
  "'",
  '"',
  "'\\''",
  '$(touch /tmp/pwned-a)',
  '`touch /tmp/pwned-b`',
  '${IFS}',
  '$HOME',
  '; touch /tmp/pwned-c;',
  "' ; touch /tmp/pwned-d ; '",
  '| sh',
  '&&',
  '\\',
  '\\n',
  '>',
  '<',
  '*',
  '#',
  '~',
  '!',
  '%s',
  '=',
  '.',
  '@@homeward-section@@',
  'HOMEWARD_UCI_END',
  'commit network',
  ' ',
];
const unicode = ['é', '中文', '家', '🚀', 'ß', 'عربى', '\u200b', 'e\u0301', 'Ω', '👩‍💻'];
const plain = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_';
const printableAscii = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)] as T;
}

function piece(rand: () => number, ascii: boolean): string {
  const r = rand();
  if (r < 0.45) return pick(rand, hostile);
  if (r < 0.65 && !ascii) return pick(rand, unicode);
  if (ascii) return pick(rand, [...printableAscii]);
  return pick(rand, [...plain]);
}

/** A value of `piece`s within the limit (bytes for SSIDs, characters otherwise). */
function build(
  rand: () => number,
  fits: (s: string) => boolean,
  min: number,
  ascii = false,
): string {
  let s = '';
  for (let tries = 0; tries < 40; tries++) {
    const next = s + piece(rand, ascii);
    if (fits(next)) s = next;
    else if (s.length >= min) break;
  }
  while (s.length < min) s += pick(rand, [...plain]);
  return s;
}

interface Generated {
  intent: SetupIntent;
  values: { option: string; section: string; config: string; value: string }[];
}

function generate(rand: () => number, base: SetupIntent): Generated {
  const ssid = build(rand, (s) => utf8Length(s) <= 32, 1);
  const password = build(rand, (s) => s.length <= 63, 8, true).slice(0, 63);
  const homeName = build(rand, (s) => s.length <= 64, 1);
  const travelName = build(rand, (s) => s.length <= 64, 1);
  const intent: SetupIntent = {
    ...base,
    home: { ...base.home, name: homeName },
    travel: { ...base.travel, name: travelName },
    wifi: {
      l3: { ...base.wifi.l3, ssid },
      l2: { ...base.wifi.l2, password, ssid: ssid === 'Home-L2' ? 'Home-L2x' : 'Home-L2' },
    },
  };
  return {
    intent,
    values: [
      { config: 'wireless', section: 'default_radio0', option: 'ssid', value: ssid },
      { config: 'wireless', section: 'homeward_l2', option: 'key', value: password },
      { config: 'network', section: '@wireguard_wg0[-1]', option: 'description', value: homeName },
      {
        config: 'home:network',
        section: '@wireguard_wg0[-1]',
        option: 'description',
        value: travelName,
      },
    ],
  };
}

function readConfigs(dir: string): UciConfigs {
  const configs: UciConfigs = {};
  for (const name of readdirSync(dir)) {
    const parsed = parseUci(readFileSync(path.join(dir, name), 'utf8'));
    if (parsed.kind === 'ok') configs[name] = parsed.config;
  }
  return configs;
}

let lab: Lab | undefined;
let session: SshSession | undefined;

describeLab('injection through plan, uci batch and commit on the lab router', () => {
  beforeAll(async () => {
    lab = await startLab('fresh-router');
    const t = await lab.sshTarget('router');
    const known = createMemoryKnownHostsStore();
    const [type = '', blob = ''] = t.knownHostKey.split(' ');
    await known.pin(t.host, t.port, type, blob);
    const connected = await connectSsh({
      host: t.host,
      port: t.port,
      auth: { kind: 'key', privateKey: readFileSync(t.keyPath) },
      knownHosts: known,
    });
    if (!connected.ok) throw new Error(connected.error.message);
    session = connected.value;
  });
  afterAll(async () => {
    await session?.close();
    await lab?.stop();
  });

  it('10 000 planned values and 1000 multi-line ones come back byte for byte; nothing runs', async () => {
    const l = lab!;
    const s = session!;
    const rand = mulberry32(20251125);
    const router: RouterFacts = {
      configs: readConfigs(path.join(l.nodeDir('router'), 'etc', 'config')),
      packageManager: 'opkg',
      installedPackages: [],
    };
    const base = labIntent();
    const expected = new Map<string, string>();
    const changes: UciChange[] = [];
    let n = 0;
    const place = (value: string, option: 'value' | 'raw') => {
      const config = `hwinj${Math.floor(n / perConfig)}`;
      const section = `v${n}`;
      changes.push({ kind: 'set', config, section, value: 'entry' });
      changes.push({ kind: 'set', config, section, option, value });
      expected.set(`${config}.${section}.${option}`, value);
      n += 1;
    };
    while (n < valuesWanted) {
      const { intent, values } = generate(rand, base);
      const planned = planSetup(intent, router);
      if (planned.kind !== 'ok') throw new Error(JSON.stringify(planned).slice(0, 500));
      for (const v of values) {
        const [end, config] = v.config.startsWith('home:')
          ? [planned.plan.home, v.config.slice(5)]
          : [planned.plan.router, v.config];
        // The value must be what the planner itself put into a change.
        const change = end.changes.find(
          (c) =>
            c.config === config &&
            c.section === v.section &&
            'option' in c &&
            c.option === v.option &&
            'value' in c &&
            c.value === v.value,
        );
        expect(change, `${v.config} ${v.section}.${v.option}`).toBeDefined();
        place((change as { value: string }).value, 'value');
      }
    }
    for (let i = 0; i < rawWanted; i++) {
      const lines = Array.from({ length: 1 + Math.floor(rand() * 4) }, () =>
        build(rand, (x) => x.length <= 40, 1),
      );
      place(
        lines.join(pick(rand, ['\n', '\r\n', '\t', '\n\n'])) + pick(rand, ['', '\n', ' ']),
        'raw',
      );
    }
    const configs = [...new Set(changes.map((c) => c.config))];
    await l.execOk('router', `cd /etc/config && touch ${configs.join(' ')}`);

    // Four batches, each thousands of values with their commits, the way apply sends them.
    const quarter = Math.ceil(configs.length / 4);
    for (let b = 0; b < 4; b++) {
      const mine = new Set(configs.slice(b * quarter, (b + 1) * quarter));
      const batch = toUciBatch(
        changes.filter((c) => mine.has(c.config)),
        { commit: true },
      );
      if (batch.kind !== 'ok') throw new Error(batch.message);
      const file = `/tmp/hwinj-${b}.batch`;
      const written = await s.writeFile(file, batch.text, 0o600);
      expect(written.ok).toBe(true);
      const r = await s.exec(`uci batch < ${file}`, { timeoutMs: 120_000 });
      expect(r.stderr, `batch ${b}`).toBe('');
      expect(r.code).toBe(0);
    }

    const exported = await s.exec(configs.map((c) => `uci export ${c}`).join('; '), {
      timeoutMs: 60_000,
    });
    const got = new Map<string, string>();
    for (const text of exported.stdout.split(/^(?=package )/m)) {
      const name = /^package (\S+)/.exec(text)?.[1];
      const parsed = parseUci(text);
      if (!name || parsed.kind !== 'ok') continue;
      for (const section of parsed.config.sections)
        for (const option of section.options)
          got.set(`${name}.${section.name}.${option.name}`, String(option.value));
    }
    expect(got.size).toBe(valuesWanted + rawWanted);
    let mismatches = 0;
    for (const [key, value] of expected) if (got.get(key) !== value) mismatches += 1;
    expect(mismatches).toBe(0);

    // `uci get` on a spread of them (each is a process in the lab, so a sample).
    const keys = [...expected.keys()].filter((_, i) => i % 167 === 0);
    const gets = await s.exec(keys.map((k) => `uci get ${k}; printf '\\001\\n'`).join('; '), {
      timeoutMs: 120_000,
    });
    const answers = gets.stdout.split('\n\u0001\n');
    keys.forEach((k, i) => expect(answers[i], k).toBe(expected.get(k)));
    expect(keys.length).toBeGreaterThan(60);

    // Values such as $(touch /tmp/pwned-a) were stored, never run: on the router or here.
    expect([...expected.values()].some((v) => v.includes('$(touch /tmp/pwned-a)'))).toBe(true);
    expect([...expected.values()].some((v) => v.includes('`touch /tmp/pwned-b`'))).toBe(true);
    expect((await l.exec('router', 'ls /tmp/pwned-* 2>/dev/null')).stdout).toBe('');
    expect(readdirSync('/tmp').filter((f) => f.startsWith('pwned-'))).toEqual([]);
  });
});
