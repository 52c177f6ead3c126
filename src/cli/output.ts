import type { AppError } from '../shared/errors';

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const processOutput: Output = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

export class UsageError extends Error {
  override name = 'UsageError';
}

/** One line for people, one object for --json; the caller picks the exit code. */
export function printError(output: Output, json: boolean, schema: string, error: AppError): void {
  if (json) output.out(JSON.stringify({ schema, error }, null, 2));
  else output.err(`homeward: ${error.message}${error.fix ? ` (${error.fix})` : ''}`);
}
