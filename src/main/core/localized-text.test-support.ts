import { expect } from 'vitest';

/**
 * The numbers a person reads in a text, as written. Digits inside names (wg0, br-lan2, L2, WPA3,
 * GL-MT3000) are not numbers, and each language keeps those names as they are.
 */
export function numbersIn(text: string): string[] {
  return (text.match(/(?<![A-Za-z0-9_.])\d+(?:\.\d+)?(?![A-Za-z0-9_])/g) ?? []).sort();
}

/** A Simplified Chinese text written for `en`: present, translated, and with its numbers. */
export function expectChineseFor(en: string, zh: string | undefined, where: string): void {
  expect(zh, where).toBeTypeOf('string');
  expect(zh?.trim(), where).not.toBe('');
  expect(zh, where).not.toBe(en);
  expect(zh, where).toMatch(/[\u4e00-\u9fff]/);
  const missing = [...numbersIn(en)];
  for (const n of numbersIn(zh ?? '')) {
    const at = missing.indexOf(n);
    if (at >= 0) missing.splice(at, 1);
  }
  expect(missing, `${where}: numbers of "${en}" missing from "${zh}"`).toEqual([]);
}
