// Starts a lab and waits, so tests can kill this owner and check what is left behind.
import { startLab } from './index';

startLab('default').then(
  (lab) => {
    process.stdout.write(`${lab.id} ${lab.dir}\n`);
    setInterval(() => undefined, 1000);
  },
  (e: unknown) => {
    process.stderr.write(`${String(e)}\n`);
    process.exit(1);
  },
);
