import { describe, expect, it } from 'vitest';
import { takeAccessToken, tokenStorageKey } from '../../../renderer/api/session-token';
import type { KeyValueStorage } from '../../../renderer/storage/key-value-storage';

function memoryStorage(): KeyValueStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
  };
}

/** The token taken at `href`, and every address the page was switched to. */
function take(href: string, storage: KeyValueStorage) {
  const replaced: string[] = [];
  const token = takeAccessToken({ href, replaceHref: (next) => replaced.push(next), storage });
  return { token, replaced };
}

describe('access token', () => {
  it('takes the token from the address, keeps it for the session and removes it from the address', () => {
    const storage = memoryStorage();
    const { token, replaced } = take('http://127.0.0.1:4312/?token=s3cret&lang=en#bundle', storage);
    expect(token).toBe('s3cret');
    expect(storage.items.get(tokenStorageKey)).toBe('s3cret');
    expect(replaced).toEqual(['http://127.0.0.1:4312/?lang=en#bundle']);
  });

  it('reads the kept token after a reload without touching the address', () => {
    const storage = memoryStorage();
    storage.setItem(tokenStorageKey, 'kept');
    const { token, replaced } = take('http://127.0.0.1:4312/', storage);
    expect(token).toBe('kept');
    expect(replaced).toEqual([]);
  });

  it('has no token when neither the address nor the session holds one', () => {
    expect(take('http://127.0.0.1:4312/', memoryStorage()).token).toBeNull();
  });
});
