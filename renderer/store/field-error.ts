import { ApiCallError } from '../api/api-call-error';
import { describeError } from '../api/describe-error';
import type { AppLocale } from '../i18n/locales';

/** An error the API tied to one input (`field` as the API named it). */
export interface FieldError {
  message: string;
  field?: string;
}

/** Whatever a failed call threw, in `locale`, with the input the API named when it named one. */
export const fieldErrorOf = (error: unknown, locale?: AppLocale): FieldError =>
  error instanceof ApiCallError && error.field !== undefined
    ? { message: describeError(error, locale), field: error.field }
    : { message: describeError(error, locale) };
