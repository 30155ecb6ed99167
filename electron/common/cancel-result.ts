import { z } from 'zod';

/** What a cancel method answers: false when there was nothing running (any more) to cancel. */
export const CancelResultSchema = z.object({ cancelled: z.boolean() });

/** A cancel method's contract entry: `params` names what to cancel, the answer is always CancelResultSchema. */
export function cancelMethod<const N extends string, const P extends z.ZodRawShape>(exposeAs: N, params: P) {
  return { exposeAs, params: z.strictObject(params), result: CancelResultSchema } as const;
}
