import type { ApiErrorCode } from '../../electron/common/errors';
import { formatCoreMessage, type MessageById } from '../i18n/core-message';
import { englishIntl } from '../i18n/english-intl';

/** 'disconnected' is the transport's own code: the call never reached the app or its answer was lost. */
export type ApiCallErrorCode = ApiErrorCode | 'disconnected';

/** A failed API call, as the renderer sees it: the app's error body, or a lost connection. */
export class ApiCallError extends Error {
  override readonly name = 'ApiCallError';
  constructor(
    readonly code: ApiCallErrorCode,
    message: string,
    readonly field?: string,
    /** The message by id and values, to show in the window's language (describeError). */
    readonly i18n?: MessageById,
  ) {
    super(message);
  }
}

/** A failure the transport itself found: English in `message`, by id for the window's language. */
export const transportError = (code: ApiCallErrorCode, message: MessageById) =>
  new ApiCallError(code, formatCoreMessage(englishIntl, message), undefined, message);
