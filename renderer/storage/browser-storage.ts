import type { KeyValueStorage } from './key-value-storage';

/** localStorage, or null where the page may not use it (reading the property itself can throw). */
export function browserLocalStorage(): KeyValueStorage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
