import type { CheckResult } from '../../shared/doctor';
import type { ErrorText } from '../../shared/errors';
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

/** An error's message and fix in the locale; the Chinese fix may be absent when the English has none. */
export function errorText(
  error: ErrorText & { localized?: { 'zh-CN': ErrorText } },
  locale: Locale,
): ErrorText {
  const text = locale === 'en' ? undefined : error.localized?.[locale];
  if (!text)
    return error.fix === undefined
      ? { message: error.message }
      : { message: error.message, fix: error.fix };
  return text.fix === undefined && error.fix !== undefined
    ? { message: text.message, fix: error.fix }
    : text;
}

/** A progress line or an end report's message (`{ message, localized?: { 'zh-CN': string } }`). */
export function messageText(
  item: { message: string; localized?: { 'zh-CN': string } },
  locale: Locale,
): string {
  return (locale === 'en' ? undefined : item.localized?.[locale]) ?? item.message;
}

interface Notes {
  notes: string[];
  notesLocalized?: { 'zh-CN': string[] };
}

function noteAt(plan: Notes, i: number, locale: Locale): string {
  const en = plan.notes[i] ?? '';
  return (locale === 'en' ? undefined : plan.notesLocalized?.[locale]?.[i]) ?? en;
}

/** A plan's notes in the locale, index for index; those whose English is in `except` are left out. */
export function planNotes(plan: Notes, locale: Locale, except: readonly string[] = []): string[] {
  return plan.notes.flatMap((en, i) => (except.includes(en) ? [] : [noteAt(plan, i, locale)]));
}

/** The MTU arithmetic lines in the locale: the setup plan carries them among its notes. */
export function arithmeticLines(
  plan: Notes & { mtu: { arithmetic: string[] } },
  locale: Locale,
): string[] {
  return plan.mtu.arithmetic.map((en) => {
    const i = plan.notes.indexOf(en);
    return i < 0 ? en : noteAt(plan, i, locale);
  });
}
