import { existsSync } from 'node:fs';
import path from 'node:path';
import { startWebHost } from '../../main/host/web-host';
import type { Services } from '../../main/services/index';
import type { Output } from '../output';

export async function runServe(
  services: Services,
  output: Output,
  options: { port?: number; rendererDir: string; signal: AbortSignal },
): Promise<number> {
  if (!existsSync(path.join(options.rendererDir, 'index.html'))) {
    output.err(
      `homeward: the app is not built (${options.rendererDir} is missing); run "npm run build" first.`,
    );
    return 2;
  }
  const host = await startWebHost({
    services,
    rendererDir: options.rendererDir,
    port: options.port,
  });
  output.out(
    `Homeward is running. Open this address in your browser (it only works on this computer):\n${host.url}`,
  );
  await new Promise<void>((resolve) => {
    if (options.signal.aborted) resolve();
    options.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await host.close();
  return 0;
}
