import { describe, expect, it } from 'vitest';
import { localeFromLanguages } from '../../../../renderer/i18n/locales';
import type { AirsprayState } from '../../../../renderer/store/airspray-state';
import { createAirsprayStore } from '../../../../renderer/store/create-airspray-store';
import { localeStorageKey } from '../../../../renderer/store/locale-slice';
import { MapStorage } from '../map-storage';
import { ScriptedApi } from '../scripted-api';

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
