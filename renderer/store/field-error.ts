import { ApiCallError } from '../api/api-call-error';
import { describeError } from '../api/describe-error';

/** An error the API tied to one input (`field` as the API named it). */
export interface FieldError {
  message: string;
  field?: string;
}

/** Whatever a failed call threw, with the input the API named when it named one. */
export const fieldErrorOf = (error: unknown): FieldError =>
  error instanceof ApiCallError && error.field !== undefined
    ? { message: error.message, field: error.field }
    : { message: describeError(error) };
