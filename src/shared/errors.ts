// Expected failures travel as data. Each kind has a message a person understands and, where
// there is one, the next step (`fix`). Exceptions are reserved for bugs.
export type AppErrorKind =
  | 'invalid-request'
  | 'unknown-command'
  | 'not-available'
  | 'system-info-failed'
  | 'tool-missing'
  | 'tool-failed'
  | 'tool-timeout'
  | 'cancelled'
  | 'history-failed'
  | 'not-found'
  | 'internal'
  // SSH adapter
  | 'host-key-unknown'
  | 'host-key-changed'
  | 'auth-failed'
  | 'key-unreadable'
  | 'connect-refused'
  | 'connect-timeout'
  | 'host-unreachable'
  | 'ssh-closed'
  | 'ssh-failed'
  | 'remote-command-failed';

export interface AppError {
  kind: AppErrorKind;
  message: string;
  fix?: string;
  /** The request field the error is about, when one is. */
  field?: string;
  /** Raw material for people debugging (tool output, exit codes); never secrets. */
  detail?: Record<string, unknown>;
  /** `message` and `fix` in other languages; the English fields stay the reference. */
  localized?: { 'zh-CN': ErrorText };
}

export interface ErrorText {
  message: string;
  fix?: string;
}

export function appError(kind: AppErrorKind, message: string, extra?: Partial<AppError>): AppError {
  return { kind, message, ...extra };
}

/** An error written in English and Simplified Chinese; `extra` adds field, detail... */
export function localizedError(
  kind: AppErrorKind,
  en: ErrorText,
  zh: ErrorText,
  extra?: Partial<AppError>,
): AppError {
  return {
    kind,
    message: en.message,
    ...(en.fix !== undefined ? { fix: en.fix } : {}),
    ...extra,
    localized: { 'zh-CN': zh },
  };
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
