import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Components stay small: logic lives in .svelte.ts state classes and lib/, a component draws.
// The limit counts every line of the file, styles included.

const renderer = path.resolve(import.meta.dirname, '../../src/renderer');
const limit = 150;

function svelteFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return svelteFiles(full);
    return entry.name.endsWith('.svelte') ? [full] : [];
  });
}

describe('renderer components', () => {
  const files = svelteFiles(renderer);

  it('are found (the scan looks where the components are)', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it.each(files.map((f) => [path.relative(renderer, f), f]))(
    `%s has at most ${limit} lines`,
    (_name, file) => {
      const lines = readFileSync(file, 'utf8').split('\n').length;
      expect(lines).toBeLessThanOrEqual(limit);
    },
  );
});
