import type { Api } from '../../electron/common/api';
import { describeError } from '../api/describe-error';
import { isAppLocale, localeFromLanguages, type AppLocale } from '../i18n/locales';
import type { KeyValueStorage } from '../storage/key-value-storage';
import { readStoredChoice, storeChoice } from '../storage/stored-choice';
import type { SliceCreator } from './airspray-state';

export const localeStorageKey = 'airspray.locale';

export interface LocaleSlice {
  locale: AppLocale;
  /** Why the data folder's language could not be read or kept (the window goes on in the one it shows). */
  localeError: string | null;
  /** Changes only the language: the wizard, the plan and every other slice stay as they are. */
  setLocale(locale: AppLocale): void;
  /** Takes the language the data folder remembers, if one was ever chosen there. */
  loadSavedLocale(): Promise<void>;
}

/**
 * The language chosen in the picker, remembered by the data folder (settings.json, so `serve --data-dir X` and the
 * desktop window keep it per folder) and by this browser for the first paint; else the browser's or OS's first
 * language we speak.
 */
export function createLocaleSlice(
  api: Api,
  storage: KeyValueStorage | null,
  languages: readonly string[],
): SliceCreator<LocaleSlice> {
  return (set, get) => ({
    locale: readStoredChoice(storage, localeStorageKey, isAppLocale) ?? localeFromLanguages(languages),
    localeError: null,
    setLocale: (locale) => {
      storeChoice(storage, localeStorageKey, locale);
      set({ locale, localeError: null }, false, 'locale/set');
      api.call('settings.setLocale', { locale }).catch((error: unknown) => {
        set({ localeError: describeError(error, get().locale) }, false, 'locale/saveFailed');
      });
    },
    loadSavedLocale: async () => {
      try {
        const { locale } = await api.call('settings.get', {});
        if (!locale) return;
        storeChoice(storage, localeStorageKey, locale);
        set({ locale }, false, 'locale/loaded');
      } catch (error) {
        set({ localeError: describeError(error, get().locale) }, false, 'locale/loadFailed');
      }
    },
  });
}
