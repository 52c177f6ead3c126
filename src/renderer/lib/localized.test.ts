import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../shared/doctor';
import type { FieldError } from '../../shared/setup';
import { checkSummary, fieldErrorText } from './localized';

const check: CheckResult = {
  id: 'mtu.l2',
  status: 'pass',
  summary: 'L2 path carries 1370; clients use 1370.',
  data: {},
  localized: { 'zh-CN': { summary: '二层路径可承载 1370，客户端使用 1370。' } },
};

const error: FieldError = {
  field: 'vxlan.vid',
  message: '-1 is not a VXLAN id.',
  fix: 'Use a whole number from 0 to 16777215 (e.g. 8).',
  localized: {
    'zh-CN': {
      message: '-1 不是有效的 VXLAN ID。',
      fix: '请使用 0 到 16777215 之间的整数（例如 8）。',
    },
  },
};

describe('localized core texts', () => {
  it('pick the check summary by locale', () => {
    expect(checkSummary(check, 'en')).toBe('L2 path carries 1370; clients use 1370.');
    expect(checkSummary(check, 'zh-CN')).toBe('二层路径可承载 1370，客户端使用 1370。');
  });

  it('fall back to English for a run stored before summaries were localized', () => {
    const { localized: _, ...old } = check;
    expect(checkSummary(old, 'zh-CN')).toBe(check.summary);
  });

  it('pick the field error message and fix together', () => {
    expect(fieldErrorText(error, 'zh-CN')).toEqual(error.localized?.['zh-CN']);
    expect(fieldErrorText(error, 'en')).toEqual({ message: error.message, fix: error.fix });
    const { localized: _, ...bare } = error;
    expect(fieldErrorText(bare, 'zh-CN')).toEqual({ message: error.message, fix: error.fix });
  });
});
