import { z } from 'zod';
import { ApiErrorSchema, apiMethods, type ApiMethodName, type ApiResult } from '../../electron/common/api';
import { ApiCallError, transportError } from './api-call-error';

const ApiReplySchema = z.union([
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ ok: z.literal(false), error: ApiErrorSchema }),
]);

/** Checks a reply against the contract: errors become ApiCallError, results are parsed with the method's schema. */
export function readReply<M extends ApiMethodName>(method: M, raw: unknown): ApiResult<M> {
  const reply = ApiReplySchema.safeParse(raw);
  if (!reply.success) {
    throw transportError('internal', { id: 'api.reply.unreadable', params: { method } });
  }
  if (!reply.data.ok) {
    const { code, message, field, i18n } = reply.data.error;
    throw new ApiCallError(code, message, field, i18n);
  }
  const result = apiMethods[method].result.safeParse(reply.data.result);
  if (!result.success) {
    throw transportError('internal', {
      id: 'api.reply.mismatch',
      params: { method, detail: z.prettifyError(result.error) },
    });
  }
  // safeParse on a union of schemas yields a union of results; the method name fixes which one.
  return result.data as ApiResult<M>;
}
