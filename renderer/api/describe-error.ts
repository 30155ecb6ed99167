import { formatCoreMessage, type MessageById } from '../i18n/core-message';
import { intlFor } from '../i18n/english-intl';
import type { AppLocale } from '../i18n/locales';
import { ApiCallError } from './api-call-error';

/**
 * A message for the screen from whatever a failed call threw: in `locale` when the core or the transport gave it by
 * id, else the text as it came (the core's English).
 */
export function describeError(error: unknown, locale: AppLocale = 'en'): string {
  if (error instanceof ApiCallError) return describeReported(error, locale);
  return error instanceof Error ? error.message : String(error);
}

/** A failure the core reported (an error, or one inside an event): in `locale` when it came by id, else as it came. */
export function describeReported(
  failure: { message: string; i18n?: MessageById | undefined },
  locale: AppLocale,
): string {
  return failure.i18n && locale !== 'en' ? formatCoreMessage(intlFor(locale), failure.i18n) : failure.message;
}
