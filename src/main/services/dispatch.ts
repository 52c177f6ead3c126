import { isCommandName } from '../../shared/api';
import type { CommandArgs, CommandName, CommandResult } from '../../shared/api';
import { appError } from '../../shared/errors';
import type { Result } from '../../shared/result';
import { fail } from '../../shared/result';

export type CommandHandlers = {
  [C in CommandName]: (...args: CommandArgs<C>) => Promise<CommandResult<C>>;
};

/**
 * The one entry point every transport calls with untrusted input. Unknown commands and thrown
 * exceptions come back as error results, so a bug in a service never takes the transport down.
 */
export async function dispatchCommand(
  handlers: CommandHandlers,
  command: unknown,
  args: unknown,
): Promise<Result<unknown>> {
  if (!isCommandName(command)) {
    return fail(appError('unknown-command', `Unknown command: ${String(command).slice(0, 80)}`));
  }
  if (!Array.isArray(args)) {
    return fail(appError('invalid-request', 'Command arguments must be an array.'));
  }
  try {
    const handler = handlers[command] as (...a: unknown[]) => Promise<Result<unknown>>;
    return await handler(...(args as unknown[]));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return fail(appError('internal', `Internal error in ${command}: ${message}`));
  }
}
