import type { BundleVerificationProgress, RefusalReason } from '../../../electron/common/bundle-verification';
import { formatBytes } from '../../../electron/common/format-bytes';

export function formatEta(seconds: number | null): string {
  if (seconds === null) return 'estimating time left';
  if (seconds < 1) return 'under a second left';
  if (seconds < 90) return `${Math.ceil(seconds)} s left`;
  return `${Math.ceil(seconds / 60)} min left`;
}

export function describeProgress(progress: BundleVerificationProgress | null): string {
  if (!progress || progress.phase === 'signature') return 'Checking the signature…';
  if (progress.phase === 'sizes') return `Checking ${progress.filesTotal} files are present with their sizes…`;
  if (progress.phase === 'done') return 'Finishing…';
  return `${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)} · ${formatBytes(progress.bytesPerSecond)}/s · ${formatEta(progress.etaSeconds)}`;
}

export const refusalReasonLabels: Record<RefusalReason, string> = {
  missing: 'Missing',
  extra: 'Not in the manifest',
  truncated: 'Truncated',
  altered: 'Altered',
  'bad-signature': 'Bad signature',
  'unknown-publisher': 'Unknown publisher',
  'unreadable-manifest': 'Unreadable manifest',
};
