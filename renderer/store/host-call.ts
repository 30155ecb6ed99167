import type { AirsprayState, SliceCreator } from './airspray-state';
import { fieldErrorOf, type FieldError } from './field-error';
import { isRefusal, isStillOpen, openProjectId, sshCallParams, type SshCallParams } from './session-slice';

/** What a slice stores at each stage of one call that logs in to the open project's hosts. */
export interface HostCallWrites<Result> {
  refused(error: FieldError): void;
  busy(): void;
  /** May return the follow-up it starts (a list read again), which the call then waits for. */
  done(result: Result, projectId: string): void | Promise<void>;
  failed(error: FieldError): void;
}

/**
 * Makes one call with the selected profile for the open project: refused without a profile, busy while it runs, and
 * its answer stored only while that project is still open.
 */
export async function callOpenProjectHosts<Result>(
  get: () => AirsprayState,
  call: (params: SshCallParams) => Promise<Result>,
  writes: HostCallWrites<Result>,
): Promise<void> {
  const params = sshCallParams(get());
  if (!params) return;
  if (isRefusal(params)) {
    writes.refused(params);
    return;
  }
  const id = params.projectId;
  writes.busy();
  try {
    const result = await call(params);
    if (isStillOpen(get(), id)) await writes.done(result, id);
  } catch (error) {
    if (isStillOpen(get(), id)) writes.failed(fieldErrorOf(error));
  }
}

/**
 * Reads something of the open project that needs no login (nothing while no project is open): its answer or its error
 * stored only while that project is still open.
 */
export async function readOpenProject<Result>(
  get: () => AirsprayState,
  call: (projectId: string) => Promise<Result>,
  writes: Pick<HostCallWrites<Result>, 'done' | 'failed'>,
): Promise<void> {
  const id = openProjectId(get());
  if (!id) return;
  try {
    const result = await call(id);
    if (isStillOpen(get(), id)) await writes.done(result, id);
  } catch (error) {
    if (isStillOpen(get(), id)) writes.failed(fieldErrorOf(error));
  }
}

type SetState = Parameters<SliceCreator<unknown>>[0];
type KeysHolding<Value> = {
  [K in keyof AirsprayState]: AirsprayState[K] extends Value ? K : never;
}[keyof AirsprayState];

/** Where a slice keeps one host call's busy flag and error, and the prefix of its devtools action names. */
export interface FlagKeys<Busy extends KeysHolding<boolean>, Error extends KeysHolding<FieldError | null>> {
  busy: Busy;
  error: Error;
  name: string;
}

export function flagKeys<Busy extends KeysHolding<boolean>, Error extends KeysHolding<FieldError | null>>(
  busy: Busy,
  error: Error,
  name: string,
): FlagKeys<Busy, Error> {
  return { busy, error, name };
}

type AnyFlagKeys = FlagKeys<KeysHolding<boolean>, KeysHolding<FieldError | null>>;

/** The flags of a slice's host calls at rest: not busy, no error; spread into the slice's initial state. */
export function idleFlags<Calls extends AnyFlagKeys[]>(
  ...calls: Calls
): Record<Calls[number]['busy'], boolean> & Record<Calls[number]['error'], FieldError | null> {
  const entries = calls.flatMap((keys) => [
    [keys.busy, false],
    [keys.error, null],
  ]);
  return Object.fromEntries(entries) as Record<Calls[number]['busy'], boolean> &
    Record<Calls[number]['error'], FieldError | null>;
}

/** What a flagged call stores besides its flags: cleared as it starts, written when it answers, then a follow-up. */
export interface FlaggedResult<Result> {
  cleared?: Partial<AirsprayState>;
  stored(result: Result, projectId: string): Partial<AirsprayState>;
  then?(): Promise<void>;
}

/**
 * Makes one host call (see callOpenProjectHosts) that keeps a busy flag and an error: busy while it runs, the error on
 * refusal or failure, and the answer stored as `result` says.
 */
export function callWithFlags<Result>(
  get: () => AirsprayState,
  set: SetState,
  keys: AnyFlagKeys,
  call: (params: SshCallParams) => Promise<Result>,
  result: FlaggedResult<Result>,
): Promise<void> {
  return callOpenProjectHosts(get, call, flaggedWrites(set, keys, result));
}

function flaggedWrites<Result>(
  set: SetState,
  keys: AnyFlagKeys,
  result: FlaggedResult<Result>,
): HostCallWrites<Result> {
  // The keys are typed to hold a flag and an error; an object with computed keys needs telling so.
  const write = (fields: object, action: string) =>
    set(fields as Partial<AirsprayState>, false, `${keys.name}/${action}`);
  return {
    refused: (error) => write({ [keys.error]: error }, 'refused'),
    busy: () => write({ [keys.busy]: true, [keys.error]: null, ...result.cleared }, 'busy'),
    done: (answer, projectId) => {
      write({ ...result.stored(answer, projectId), [keys.busy]: false }, 'done');
      return result.then?.();
    },
    failed: (error) => write({ [keys.busy]: false, [keys.error]: error }, 'failed'),
  };
}
