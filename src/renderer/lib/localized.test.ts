import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../shared/doctor';
import type { FieldError } from '../../shared/setup';
import type { AppError } from '../../shared/errors';
import type { SetupEndReport, SetupProgress } from '../../shared/setup-run';
import {
  arithmeticLines,
  checkSummary,
  errorText,
  fieldErrorText,
  messageText,
  planNotes,
} from './localized';

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

describe('localized main-process texts', () => {
  const hostKey: AppError = {
    kind: 'host-key-unknown',
    message: '192.168.8.1 is new to Homeward. Its ED25519 host key fingerprint is SHA256:abc.',
    fix: 'Check that this fingerprint matches the router.',
    localized: {
      'zh-CN': {
        message: 'Homeward 尚未连接过 192.168.8.1。它的 ED25519 主机密钥指纹为 SHA256:abc。',
        fix: '请核对该指纹与路由器上的一致。',
      },
    },
  };

  it('an error shows its Chinese in zh-CN and its English otherwise', () => {
    expect(errorText(hostKey, 'zh-CN')).toEqual(hostKey.localized?.['zh-CN']);
    expect(errorText(hostKey, 'en')).toEqual({ message: hostKey.message, fix: hostKey.fix });
  });

  it('an error without Chinese falls back to English, and so does a missing Chinese fix', () => {
    const { localized: _, ...bare } = hostKey;
    expect(errorText(bare, 'zh-CN')).toEqual({ message: hostKey.message, fix: hostKey.fix });
    expect(errorText({ message: 'x' }, 'zh-CN')).toEqual({ message: 'x' });
    const half = { ...hostKey, localized: { 'zh-CN': { message: '只有消息' } } };
    expect(errorText(half, 'zh-CN')).toEqual({ message: '只有消息', fix: hostKey.fix });
  });

  it('progress lines and end reports pick their text', () => {
    const step: SetupProgress = {
      kind: 'step',
      end: 'router',
      step: 'arm',
      message: 'Armed: the router restores its config in 120 s unless Homeward confirms',
      localized: { 'zh-CN': '已就绪：除非 Homeward 确认，路由器会在 120 秒后恢复原配置' },
    };
    expect(messageText(step, 'zh-CN')).toBe(step.localized?.['zh-CN']);
    expect(messageText(step, 'en')).toBe(step.message);
    const old: SetupEndReport = {
      end: 'home',
      outcome: 'applied',
      message: 'Applied and confirmed.',
    };
    expect(messageText(old, 'zh-CN')).toBe('Applied and confirmed.');
  });

  const plan = {
    notes: ['WireGuard MTU = 1500 - 80 = 1420', 'Home DHCP gives MTU 1370.', 'Wi-Fi restarts.'],
    notesLocalized: {
      'zh-CN': [
        'WireGuard MTU = 1500（底层）- 80 = 1420',
        '家里 DHCP 提供 MTU 1370。',
        'Wi-Fi 会重启。',
      ],
    },
    mtu: { arithmetic: ['WireGuard MTU = 1500 - 80 = 1420'] },
  };

  it('plan notes follow the locale index for index, leaving out the arithmetic when asked', () => {
    expect(planNotes(plan, 'zh-CN', plan.mtu.arithmetic)).toEqual([
      '家里 DHCP 提供 MTU 1370。',
      'Wi-Fi 会重启。',
    ]);
    expect(planNotes(plan, 'en')).toEqual(plan.notes);
    expect(arithmeticLines(plan, 'zh-CN')).toEqual(['WireGuard MTU = 1500（底层）- 80 = 1420']);
    expect(arithmeticLines(plan, 'en')).toEqual(plan.mtu.arithmetic);
  });

  it('a plan from before notesLocalized shows its English notes', () => {
    const { notesLocalized: _, ...old } = plan;
    expect(planNotes(old, 'zh-CN', old.mtu.arithmetic)).toEqual(plan.notes.slice(1));
    expect(arithmeticLines(old, 'zh-CN')).toEqual(plan.mtu.arithmetic);
  });
});
