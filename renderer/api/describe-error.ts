import { formatCoreMessage } from '../i18n/core-message';
import { intlFor } from '../i18n/english-intl';
import type { AppLocale } from '../i18n/locales';
import { ApiCallError } from './api-call-error';

/**
 * A message for the screen from whatever a failed call threw: in `locale` when the core sent it by id, else the text
 * as it came (the core's English, or the transport's own).
 */
export function describeError(error: unknown, locale: AppLocale = 'en'): string {
  if (error instanceof ApiCallError && error.i18n && locale !== 'en')
    return formatCoreMessage(intlFor(locale), error.i18n);
  return error instanceof Error ? error.message : String(error);
}
