import type { CheckResult } from '../../shared/doctor';
import type { FieldErrorText } from '../../shared/setup';
import type { Locale } from '../i18n/locale';

// The core writes English plus `localized` texts; runs stored before `localized` existed, and
// errors built without it, fall back to the English.

type Localized = CheckResult['localized'];

export function checkSummary(
  check: { summary: string; localized?: Localized },
  locale: Locale,
): string;
export function checkSummary(
  check: { summary?: string; localized?: Localized },
  locale: Locale,
): string | undefined;
export function checkSummary(
  check: { summary?: string; localized?: Localized },
  locale: Locale,
): string | undefined {
  if (check.summary === undefined) return undefined;
  return (locale === 'en' ? undefined : check.localized?.[locale]?.summary) ?? check.summary;
}

export function fieldErrorText(
  error: FieldErrorText & { localized?: { 'zh-CN': FieldErrorText } },
  locale: Locale,
): FieldErrorText {
  const text = locale === 'en' ? undefined : error.localized?.[locale];
  return text ?? { message: error.message, fix: error.fix };
}
