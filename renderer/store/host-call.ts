import type { AirsprayState } from './airspray-state';
import { fieldErrorOf, type FieldError } from './field-error';
import { isRefusal, isStillOpen, sshCallParams, type SshCallParams } from './session-slice';

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
  const params = sshCallParams(get(), 'Pick a credential profile with a sudo password, or add one on the Access step.');
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
