import { AirsprayError } from '../../common/errors';
import { coreError } from '../i18n/format-core-message';

export const pushCancelled = () => coreError('cancelled', 'deploy.push-cancelled');

const noPython = () => coreError('missing_on_node', 'deploy.no-python3', {}, 'deployNode');

/** The receiver's own failure (an exit status other than 0), or undefined when there was none or the link went. */
export function receiverFailure(exitCode: number | null | undefined, stderr: string): AirsprayError | undefined {
  if (typeof exitCode !== 'number' || exitCode === 0) return undefined;
  if (exitCode === 127) return noPython();
  const detail = stderr.trim().split('\n').slice(-2).join(' / ');
  return coreError(
    'conflict',
    'deploy.bundle-write-failed',
    { exitCode, hasDetail: detail ? 'yes' : 'no', detail },
    'destination',
  );
}
