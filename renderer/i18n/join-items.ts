import type { IntlShape } from 'react-intl';

/**
 * "a, b, c" in English, "a、b、c" in Chinese: Intl.ListFormat's "unit" lists join Chinese with nothing at all, and its
 * "conjunction" lists add an "and" the English texts never had.
 */
export function joinItems(intl: IntlShape, items: readonly string[]): string {
  return items.join(intl.formatMessage({ id: 'common.listSeparator' }));
}
