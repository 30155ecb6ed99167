/** A message for the screen from whatever a failed call threw. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
