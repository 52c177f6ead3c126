import { describe, expect, it } from 'vitest';
import { en } from './en';
import { pickLocale } from './locale';
import { zhCN } from './zh-cn';

describe('i18n catalogs', () => {
  it('zh-CN translates every English key with a non-empty string', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
    for (const value of Object.values(zhCN)) expect(value.trim()).not.toBe('');
  });
  it('keeps the same {placeholders} in every language', () => {
    const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, text] of Object.entries(en))
      expect(names(zhCN[key as keyof typeof en]), key).toEqual(names(text));
  });
  it('follows the system language list', () => {
    expect(pickLocale(['zh-TW', 'en-US'])).toBe('zh-CN');
    expect(pickLocale(['fr-FR', 'en-GB'])).toBe('en');
    expect(pickLocale(['de-DE'])).toBe('en');
    expect(pickLocale([])).toBe('en');
  });
});
