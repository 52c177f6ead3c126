// Fetches the Electron binary when the network allows it. Electron 42+ no longer does this at
// install time; on machines without a route to its download host we say how to get it later
// and still exit 0, because everything but the Electron shell works without it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
let installScript;
try {
  installScript = path.join(path.dirname(require.resolve('electron/package.json')), 'install.js');
} catch {
  process.exit(0); // production install without devDependencies: nothing to fetch
}
if (!existsSync(installScript) || process.env.HOMEWARD_SKIP_ELECTRON_DOWNLOAD === '1')
  process.exit(0);

const child = spawn(process.execPath, [installScript], { stdio: ['ignore', 'ignore', 'pipe'] });
let stderr = '';
child.stderr.on('data', (chunk) => (stderr += String(chunk)));
const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
child.on('close', (code) => {
  clearTimeout(timer);
  if (code !== 0) {
    const lines = stderr.trim().split('\n');
    const reason =
      lines.find((l) => /error/i.test(l) && !/^\s+at /.test(l))?.trim() ??
      'no route to the download host';
    console.log(
      `homeward: Electron binary not downloaded (${reason.slice(0, 120)}); run "npx install-electron" when online, or use "npx homeward serve" meanwhile.`,
    );
  }
  process.exit(0);
});
