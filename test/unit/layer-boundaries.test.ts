import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Proves the lint rules catch layer violations (lint runs over the whole tree in `npm test`;
// this shows a violation would fail it). The text is linted as if it lived at an existing path.
const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports')
    .map((m) => m.message);
}

describe('layer boundaries', () => {
  it.each([
    'node:fs',
    'electron',
    'ssh2',
    'execa',
    'systeminformation',
    '../adapters/system/local-network',
  ])(
    'core may not import %s',
    async (specifier) => {
      const messages = await restrictedImports(
        'src/main/core/local-network.ts',
        `import * as x from '${specifier}';\nexport const y = x;\n`,
      );
      expect(messages.join('\n')).toContain('core is pure');
    },
    30_000,
  );
  it('core may import shared', async () => {
    const messages = await restrictedImports(
      'src/main/core/local-network.ts',
      `import { ok } from '../../shared/result';\nexport const y = ok(1);\n`,
    );
    expect(messages).toEqual([]);
  }, 30_000);
  it('the renderer may not import node or main code', async () => {
    for (const specifier of ['node:path', 'electron', '../main/services/index']) {
      const messages = await restrictedImports(
        'src/renderer/lib/api.ts',
        `import * as x from '${specifier}';\nexport const y = x;\n`,
      );
      expect(messages.join('\n')).toContain('renderer draws and asks');
    }
  }, 60_000);
});
