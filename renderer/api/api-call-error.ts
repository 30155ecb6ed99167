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
  ) {
    super(message);
  }
}
