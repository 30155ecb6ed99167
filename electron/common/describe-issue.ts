import type { z } from 'zod';

/** The first schema problem as "field "a.b": message", for errors that name the field and the fix. */
export function describeFirstIssue(error: z.ZodError): { field: string; text: string } {
  const issue = error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '';
  const message = issue?.message ?? 'invalid';
  return { field, text: field ? `field "${field}": ${message}` : message };
}

/** `value` as `schema` reads it; otherwise throws what `refusal` makes of the schema's first complaint. */
export function parseOrRefuse<S extends z.ZodType>(
  schema: S,
  value: unknown,
  refusal: (problem: string) => Error,
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw refusal(parsed.error.issues[0]?.message ?? 'invalid');
  return parsed.data;
}
