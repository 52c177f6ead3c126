import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

// Layer rules (see ARCHITECTURE.md): core may import only shared; the renderer never imports
// electron or node; shared imports nothing of ours but shared.
const nodeBuiltins = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'child_process',
  'net',
  'http',
  'https',
  'crypto',
  'url',
  'util',
  'stream',
  'events',
  'dgram',
  'dns',
  'tls',
];
const ioLibraries = ['electron', 'ssh2', 'execa', 'systeminformation', 'sql.js', 'ws'];

function restrict(patterns, message) {
  return {
    'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
  };
}

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test/fixtures/**',
      'test/lab/.build/**',
      'test-results/**',
      'playwright-report/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  ...svelte.configs.recommended,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['*.js', '*.mjs', 'bin/*.js', 'scripts/*.mjs', 'test/e2e/*.mjs'],
        },
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.svelte'],
      },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, svelteConfig },
    },
  },
  {
    files: ['src/renderer/**/*.{ts,svelte}'],
    languageOptions: {
      globals: {
        ...globals.browser,
        ...Object.fromEntries(Object.keys(globals.node).map((k) => [k, 'off'])),
      },
    },
    rules: restrict(
      [...nodeBuiltins, ...ioLibraries, '**/main/**', '**/preload/**', '**/cli/**'],
      'The renderer draws and asks through lib/api.ts; it may import only src/renderer and src/shared.',
    ),
  },
  {
    files: ['src/main/core/**/*.ts'],
    ignores: ['src/main/core/**/*.test.ts', 'src/main/core/**/*.test-support.ts'],
    rules: restrict(
      [
        ...nodeBuiltins,
        ...ioLibraries,
        '**/adapters/**',
        '**/services/**',
        '**/host/**',
        '**/electron/**',
        '**/renderer/**',
        '**/cli/**',
      ],
      'core is pure: it may import only src/shared (I/O belongs in src/main/adapters).',
    ),
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: restrict(
      [
        ...nodeBuiltins,
        ...ioLibraries,
        '**/main/**',
        '**/renderer/**',
        '**/preload/**',
        '**/cli/**',
      ],
      'shared is the contract: plain TypeScript seen by every layer.',
    ),
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: restrict(
      [
        ...nodeBuiltins,
        'ssh2',
        'execa',
        'systeminformation',
        'sql.js',
        'ws',
        '**/main/**',
        '**/renderer/**',
        '**/cli/**',
      ],
      'The preload exposes the contract and imports only electron and src/shared.',
    ),
  },
  {
    files: ['test/lab/**/*.ts'],
    rules: restrict(
      ['**/src/**'],
      'The lab is independent of the app: it must not import from src/.',
    ),
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
