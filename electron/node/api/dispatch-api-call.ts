import {
  apiMethods,
  isApiMethodName,
  type ApiMethodName,
  type ApiParams,
  type ApiReply,
  type ApiResult,
} from '../../common/api';
import { describeFirstIssue } from '../../common/describe-issue';
import { AirsprayError } from '../../common/errors';

export type ApiHandlers = {
  [M in ApiMethodName]: (params: ApiParams<M>) => Promise<ApiResult<M>>;
};

/**
 * The one entry point both transports use: refuses unknown methods and params that fail the method's schema,
 * runs the handler, and turns every failure into an error reply (never a throw, so no transport can crash on it).
 */
export async function dispatchApiCall(
  handlers: ApiHandlers,
  method: unknown,
  params: unknown,
  logError: (error: unknown) => void = (error) => console.error(error),
): Promise<ApiReply> {
  if (!isApiMethodName(method)) {
    // Not String(method): an object without a prototype has no way to become a string and would throw.
    const name =
      typeof method === 'string'
        ? JSON.stringify(method).slice(0, 120)
        : `of type ${method === null ? 'null' : typeof method}`;
    return { ok: false, error: { code: 'unknown_method', message: `Unknown API method ${name}.` } };
  }
  const contract = apiMethods[method];
  let parsed: ReturnType<typeof contract.params.safeParse>;
  try {
    parsed = contract.params.safeParse(params ?? {});
  } catch {
    // zod's length checks compare values that may not convert to a number (an object without a prototype) and throw.
    return {
      ok: false,
      error: { code: 'invalid_params', message: `${method}: the params could not be read: send plain JSON values.` },
    };
  }
  if (!parsed.success) {
    const problem = describeFirstIssue(parsed.error);
    return {
      ok: false,
      error: {
        code: 'invalid_params',
        message: `${method}: ${problem.text}`,
        ...(problem.field ? { field: problem.field } : {}),
      },
    };
  }
  try {
    const handler = handlers[method] as (params: unknown) => Promise<unknown>;
    const result = await handler(parsed.data);
    return { ok: true, result: contract.result.parse(result) };
  } catch (error) {
    if (error instanceof AirsprayError) {
      return {
        ok: false,
        error: {
          code: error.code,
          message: error.message,
          ...(error.field ? { field: error.field } : {}),
          ...(error.i18n ? { i18n: error.i18n } : {}),
        },
      };
    }
    logError(error);
    return {
      ok: false,
      error: { code: 'internal', message: `${method} failed inside Airspray; the log has the details.` },
    };
  }
}
