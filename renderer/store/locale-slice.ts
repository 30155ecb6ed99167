import { isAppLocale, localeFromLanguages, type AppLocale } from '../i18n/locales';
import type { KeyValueStorage } from '../storage/key-value-storage';
import { readStoredChoice, storeChoice } from '../storage/stored-choice';
import type { SliceCreator } from './airspray-state';

export const localeStorageKey = 'airspray.locale';

export interface LocaleSlice {
  locale: AppLocale;
  /** Changes only the language: the wizard, the plan and every other slice stay as they are. */
  setLocale(locale: AppLocale): void;
}

/**
 * The language chosen in the picker, else the browser's or OS's first language we speak. Remembered in this
 * browser's localStorage for now; the issue asks for per data folder (a project-independent setting in the core).
 */
export function createLocaleSlice(
  storage: KeyValueStorage | null,
  languages: readonly string[],
): SliceCreator<LocaleSlice> {
  return (set) => ({
    locale: readStoredChoice(storage, localeStorageKey, isAppLocale) ?? localeFromLanguages(languages),
    setLocale: (locale) => {
      storeChoice(storage, localeStorageKey, locale);
      set({ locale }, false, 'locale/set');
    },
  });
}
