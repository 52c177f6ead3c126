// apk on a lab node (OpenWrt 25+): lists the scenario's packages; there is no repository.
import { readFileSync } from 'node:fs';
import { labInfo } from '../node/config';
import { exitQuietlyOnEpipe } from '../node/sh';

function main(argv: string[]): number {
  const info = labInfo();
  if (argv[0] === 'list' && (argv.includes('--installed') || argv.includes('-I'))) {
    const arch =
      /^DISTRIB_ARCH='([^']*)'/m.exec(readFileSync('/etc/openwrt_release', 'utf8'))?.[1] ??
      'noarch';
    for (const p of info.packages) {
      process.stdout.write(`${p.name}-${p.version} ${arch} {${p.name}} (GPL-2.0) [installed]\n`);
    }
    return 0;
  }
  if (argv[0] === 'info' && argv[1] !== undefined) {
    const p = info.packages.find((x) => x.name === argv[1]);
    if (p === undefined) return 1;
    process.stdout.write(`${p.name}-${p.version} description:\n\n`);
    return 0;
  }
  if (argv[0] === 'add' || argv[0] === 'update') {
    process.stderr.write('ERROR: the lab has no package repository\n');
    return 1;
  }
  process.stderr.write('usage: apk [<OPTIONS>...] COMMAND [<ARGUMENTS>...]\n');
  return 1;
}

exitQuietlyOnEpipe();
process.exitCode = main(process.argv.slice(2));
