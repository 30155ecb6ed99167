import type { KeyValueStorage } from '../storage/key-value-storage';
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

// Storage can be missing or throw (disabled, quota, private mode); the theme is a nicety, so fall back quietly.
function readStoredTheme(storage: KeyValueStorage | null): ThemePreference {
  try {
    const stored = storage?.getItem(themeStorageKey);
    return isThemePreference(stored) ? stored : 'system';
  } catch {
    return 'system';
  }
}

function storeTheme(storage: KeyValueStorage | null, theme: ThemePreference): void {
  try {
    storage?.setItem(themeStorageKey, theme);
  } catch {
    // Keeps working for this session without remembering.
  }
}

/** The theme is the only thing the renderer keeps in localStorage; nothing secret ever goes there. */
export function createThemeSlice(storage: KeyValueStorage | null): SliceCreator<ThemeSlice> {
  return (set, get) => ({
    theme: readStoredTheme(storage),
    setTheme: (theme) => {
      storeTheme(storage, theme);
      set({ theme }, false, 'theme/set');
    },
    cycleTheme: () => get().setTheme(nextThemePreference(get().theme)),
  });
}
