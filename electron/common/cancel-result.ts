import { z } from 'zod';

/** What a cancel method answers: false when there was nothing running (any more) to cancel. */
export const CancelResultSchema = z.object({ cancelled: z.boolean() });
