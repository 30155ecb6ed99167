/** The slice of the Web Storage API the renderer uses, so Node tests can pass a Map-backed stand-in. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}
