import { expect } from 'vitest';
import { AirsprayError } from '../../electron/common/errors';

/** The AirsprayError `promise` rejects with; fails the test if it resolves or rejects with anything else. */
export async function airsprayRefusal(promise: Promise<unknown>): Promise<AirsprayError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AirsprayError);
  return error as AirsprayError;
}
