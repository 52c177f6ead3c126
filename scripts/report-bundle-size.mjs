// Prints the initial renderer JS size (gzip) after a build, and fails past the budget.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const budgetKb = 250;
const rendererDir = 'out/renderer';
const html = readFileSync(path.join(rendererDir, 'index.html'), 'utf8');
const scripts = [...html.matchAll(/<script[^>]+src="\.?\/?([^"]+)"/g)].map((m) => m[1]);
const preloads = [...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\.?\/?([^"]+)"/g)].map(
  (m) => m[1],
);
let total = 0;
for (const file of [...scripts, ...preloads])
  total += gzipSync(readFileSync(path.join(rendererDir, file))).length;
const kb = total / 1024;
const all = readdirSync(path.join(rendererDir, 'assets')).filter((f) => f.endsWith('.js')).length;
console.log(
  `renderer: initial JS ${kb.toFixed(1)} KB gzip (budget ${budgetKb} KB), ${all} JS chunk(s) in all`,
);
if (kb > budgetKb) {
  console.error(`renderer: initial JS exceeds the ${budgetKb} KB gzip budget`);
  process.exit(1);
}
