// npm run lab -- up [scenario] [--knob=value...] | down [id] | status | shell <node> | exec <node> <cmd...> | ssh <node>
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { cleanStaleLabs, labUnavailableReason, listLabs, scenarioNames, startLab } from './index';
import type { StartOptions } from './index';
import { destroyLab } from './registry';
import type { LabRecord } from './registry';

const USAGE = `usage: npm run lab -- <command>
  up [scenario] [--knob=value ...]   start a lab that stays up (scenarios: ${scenarioNames().join(', ')})
  down [id]                          tear down one lab, or all labs
  status                             list labs and their nodes
  shell <node> [id]                  interactive shell in a node (router, home, inet, laptop, ...)
  exec <node> <command...>           run a command in a node of the newest lab
  ssh <router|home>                  OpenSSH into a node with the lab key, through the laptop
knobs: --vxlanMtu=1500 --l2ClientMtu1500 --underlayMtu=1280 --underlayBlackHole --blockWireguardUdp
       --wireguardPeer=down|wrong-key --homeDhcp=false --rateMbit=50 --delayMs=20 --jitterMs=5 --lossPercent=1`;

function parseKnobs(args: string[]): StartOptions {
  const out: StartOptions & Record<string, unknown> = {};
  for (const a of args) {
    const m = /^--([A-Za-z0-9]+)(?:=(.*))?$/.exec(a);
    if (m?.[1] === undefined) throw new Error(`unknown argument '${a}'\n${USAGE}`);
    const v = m[2];
    out[m[1]] =
      v === undefined || v === 'true'
        ? true
        : v === 'false'
          ? false
          : /^\d+(\.\d+)?$/.test(v)
            ? Number(v)
            : v;
  }
  return out;
}

function pickLab(id?: string): { dir: string; record: LabRecord } {
  const labs = listLabs().filter(
    (l): l is { dir: string; record: LabRecord } => l.record !== undefined,
  );
  const lab =
    id === undefined
      ? labs.sort((a, b) => b.record.startedAt - a.record.startedAt)[0]
      : labs.find((l) => l.record.id === id);
  if (lab === undefined)
    throw new Error(id === undefined ? 'no lab is up (npm run lab -- up)' : `no lab '${id}'`);
  return lab;
}

function nodePid(record: LabRecord, node: string): number {
  const n = record.nodes[node];
  if (n === undefined)
    throw new Error(`no node '${node}' (have: ${Object.keys(record.nodes).join(', ')})`);
  return n.pid;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'up': {
      const scenario = rest[0] !== undefined && !rest[0].startsWith('--') ? rest[0] : 'default';
      const knobs = parseKnobs(rest.filter((a) => a.startsWith('--')));
      const lab = await startLab(scenario, { ...knobs, persistent: true, verbose: true });
      const ssh = await lab.sshTarget('router');
      process.stdout.write(
        `lab ${lab.id} is up (scenario ${scenario}); nodes: ${lab.nodes.join(', ')}\n`,
      );
      process.stdout.write(
        `  shell:  npm run lab -- shell router\n  ssh:    npm run lab -- ssh router   (key ${ssh.keyPath})\n  down:   npm run lab -- down\n`,
      );
      for (const [s, l] of lab.leases)
        process.stdout.write(
          `  ${s}: ${l === undefined ? 'no lease' : `${l.ip}/${l.mask}${l.mtu === undefined ? '' : ` mtu ${l.mtu}`}`}\n`,
        );
      // the ssh proxy belongs to this process; people use `ssh` (ProxyCommand) instead
      process.exit(0);
    }
    // eslint-disable-next-line no-fallthrough
    case 'down': {
      const labs = listLabs();
      const chosen = rest[0] === undefined ? labs : labs.filter((l) => l.record?.id === rest[0]);
      for (const l of chosen) {
        const t0 = Date.now();
        destroyLab(l.dir, l.record);
        process.stdout.write(
          `lab ${l.record?.id ?? l.dir} down in ${((Date.now() - t0) / 1000).toFixed(2)} s\n`,
        );
      }
      return 0;
    }
    case 'status': {
      const cleaned = cleanStaleLabs();
      for (const c of cleaned) process.stdout.write(`cleaned stale lab ${c}\n`);
      const labs = listLabs();
      if (labs.length === 0) process.stdout.write('no lab is up\n');
      for (const l of labs) {
        const r = l.record;
        if (r === undefined) continue;
        process.stdout.write(
          `${r.id}  scenario=${r.scenario}  owner=${r.persistent ? 'cli' : r.ownerPid}  up since ${new Date(r.startedAt).toISOString()}\n`,
        );
        for (const [name, n] of Object.entries(r.nodes))
          process.stdout.write(`  ${name.padEnd(10)} pid ${n.pid}  netns ${n.netns}\n`);
      }
      return 0;
    }
    case 'shell':
    case 'exec': {
      const node = rest[0];
      if (node === undefined) throw new Error(USAGE);
      const { record } = pickLab(cmd === 'shell' ? rest[1] : undefined);
      const pid = nodePid(record, node);
      const openwrt = node === 'router' || node === 'home';
      const shellArgs =
        cmd === 'shell'
          ? openwrt
            ? ['/bin/ash', '-l']
            : ['/bin/bash', '-i']
          : ['/bin/sh', '-c', rest.slice(1).join(' ')];
      const r = spawnSync('nsenter', ['-t', String(pid), '-n', '-m', '-u', '--', ...shellArgs], {
        stdio: 'inherit',
        cwd: '/',
        env: {
          ...process.env,
          PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
          HOME: '/root',
          PS1: `${node}:\\w# `,
        },
      });
      return r.status ?? 1;
    }
    case 'ssh': {
      const node = rest[0];
      if (node !== 'router' && node !== 'home') throw new Error(USAGE);
      const { dir, record } = pickLab();
      const via = node === 'router' ? nodePid(record, 'laptop') : nodePid(record, 'home');
      const host = node === 'router' ? '192.168.8.1' : '127.0.0.1';
      const r = spawnSync(
        'ssh',
        [
          '-i',
          join(dir, 'id_ed25519'),
          '-o',
          `ProxyCommand=nsenter -t ${via} -n -- busybox nc %h %p`,
          '-o',
          'StrictHostKeyChecking=no',
          '-o',
          'UserKnownHostsFile=/dev/null',
          '-o',
          'LogLevel=ERROR',
          `root@${host}`,
          ...rest.slice(1),
        ],
        { stdio: 'inherit' },
      );
      return r.status ?? 1;
    }
    default:
      process.stderr.write(`${USAGE}\n`);
      if (cmd === undefined || cmd === 'help' || cmd === '--help') return 0;
      return 1;
  }
}

const reason = labUnavailableReason();
if (reason !== undefined && process.argv[2] === 'up') {
  process.stderr.write(`lab: cannot start: ${reason}\n`);
  process.exit(1);
}
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
