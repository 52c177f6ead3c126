import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { heredocDelimiter, homePasteText } from './home-paste';
import { planSetup } from './plan-setup';
import type { SetupPlan } from './plan-setup';
import { seedIntent } from './seed-intent.test-support';

const router = { configs: {}, packageManager: 'opkg' as const, installedPackages: [] };

function plan(intent = seedIntent): SetupPlan {
  // The router part needs its configs; a minimal wireless with a 5 GHz radio is enough here.
  const wireless = {
    sections: [{ type: 'wifi-device', name: 'radio0', options: [{ name: 'band', value: '5g' }] }],
  };
  const result = planSetup(intent, {
    ...router,
    configs: { network: { sections: [] }, wireless, firewall: { sections: [] } },
  });
  if (result.kind !== 'ok') throw new Error(JSON.stringify(result));
  return result.plan;
}

/** Runs the paste text's heredoc under a shell with a fake `uci` that records its stdin. */
function feedToShell(text: string, shell: string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'homeward-paste-'));
  try {
    const got = path.join(dir, 'got');
    writeFileSync(path.join(dir, 'uci'), `#!/bin/sh\ncat > ${got}\n`, { mode: 0o755 });
    // Only up to the delimiter: the reload lines would act on this machine.
    const lines = text.split('\n');
    const start = lines.findIndex((l) => l.startsWith('uci batch <<'));
    const delimiter = /<<'([^']+)'/.exec(lines[start] ?? '')?.[1] ?? '';
    const end = lines.indexOf(delimiter, start + 1);
    const script = lines.slice(0, end + 1).join('\n') + '\n';
    const [cmd = 'sh', ...args] = shell;
    const r = spawnSync(cmd, [...args, '-c', script], {
      env: { PATH: `${dir}:/usr/bin:/bin` },
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    return readFileSync(got, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('homePasteText', () => {
  it('wraps the home batch in a quoted heredoc, with the reloads and LuCI steps', () => {
    const p = plan();
    const text = homePasteText(p);
    expect(text).toContain("uci batch <<'HOMEWARD_UCI_END'\n");
    expect(text).toContain('/etc/init.d/network reload\n/etc/init.d/dnsmasq reload');
    expect(text).toContain('Public Key xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=');
    expect(text).toContain('DHCP-Options: add 26,1370');
    for (const shell of [['busybox', 'ash'], ['sh']])
      expect(feedToShell(text, shell)).toBe(p.home.batch);
  });

  it('keeps $(), backticks and quotes inert and picks a delimiter no line equals', () => {
    const p = plan();
    const nasty = 'x$(touch /tmp/pwned)`id`\'"\nHOMEWARD_UCI_END\nHOMEWARD_UCI_END_1\n';
    const batch = `${p.home.batch}set network.@wireguard_wg0[-1].description='${nasty.replaceAll("'", "'\\''")}'\n`;
    const withNasty: SetupPlan = { ...p, home: { ...p.home, batch } };
    expect(heredocDelimiter(batch)).toBe('HOMEWARD_UCI_END_2');
    const text = homePasteText(withNasty);
    expect(feedToShell(text, ['busybox', 'ash'])).toBe(batch);
  });

  it('says so when home needs nothing', () => {
    const p = plan();
    expect(homePasteText({ ...p, home: { ...p.home, changes: [], batch: '' } })).toMatch(
      /needs no changes/,
    );
  });
});
