import { isStructurallySame, parse } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import en from '../../../../renderer/i18n/en.json';
import { catalogs, coreCatalogs } from '../../../../renderer/i18n/catalogs';
import { appLocales } from '../../../../renderer/i18n/locales';

/** Ids where a catalog's message is not valid ICU MessageFormat, with the parser's reason. */
function syntaxErrors(catalog: Record<string, string>): string[] {
  return Object.entries(catalog).flatMap(([id, message]) => {
    try {
      parse(message);
      return [];
    } catch (error) {
      return [`${id}: ${error instanceof Error ? error.message : String(error)}`];
    }
  });
}

describe('the message catalogs', () => {
  it.each(appLocales.filter((locale) => locale !== 'en'))('%s has exactly the ids English has', (locale) => {
    const english = Object.keys(catalogs.en).sort();
    const other = Object.keys(catalogs[locale]).sort();
    expect({
      missing: english.filter((id) => !other.includes(id)),
      extra: other.filter((id) => !english.includes(id)),
    }).toEqual({ missing: [], extra: [] });
  });

  it.each(appLocales)('every %s message is valid ICU MessageFormat', (locale) => {
    expect(syntaxErrors(catalogs[locale])).toEqual([]);
  });

  it.each(appLocales.filter((locale) => locale !== 'en'))(
    'every %s message takes the same arguments, of the same kinds, as the English one',
    (locale) => {
      const differing = Object.entries(catalogs[locale]).filter(([id, message]) => {
        const english = catalogs.en[id as keyof typeof catalogs.en];
        return english !== undefined && !isStructurallySame(parse(english), parse(message)).success;
      });
      expect(differing.map(([id]) => id)).toEqual([]);
    },
  );

  it.each(appLocales.filter((locale) => locale !== 'en'))(
    "%s's core catalog has exactly the ids of the core's English one (electron/common/core-messages.ts)",
    (locale) => {
      const english = Object.keys(coreCatalogs.en);
      const other = Object.keys(coreCatalogs[locale]);
      expect({
        missing: english.filter((id) => !other.includes(id)),
        extra: other.filter((id) => !english.includes(id)),
      }).toEqual({ missing: [], extra: [] });
    },
  );

  it("the core's ids are not the window's: merged, neither hides the other", () => {
    expect(Object.keys(coreCatalogs.en).filter((id) => id in en)).toEqual([]);
  });

  it('finds a broken message and a missing argument (the checks above can fail)', () => {
    expect(syntaxErrors({ ok: 'Hosts: {count}', broken: '{count, plural, one {# host}' })).toEqual([
      expect.stringMatching(/^broken: /),
    ]);
    expect(isStructurallySame(parse('{count} hosts'), parse('主机')).success).toBe(false);
  });
});
