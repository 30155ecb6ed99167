/** Codes every transport reports; the UI maps them to messages and tests assert them. */
export const apiErrorCodes = [
  'bad_request',
  'unknown_method',
  'invalid_params',
  'not_found',
  'conflict',
  'unsupported',
  'internal',
] as const;
export type ApiErrorCode = (typeof apiErrorCodes)[number];

/** The project's own error type: every failure that reaches a user carries a code and a message naming the problem and the fix. */
export class AirsprayError extends Error {
  override readonly name = 'AirsprayError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
