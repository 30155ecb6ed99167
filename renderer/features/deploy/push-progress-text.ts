import type { IntlShape } from 'react-intl';
import { formatBytes } from '../../../electron/common/format-bytes';

/** Time left in a push, in the chosen language: seconds under a minute and a half, minutes after. */
export function formatEta(intl: IntlShape, seconds: number | null): string {
  if (seconds === null) return intl.formatMessage({ id: 'deploy.eta.estimating' });
  if (seconds < 1) return intl.formatMessage({ id: 'deploy.eta.underSecond' });
  if (seconds < 90) return intl.formatMessage({ id: 'deploy.eta.seconds' }, { seconds: Math.ceil(seconds) });
  return intl.formatMessage({ id: 'deploy.eta.minutes' }, { minutes: Math.ceil(seconds / 60) });
}

/** "1.2 MB of 3.4 MB": how far a push has come. */
export const describeBytesDone = (intl: IntlShape, progress: { bytesDone: number; bytesTotal: number }): string =>
  intl.formatMessage(
    { id: 'deploy.progress.bytes' },
    { done: formatBytes(progress.bytesDone, intl.locale), total: formatBytes(progress.bytesTotal, intl.locale) },
  );

/** "2.0 MB/s" and the time left: how fast a push goes. */
export const describeSpeed = (
  intl: IntlShape,
  progress: { rateBytesPerSecond: number; etaSeconds: number | null },
): string[] => [
  intl.formatMessage({ id: 'deploy.progress.rate' }, { rate: formatBytes(progress.rateBytesPerSecond, intl.locale) }),
  formatEta(intl, progress.etaSeconds),
];
