import { en } from './en';
import type { MessageKey } from './en';
import { isLocale, pickLocale } from './locale';
import type { Locale } from './locale';
import { zhCN } from './zh-cn';

const catalogs: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };
const storageKey = 'homeward.locale';

function initialLocale(): Locale {
  const stored = globalThis.localStorage?.getItem(storageKey);
  if (isLocale(stored)) return stored;
  return pickLocale(globalThis.navigator?.languages ?? []);
}

/** The language follows the system until the person picks one; the pick is remembered. */
export class I18n {
  locale = $state<Locale>(initialLocale());

  t = (key: MessageKey): string => catalogs[this.locale][key];

  /** A message with `{name}` placeholders filled in. */
  tf = (key: MessageKey, values: Record<string, string | number>): string =>
    this.t(key).replace(/\{(\w+)\}/g, (whole, name: string) =>
      Object.hasOwn(values, name) ? String(values[name]) : whole,
    );

  // Intl formatters are costly to build and the history formats thousands of cells and ticks.
  #formats: Record<string, Intl.NumberFormat | Intl.DateTimeFormat> = {};

  number = (value: number, digits = 0): string => {
    const key = `${this.locale}:n${digits}`;
    const format = (this.#formats[key] ??= new Intl.NumberFormat(this.locale, {
      maximumFractionDigits: digits,
      minimumFractionDigits: digits,
    }));
    return format.format(value);
  };

  dateTime = (iso: string): string => {
    const time = Date.parse(iso);
    if (Number.isNaN(time)) return iso;
    const key = `${this.locale}:dt`;
    const format = (this.#formats[key] ??= new Intl.DateTimeFormat(this.locale, {
      dateStyle: 'medium',
      timeStyle: 'short',
    }));
    return format.format(time);
  };

  setLocale(locale: Locale): void {
    this.locale = locale;
    globalThis.localStorage?.setItem(storageKey, locale);
    document.documentElement.lang = locale;
  }
}

export const i18n = new I18n();
