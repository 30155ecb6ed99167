import { describe, expect, it } from 'vitest';
import { localeFromLanguages } from '../../../../renderer/i18n/locales';
import type { AirsprayState } from '../../../../renderer/store/airspray-state';
import { createAirsprayStore } from '../../../../renderer/store/create-airspray-store';
import { localeStorageKey } from '../../../../renderer/store/locale-slice';
import { MapStorage } from '../map-storage';
import { ScriptedApi } from '../scripted-api';
import { ApiCallError } from '../../../../renderer/api/api-call-error';

describe('the language on first start', () => {
  it.each([
    [['zh-CN', 'en-US'], 'zh-CN'],
    [['zh'], 'zh-CN'],
    [['zh-Hans-CN'], 'zh-CN'],
    [['en-GB', 'zh-CN'], 'en'],
    [['de-DE', 'zh-SG', 'en'], 'zh-CN'],
    [['zh-TW', 'en-US'], 'en'],
    [['fr', 'de'], 'en'],
    [[], 'en'],
  ])('%j → %s', (languages, expected) => {
    expect(localeFromLanguages(languages)).toBe(expected);
  });

  it('is taken from the browser languages when nothing is stored, and the stored choice wins after', () => {
    const storage = new MapStorage();
    const first = createAirsprayStore(new ScriptedApi(), { storage, languages: ['zh-CN'] });
    expect(first.getState().locale).toBe('zh-CN');
    first.getState().setLocale('en');
    expect(storage.items.get(localeStorageKey)).toBe('en');
    expect(createAirsprayStore(new ScriptedApi(), { storage, languages: ['zh-CN'] }).getState().locale).toBe('en');
  });

  it('ignores a stored value that is not a language we speak', () => {
    const storage = new MapStorage();
    storage.setItem(localeStorageKey, 'klingon');
    expect(createAirsprayStore(new ScriptedApi(), { storage, languages: ['zh'] }).getState().locale).toBe('zh-CN');
  });
});

describe('switching the language', () => {
  it('changes the locale and leaves every other entry of the store as it was', () => {
    const store = createAirsprayStore(new ScriptedApi(), { languages: ['en-US'] });
    store.getState().goToStep('roles');
    store.getState().cycleTheme();
    const before = store.getState();

    store.getState().setLocale('zh-CN');

    const after = store.getState();
    expect(after.locale).toBe('zh-CN');
    expect(after.step).toBe('roles');
    const changed = (Object.keys(before) as (keyof AirsprayState)[]).filter((key) => before[key] !== after[key]);
    expect(changed).toEqual(['locale']);
  });
});

describe('the language remembered by the data folder', () => {
  it('tells the core each choice, so the folder keeps it for the next window', async () => {
    const api = new ScriptedApi().on('settings.setLocale', ({ locale }) => ({ locale }));
    const store = createAirsprayStore(api, { languages: ['en-US'] });
    store.getState().setLocale('zh-CN');
    await expect.poll(() => api.callsOf('settings.setLocale')).toEqual([{ locale: 'zh-CN' }]);
    expect(store.getState().localeError).toBeNull();
  });

  it("takes the folder's language over the browser's and this browser's last one, and keeps it for the first paint", async () => {
    const storage = new MapStorage();
    storage.setItem(localeStorageKey, 'en');
    const api = new ScriptedApi().on('settings.get', () => ({ locale: 'zh-CN' }));
    const store = createAirsprayStore(api, { storage, languages: ['en-US'] });
    await store.getState().loadSavedLocale();
    expect(store.getState().locale).toBe('zh-CN');
    expect(storage.items.get(localeStorageKey)).toBe('zh-CN');
  });

  it('follows the browser language while the folder has none chosen (a first start)', async () => {
    const api = new ScriptedApi().on('settings.get', () => ({}));
    const store = createAirsprayStore(api, { languages: ['zh-CN'] });
    await store.getState().loadSavedLocale();
    expect(store.getState().locale).toBe('zh-CN');
  });

  it('keeps the shown language and says why when the core cannot keep the choice', async () => {
    const api = new ScriptedApi().refuses('settings.setLocale', new ApiCallError('internal', 'disk full'));
    const store = createAirsprayStore(api, { languages: ['en-US'] });
    store.getState().setLocale('zh-CN');
    await expect.poll(() => store.getState().localeError).toMatch(/disk full/);
    expect(store.getState().locale).toBe('zh-CN');
  });
});
