import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pkg from '../../package.json' with { type: 'json' };
import { openDefaultHistoryStore } from '../main/adapters/storage/history-store';
import { fetchLocalNetwork } from '../main/adapters/system/local-network';
import { createDoctorDeps } from '../main/services/doctor/deps';
import { runDoctor } from '../main/services/doctor/run-doctor';
import { createSetupDeps } from '../main/services/setup/connect';
import { applyFix, planFix } from '../main/services/setup/run-fix';
import { applySetup, planSetupRemote } from '../main/services/setup/run-setup';
import { signIn } from '../main/services/setup/sign-in';
import { discoverRouters } from '../main/services/discovery-service';
import { createServices } from '../main/services/index';
import { createRouterService, createRouterServiceDeps } from '../main/services/router-service';
import type { Services } from '../main/services/index';
import { runDiscover } from './commands/discover';
import { runDoctorCommand } from './commands/doctor';
import { runHistory } from './commands/history';
import { runRouterCommand } from './commands/router';
import { runServe } from './commands/serve';
import { runFixCommand } from './commands/fix';
import { runSetupCommand } from './commands/setup';
import { runSystem } from './commands/system';
import { processOutput, UsageError } from './output';
import type { Output } from './output';
import { usage } from './usage';

const notYet: Record<string, string> = {};

function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port must be a whole number from 0 to 65535, got "${value}"`);
  }
  return port;
}

function defaultServices(): Services {
  return createServices({
    shell: 'cli',
    version: pkg.version,
    platform: process.platform,
    fetchLocalNetwork,
  });
}

/**
 * Runs `work` with a signal that SIGINT, SIGTERM or the caller's signal aborts, so commands stop
 * what they started instead of dying. `on`, not `once`: execa's exit hook re-raises a signal
 * that no other listener handles.
 */
async function untilInterrupted<T>(
  outer: AbortSignal | undefined,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  outer?.addEventListener('abort', stop, { once: true });
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    outer?.removeEventListener('abort', stop);
  }
}

export interface MainOptions {
  output?: Output;
  services?: () => Services;
  signal?: AbortSignal;
}

export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  const output = options.output ?? processOutput;
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      output.out(usage);
      return 0;
    }
    if (command === '-v' || command === '--version') {
      output.out(pkg.version);
      return 0;
    }
    if (command === 'system') {
      const { values } = parseArgs({
        args: rest,
        options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
        strict: true,
      });
      if (values.help) return (output.out('Usage: homeward system [--json]'), 0);
      const services = (options.services ?? defaultServices)();
      try {
        return await runSystem(services, output, values.json ?? false);
      } finally {
        await services.dispose();
      }
    }
    if (command === 'serve') {
      const { values } = parseArgs({
        args: rest,
        options: { port: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
        strict: true,
      });
      if (values.help) return (output.out('Usage: homeward serve [--port N]'), 0);
      const port = parsePort(values.port);
      const services = (
        options.services ??
        (() =>
          createServices({
            shell: 'browser-host',
            version: pkg.version,
            platform: process.platform,
            fetchLocalNetwork,
            doctorDeps: createDoctorDeps,
            openHistory: () => openDefaultHistoryStore(),
          }))
      )();
      try {
        const rendererDir = path.resolve(
          path.dirname(fileURLToPath(import.meta.url)),
          '../renderer',
        );
        return await untilInterrupted(options.signal, (signal) =>
          runServe(services, output, { port, rendererDir, signal }),
        );
      } finally {
        await services.dispose();
      }
    }
    if (command === 'doctor') {
      return await untilInterrupted(options.signal, (signal) =>
        runDoctorCommand(rest, {
          output,
          signal,
          interactive: Boolean(process.stderr.isTTY),
          run: (parsed, onProgress, signal) =>
            runDoctor(parsed.request, createDoctorDeps(), {
              runId: `cli-${Date.now()}`,
              signal,
              onProgress,
            }),
          save: async (report) => {
            try {
              const store = await openDefaultHistoryStore();
              try {
                return {
                  id: await store.add(
                    report,
                    report.router.location ? { location: report.router.location } : {},
                  ),
                };
              } finally {
                await store.close();
              }
            } catch (error) {
              return { error: (error as Error).message };
            }
          },
        }),
      );
    }
    if (command === 'discover') {
      return await runDiscover(rest, {
        output,
        discover: async () => discoverRouters({ localNetwork: await fetchLocalNetwork() }),
      });
    }
    if (command === 'setup') {
      // Stopping mid-apply is safe: the router rolls back by itself unless confirmed.
      return await untilInterrupted(options.signal, (signal) => {
        const deps = createSetupDeps();
        return runSetupCommand(rest, {
          output,
          plan: (request) => planSetupRemote(request, deps, { signal }),
          apply: (request, onProgress) => applySetup(request, deps, { signal, onProgress }),
          signIn: (request) => signIn(request, deps, signal),
          readStdin: async () => {
            const chunks: Buffer[] = [];
            for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
            return Buffer.concat(chunks).toString('utf8');
          },
        });
      });
    }
    if (command === 'fix') {
      return await untilInterrupted(options.signal, (signal) => {
        const deps = createSetupDeps();
        return runFixCommand(rest, {
          output,
          plan: (request) => planFix(request, deps, { signal }),
          apply: (request, onProgress) => applyFix(request, deps, { signal, onProgress }),
        });
      });
    }
    if (command === 'router') {
      const router = createRouterService(() => createRouterServiceDeps());
      try {
        return await untilInterrupted(options.signal, (signal) => {
          signal.addEventListener('abort', () => void router.dispose(), { once: true });
          return runRouterCommand(rest, { output, list: router.list, status: router.status });
        });
      } finally {
        await router.dispose();
      }
    }
    if (command === 'history') {
      return await runHistory(rest, { openStore: () => openDefaultHistoryStore(), output });
    }
    if (command in notYet) {
      const json = rest.includes('--json');
      const message = notYet[command] ?? '';
      if (json)
        output.out(
          JSON.stringify(
            { schema: `homeward.${command}/1`, error: { kind: 'not-available', message } },
            null,
            2,
          ),
        );
      else output.err(`homeward: ${message}`);
      return 2;
    }
    throw new UsageError(`unknown command "${command}"; run "homeward --help" for the list`);
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error instanceof TypeError &&
        'code' in error &&
        String(error.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      output.err(`homeward: ${error.message}`);
      return 2;
    }
    throw error;
  }
}
