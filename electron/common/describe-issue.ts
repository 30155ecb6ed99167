import type { z } from 'zod';

/** The first schema problem as "field "a.b": message", for errors that name the field and the fix. */
export function describeFirstIssue(error: z.ZodError): { field: string; text: string } {
  const issue = error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '';
  const message = issue?.message ?? 'invalid';
  return { field, text: field ? `field "${field}": ${message}` : message };
}
