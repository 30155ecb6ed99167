import type { KeyValueStorage } from './key-value-storage';

// Storage can be missing or throw (disabled, quota, private mode); a remembered choice is a nicety: fall back quietly.
export function readStoredChoice<Choice extends string>(
  storage: KeyValueStorage | null,
  key: string,
  isChoice: (value: unknown) => value is Choice,
): Choice | null {
  try {
    const stored = storage?.getItem(key);
    return isChoice(stored) ? stored : null;
  } catch {
    return null;
  }
}

export function storeChoice(storage: KeyValueStorage | null, key: string, choice: string): void {
  try {
    storage?.setItem(key, choice);
  } catch {
    // Keeps working for this session without remembering.
  }
}
