import { describe, expect, it } from 'vitest';
import { en } from './en';
import { pickLocale } from './locale';
import { zhCN } from './zh-cn';

describe('i18n catalogs', () => {
  it('zh-CN translates every English key with a non-empty string', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
    for (const value of Object.values(zhCN)) expect(value.trim()).not.toBe('');
  });
  it('follows the system language list', () => {
    expect(pickLocale(['zh-TW', 'en-US'])).toBe('zh-CN');
    expect(pickLocale(['fr-FR', 'en-GB'])).toBe('en');
    expect(pickLocale(['de-DE'])).toBe('en');
    expect(pickLocale([])).toBe('en');
  });
});
