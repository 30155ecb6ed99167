import { expect } from 'vitest';
import { AirsprayError } from '../../electron/common/errors';

/** fast-check's cases per property in CI (issue #7 asks for at least 10,000). */
export const propertyRuns = 10_000;

/** Names every object has through its prototype: code that builds objects by key must take them as plain names. */
export const prototypeNames = ['__proto__', 'constructor', 'hasOwnProperty', 'toString'];

/**
 * Runs `attempt`; it may succeed, or fail with the project's own error naming the problem. Any other throw
 * (a TypeError, a RangeError, a stack overflow) fails the property with the input that caused it.
 */
export async function expectOnlyAirsprayErrors<T>(attempt: () => T | Promise<T>): Promise<T | AirsprayError> {
  try {
    return await attempt();
  } catch (error) {
    if (!(error instanceof AirsprayError))
      throw new Error(`threw ${String(error)} instead of an AirsprayError`, { cause: error });
    expect(error.message.length).toBeGreaterThan(10);
    return error;
  }
}
