import type { AppError } from '../../../shared/errors';
import { appError, localizedError } from '../../../shared/errors';
import type { FieldError } from '../../../shared/setup';
import type {
  SetupEndName,
  SetupEndReport,
  SetupProgress,
  SetupStep,
} from '../../../shared/setup-run';

// The texts setup and fixes show while they run, in English and Simplified Chinese. The English
// is the reference (CLI, logs, lab tests); the app shows `localized` when its locale is zh-CN.

export interface Text {
  en: string;
  zh: string;
}

export const endWords: Record<SetupEndName, Text> = {
  router: { en: 'The router', zh: '路由器' },
  home: { en: 'Home', zh: '家里的路由器' },
};

/** The end as the object of a sentence ("on the router", "on home"). */
export const endObject: Record<SetupEndName, Text> = {
  router: { en: 'the router', zh: '路由器' },
  home: { en: 'home', zh: '家里的路由器' },
};

export function stepProgress(end: SetupEndName, step: SetupStep, text: Text): SetupProgress {
  return { kind: 'step', end, step, message: text.en, localized: { 'zh-CN': text.zh } };
}

export function noteProgress(end: SetupEndName, text: Text): SetupProgress {
  return { kind: 'note', end, message: text.en, localized: { 'zh-CN': text.zh } };
}

export function endReport(
  end: SetupEndName,
  outcome: SetupEndReport['outcome'],
  text: Text,
  verified?: boolean,
): SetupEndReport {
  return {
    end,
    outcome,
    ...(verified === undefined ? {} : { verified }),
    message: text.en,
    localized: { 'zh-CN': text.zh },
  };
}

/** The error's text as a `Text`, the English standing in when it has no Chinese. */
export function errorText(error: AppError): Text {
  return { en: error.message, zh: error.localized?.['zh-CN'].message ?? error.message };
}

export function rollbackOutOfRange(rollbackS: number): AppError {
  return localizedError(
    'invalid-request',
    {
      message: `The rollback time ${rollbackS} s is out of range.`,
      fix: 'Use 10 to 3600 seconds (default 120).',
    },
    { message: `回滚时间 ${rollbackS} 秒超出范围。`, fix: '请使用 10 到 3600 秒（默认 120）。' },
    { field: 'rollbackS' },
  );
}

export function uncommittedChanges(end: SetupEndName, changes?: string): AppError {
  return localizedError(
    'remote-command-failed',
    {
      message: `${endWords[end].en} has uncommitted uci changes; Homeward's commit would save them too.`,
      fix: 'Apply or revert them in LuCI (the "Unsaved Changes" menu) or with "uci revert", then run again.',
    },
    {
      message: `${endWords[end].zh}上有未提交的 uci 改动；Homeward 提交时会把它们一起保存。`,
      fix: '请先在 LuCI（“未保存的更改”菜单）或用 “uci revert” 应用或撤销它们，然后重新运行。',
    },
    changes === undefined ? {} : { detail: { changes: changes.split('\n').slice(0, 20) } },
  );
}

/** The first field error of a plan as the request's error, with its Chinese when it has one. */
export function fieldInvalid(errors: FieldError[], withDetail: boolean): AppError {
  const [first] = errors;
  const detail = withDetail ? { detail: { errors } } : {};
  if (!first) return appError('invalid-request', 'undefined: undefined', detail);
  const zh = first.localized?.['zh-CN'];
  return {
    kind: 'invalid-request',
    message: `${first.field}: ${first.message}`,
    field: first.field,
    fix: first.fix,
    ...detail,
    ...(zh
      ? {
          localized: {
            'zh-CN': { message: `${first.field}：${zh.message}`, fix: zh.fix },
          },
        }
      : {}),
  };
}
