import { createIntl, type IntlShape } from 'react-intl';
import { catalogs, type MessageId } from './catalogs';
import type { AppLocale } from './locales';

const intls = new Map<AppLocale, IntlShape>();

/** A language's catalog outside React, for the store, which formats what it keeps in the language chosen then. */
export function intlFor(locale: AppLocale): IntlShape {
  let intl = intls.get(locale);
  if (!intl) {
    intl = createIntl({ locale, defaultLocale: 'en', messages: catalogs[locale] });
    intls.set(locale, intl);
  }
  return intl;
}

/** A window message in `locale`, for text the store keeps (said in the language chosen when it was made). */
export const formatIn = (locale: AppLocale, id: MessageId, values?: Record<string, string | number>) =>
  intlFor(locale).formatMessage({ id }, values);

/** The English catalog outside React, for a caller that is not given the window's language (it reads English). */
export const englishIntl = intlFor('en');
