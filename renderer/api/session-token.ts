import type { KeyValueStorage } from '../storage/key-value-storage';

export const tokenStorageKey = 'airspray.token';

export interface TokenLocation {
  /** The page's full address. */
  href: string;
  /** Replaces the address without reloading (history.replaceState in a browser). */
  replaceHref(href: string): void;
  /** sessionStorage: the token lives as long as the tab, never on disk beyond it. */
  storage: KeyValueStorage;
}

/**
 * Takes the access token from `?token=` on first load, keeps it for reloads, and removes it from the address bar
 * so it does not end up in bookmarks, history or screenshots.
 */
export function takeAccessToken({ href, replaceHref, storage }: TokenLocation): string | null {
  const url = new URL(href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    storage.setItem(tokenStorageKey, fromUrl);
    url.searchParams.delete('token');
    replaceHref(url.toString());
    return fromUrl;
  }
  return storage.getItem(tokenStorageKey);
}
