import { readFileSync, writeSync } from 'node:fs';
import { runUci } from '../uci/cli';
import { utf8ToLatin1 } from '../uci/parser';

let pending: Buffer[] = [];

function writeAll(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
    }
  }
}

function flush(): void {
  if (pending.length === 0) return;
  writeAll(1, Buffer.concat(pending));
  pending = [];
}

const status = runUci(process.argv.slice(2).map(utf8ToLatin1), {
  readStdin: () => {
    try {
      return readFileSync(0).toString('latin1');
    } catch {
      return '';
    }
  },
  readInputFile: (path) => {
    try {
      return { data: readFileSync(path).toString('latin1') };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return { error: code === 'ENOENT' ? 'No such file or directory' : String(code) };
    }
  },
  stdout: (s) => {
    pending.push(Buffer.from(s, 'latin1'));
  },
  stderr: (s) => {
    flush();
    writeAll(2, Buffer.from(s, 'latin1'));
  },
});
flush();
process.exitCode = status;
