import { z } from 'zod';
import { ApiErrorSchema, apiMethods, type ApiMethodName, type ApiResult } from '../../electron/common/api';
import { ApiCallError } from './api-call-error';

const ApiReplySchema = z.union([
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ ok: z.literal(false), error: ApiErrorSchema }),
]);

/** Checks a reply against the contract: errors become ApiCallError, results are parsed with the method's schema. */
export function readReply<M extends ApiMethodName>(method: M, raw: unknown): ApiResult<M> {
  const reply = ApiReplySchema.safeParse(raw);
  if (!reply.success) {
    throw new ApiCallError('internal', `The app's answer to ${method} is not a reply this window understands.`);
  }
  if (!reply.data.ok) {
    const { code, message, field, i18n } = reply.data.error;
    throw new ApiCallError(code, message, field, i18n);
  }
  const result = apiMethods[method].result.safeParse(reply.data.result);
  if (!result.success) {
    throw new ApiCallError(
      'internal',
      `The app's answer to ${method} does not match the contract (${z.prettifyError(result.error)}); ` +
        'the app and this window may be different versions: reload the window.',
    );
  }
  // safeParse on a union of schemas yields a union of results; the method name fixes which one.
  return result.data as ApiResult<M>;
}
