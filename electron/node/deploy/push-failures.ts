import { AirsprayError } from '../../common/errors';

export const pushCancelled = () =>
  new AirsprayError(
    'cancelled',
    'The push was cancelled; what reached the node stays, and the next push resumes from it.',
  );

const noPython = () =>
  new AirsprayError(
    'missing_on_node',
    'The deploy node has no python3, which the push needs there (as kubespray does on every host): install the python3 package on it, then push again.',
    'deployNode',
  );

/** The receiver's own failure (an exit status other than 0), or undefined when there was none or the link went. */
export function receiverFailure(exitCode: number | null | undefined, stderr: string): AirsprayError | undefined {
  if (typeof exitCode !== 'number' || exitCode === 0) return undefined;
  if (exitCode === 127) return noPython();
  return new AirsprayError(
    'conflict',
    `Writing the bundle on the deploy node failed (exit ${exitCode}): ${stderr.trim().split('\n').slice(-2).join(' / ') || 'no message'}.`,
    'destination',
  );
}
