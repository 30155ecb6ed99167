import type { CoreMessage } from '../../electron/common/core-messages';
import type { ApiErrorCode } from '../../electron/common/errors';

/** 'disconnected' is the transport's own code: the call never reached the app or its answer was lost. */
export type ApiCallErrorCode = ApiErrorCode | 'disconnected';

/** A failed API call, as the renderer sees it: the app's error body, or a lost connection. */
export class ApiCallError extends Error {
  override readonly name = 'ApiCallError';
  constructor(
    readonly code: ApiCallErrorCode,
    message: string,
    readonly field?: string,
    /** The message by core id and values, to show in the window's language (describeError). */
    readonly i18n?: CoreMessage,
  ) {
    super(message);
  }
}
