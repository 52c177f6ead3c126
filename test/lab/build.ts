import { build } from 'esbuild';
import { chmodSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const LAB_DIR = dirname(fileURLToPath(import.meta.url));
const OUT_DIR = join(LAB_DIR, '.build');
const BIN_DIR = join(OUT_DIR, 'bin');
const TOOLS_DIR = join(LAB_DIR, 'tools');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === '.build' || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function mtime(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

function writeAtomic(path: string, content: string | Uint8Array, mode: number): void {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, content, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, path);
}

/**
 * Bundles every test/lab/tools/*.ts into .build/<name>.mjs with a sh wrapper in .build/bin/<name>
 * (one node process per call, no tsx). Skips the work when all outputs are newer than every lab
 * source; concurrent callers each write temp files and rename, so readers never see half a file.
 */
export async function buildLabTools(): Promise<string> {
  const tools = readdirSync(TOOLS_DIR)
    .filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts') && !n.endsWith('.d.ts'))
    .map((n) => n.slice(0, -3));
  const newest = newestSource(LAB_DIR);
  const stale = tools.filter((name) => {
    const js = mtime(join(OUT_DIR, `${name}.mjs`));
    const bin = mtime(join(BIN_DIR, name));
    return js === undefined || bin === undefined || js < newest || bin < newest;
  });
  if (stale.length === 0) return BIN_DIR;
  mkdirSync(BIN_DIR, { recursive: true });
  for (const name of stale) {
    const result = await build({
      entryPoints: [join(TOOLS_DIR, `${name}.ts`)],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      logLevel: 'silent',
    });
    const out = result.outputFiles[0];
    if (!out) throw new Error(`esbuild produced no output for ${name}`);
    const js = resolve(OUT_DIR, `${name}.mjs`);
    writeAtomic(js, out.contents, 0o644);
    writeAtomic(join(BIN_DIR, name), `#!/bin/sh\nexec node ${shellQuote(js)} "$@"\n`, 0o755);
  }
  return BIN_DIR;
}

function shellQuote(s: string): string {
  return `'${s.split("'").join("'\\''")}'`;
}
