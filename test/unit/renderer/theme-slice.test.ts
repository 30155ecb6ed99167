import { describe, expect, it } from 'vitest';
import type { KeyValueStorage } from '../../../renderer/storage/key-value-storage';
import { createAirsprayStore } from '../../../renderer/store/create-airspray-store';
import { themeStorageKey } from '../../../renderer/store/theme-slice';
import { MapStorage } from './map-storage';
import { ScriptedApi } from './scripted-api';

describe('theme slice', () => {
  it('cycles system → light → dark → system and remembers each choice', () => {
    const storage = new MapStorage();
    const store = createAirsprayStore(new ScriptedApi(), { storage });
    expect(store.getState().theme).toBe('system');

    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      store.getState().cycleTheme();
      seen.push(store.getState().theme);
    }
    expect(seen).toEqual(['light', 'dark', 'system']);
    expect(storage.items.get(themeStorageKey)).toBe('system');
  });

  it('starts from the stored theme in a new store', () => {
    const storage = new MapStorage();
    createAirsprayStore(new ScriptedApi(), { storage }).getState().setTheme('dark');
    expect(createAirsprayStore(new ScriptedApi(), { storage }).getState().theme).toBe('dark');
  });

  it('ignores a stored value that is not a theme', () => {
    const storage = new MapStorage();
    storage.setItem(themeStorageKey, 'neon');
    expect(createAirsprayStore(new ScriptedApi(), { storage }).getState().theme).toBe('system');
  });

  it('keeps working when storage throws', () => {
    const storage: KeyValueStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    const store = createAirsprayStore(new ScriptedApi(), { storage });
    expect(store.getState().theme).toBe('system');
    store.getState().cycleTheme();
    expect(store.getState().theme).toBe('light');
  });

  it('stores nothing but the theme', () => {
    const storage = new MapStorage();
    const store = createAirsprayStore(new ScriptedApi(), { storage });
    store.getState().cycleTheme();
    store.getState().goNext();
    expect([...storage.items.keys()]).toEqual([themeStorageKey]);
  });
});
