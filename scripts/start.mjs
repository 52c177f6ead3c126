// `npm start`: the Electron app when its binary is here, otherwise a clear way forward.
import { spawn } from 'node:child_process';
import { electronBinary } from './electron-binary.mjs';

if (!electronBinary()) {
  console.error(
    'homeward: the Electron binary is missing (it downloads on first use and this machine could not fetch it).\n' +
      '  Get it later with: npx install-electron\n' +
      '  Or use Homeward in your browser now: npm run build && npx homeward serve',
  );
  process.exit(1);
}
const child = spawn('npx', ['electron-vite', 'preview', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
child.on('exit', (code) => process.exit(code ?? 1));
