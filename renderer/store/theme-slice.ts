import type { KeyValueStorage } from '../storage/key-value-storage';
import { readStoredChoice, storeChoice } from '../storage/stored-choice';
import type { SliceCreator } from './airspray-state';

/** In the order the theme button cycles through them. */
export const themePreferences = ['system', 'light', 'dark'] as const;
export type ThemePreference = (typeof themePreferences)[number];

export const themeStorageKey = 'airspray.theme';

export interface ThemeSlice {
  theme: ThemePreference;
  setTheme(theme: ThemePreference): void;
  cycleTheme(): void;
}

export function nextThemePreference(theme: ThemePreference): ThemePreference {
  return themePreferences[(themePreferences.indexOf(theme) + 1) % themePreferences.length] ?? 'system';
}

function isThemePreference(value: unknown): value is ThemePreference {
  return themePreferences.includes(value as ThemePreference);
}

/** The theme and the language are all the renderer keeps in localStorage; nothing secret ever goes there. */
export function createThemeSlice(storage: KeyValueStorage | null): SliceCreator<ThemeSlice> {
  return (set, get) => ({
    theme: readStoredChoice(storage, themeStorageKey, isThemePreference) ?? 'system',
    setTheme: (theme) => {
      storeChoice(storage, themeStorageKey, theme);
      set({ theme }, false, 'theme/set');
    },
    cycleTheme: () => get().setTheme(nextThemePreference(get().theme)),
  });
}
