import { createIntl, type IntlShape } from 'react-intl';
import type { BundleVerificationProgress, RefusalReason } from '../../../electron/common/bundle-verification';
import { formatBytes } from '../../../electron/common/format-bytes';
import { catalogs, type MessageId } from '../../i18n/catalogs';

// The Deploy step's push lines still call formatEta without a language; they read English until converted.
const english = createIntl({ locale: 'en', messages: catalogs.en });

export function formatEta(seconds: number | null, intl: IntlShape = english): string {
  if (seconds === null) return intl.formatMessage({ id: 'bundle.eta.estimating' });
  if (seconds < 1) return intl.formatMessage({ id: 'bundle.eta.underSecond' });
  if (seconds < 90) return intl.formatMessage({ id: 'bundle.eta.seconds' }, { seconds: Math.ceil(seconds) });
  return intl.formatMessage({ id: 'bundle.eta.minutes' }, { minutes: Math.ceil(seconds / 60) });
}

export function describeProgress(progress: BundleVerificationProgress | null, intl: IntlShape): string {
  if (!progress || progress.phase === 'signature') return intl.formatMessage({ id: 'bundle.progress.signature' });
  if (progress.phase === 'sizes')
    return intl.formatMessage({ id: 'bundle.progress.sizes' }, { count: progress.filesTotal });
  if (progress.phase === 'done') return intl.formatMessage({ id: 'bundle.progress.finishing' });
  return intl.formatMessage(
    { id: 'bundle.progress.hashing' },
    {
      done: formatBytes(progress.bytesDone, intl.locale),
      total: formatBytes(progress.bytesTotal, intl.locale),
      rate: formatBytes(progress.bytesPerSecond, intl.locale),
      eta: formatEta(progress.etaSeconds, intl),
    },
  );
}

export const refusalReasonLabels: Record<RefusalReason, MessageId> = {
  missing: 'bundle.refusal.missing',
  extra: 'bundle.refusal.extra',
  truncated: 'bundle.refusal.truncated',
  altered: 'bundle.refusal.altered',
  'bad-signature': 'bundle.refusal.badSignature',
  'unknown-publisher': 'bundle.refusal.unknownPublisher',
  'unreadable-manifest': 'bundle.refusal.unreadableManifest',
  base: 'bundle.refusal.base',
};
