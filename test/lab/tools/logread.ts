// logread on a lab node: the lab's own messages plus the daemons' logs, oldest first.
import { readFileSync, readdirSync } from 'node:fs';
import { exitQuietlyOnEpipe } from '../node/sh';

function main(argv: string[]): number {
  if (argv.includes('-f')) {
    process.stderr.write('logread: -f is not supported by the lab\n');
    return 1;
  }
  const lIdx = argv.indexOf('-l');
  const eIdx = argv.indexOf('-e');
  const limit = lIdx >= 0 ? Number(argv[lIdx + 1]) : undefined;
  const pattern = eIdx >= 0 ? new RegExp(argv[eIdx + 1] ?? '') : undefined;
  let lines: string[] = [];
  let files: string[];
  try {
    files = readdirSync('/tmp/log').sort();
  } catch {
    return 0;
  }
  for (const f of files) {
    const text = readFileSync(`/tmp/log/${f}`, 'utf8');
    const tag = f.replace(/\.log$/, '');
    for (const line of text.split('\n')) {
      if (line === '') continue;
      lines.push(f === 'messages' ? line : `daemon.info ${tag}: ${line}`);
    }
  }
  if (pattern !== undefined) lines = lines.filter((l) => pattern.test(l));
  if (limit !== undefined) lines = lines.slice(-limit);
  process.stdout.write(lines.map((l) => `${l}\n`).join(''));
  return 0;
}

exitQuietlyOnEpipe();
process.exitCode = main(process.argv.slice(2));
