// opkg on a lab node: lists the scenario's packages; there is no feed to install from.
import { labInfo } from '../node/config';
import { exitQuietlyOnEpipe } from '../node/sh';

function main(argv: string[]): number {
  const info = labInfo();
  const args = argv.filter((a) => !a.startsWith('-'));
  const cmd = args[0] ?? '';
  if (cmd === 'list-installed') {
    const pattern = args[1];
    for (const p of info.packages) {
      if (pattern === undefined || globMatch(pattern, p.name))
        process.stdout.write(`${p.name} - ${p.version}\n`);
    }
    return 0;
  }
  if (cmd === 'status' || cmd === 'info') {
    const p = info.packages.find((x) => x.name === args[1]);
    if (p !== undefined)
      process.stdout.write(
        `Package: ${p.name}\nVersion: ${p.version}\nStatus: install user installed\n\n`,
      );
    return 0;
  }
  if (cmd === 'update' || cmd === 'install') {
    process.stderr.write(`Collected errors:\n * opkg_download: the lab has no package feed\n`);
    return 255;
  }
  process.stderr.write('usage: opkg [options...] sub-command [arguments...]\n');
  return 1;
}

function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return re.test(name);
}

exitQuietlyOnEpipe();
process.exitCode = main(process.argv.slice(2));
