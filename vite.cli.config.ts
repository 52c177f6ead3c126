import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import pkg from './package.json' with { type: 'json' };

// The CLI (and the browser host it starts) is plain Node: bundle our code, keep dependencies
// external so they load from node_modules as in the Electron main process.
const external = [
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  ...Object.keys(pkg.dependencies),
].map((name) => new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(/.*)?$`));

export default defineConfig({
  build: {
    outDir: 'out/cli',
    emptyOutDir: true,
    target: 'node20',
    ssr: resolve('src/cli/index.ts'),
    minify: false,
    sourcemap: true,
    rolldownOptions: {
      external,
      output: { format: 'esm', entryFileNames: 'index.js' },
    },
  },
  ssr: { noExternal: true },
});
