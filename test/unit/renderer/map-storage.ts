import type { KeyValueStorage } from '../../../renderer/storage/key-value-storage';

/** localStorage for Node tests: a Map the test can read. */
export class MapStorage implements KeyValueStorage {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}
