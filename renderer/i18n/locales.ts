/** The languages the window speaks; English is the default and the catalog every other must match. */
export const appLocales = ['en', 'zh-CN'] as const;
export type AppLocale = (typeof appLocales)[number];

/** Each language in its own words, the same in every catalog, so a reader finds theirs whatever is shown. */
export const localeNames: Record<AppLocale, string> = { en: 'English', 'zh-CN': '简体中文' };

export function isAppLocale(value: unknown): value is AppLocale {
  return appLocales.includes(value as AppLocale);
}

// zh, zh-CN, zh-SG and zh-Hans-* read Simplified Chinese; zh-TW and zh-HK (Traditional) fall through to the next.
const simplifiedChinese = /^zh(-(cn|sg|hans)(-|$)|$)/;

/** The first of the browser's or OS's languages (navigator.languages, in preference order) that we speak. */
export function localeFromLanguages(languages: readonly string[]): AppLocale {
  for (const tag of languages) {
    const lower = tag.toLowerCase();
    if (lower === 'en' || lower.startsWith('en-')) return 'en';
    if (simplifiedChinese.test(lower)) return 'zh-CN';
  }
  return 'en';
}
