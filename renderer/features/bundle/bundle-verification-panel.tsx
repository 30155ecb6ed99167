import { FormattedMessage, useIntl } from 'react-intl';
import { useState } from 'react';
import type { BundleVerificationResult } from '../../../electron/common/bundle-verification';
import { useAirspray } from '../../store/store-context';
import { formatBytes } from '../../../electron/common/format-bytes';
import { describeProgress, refusalReasonLabels } from './format-verification';
import { signerFingerprint, TrustPublisherDialog } from './trust-publisher-dialog';
import { formatDateTime } from '../../ui/format-date-time';
import { Callout } from '../../ui/callout';
import { formatCoreMessage } from '../../i18n/core-message';
import { Note } from '../../ui/note';

const shownRefusals = 12;

/** The card's status badge: what the last verification (or none) says about the bundle as it lies now. */
export function VerificationBadge({ path }: { path: string }) {
  const verification = useAirspray((state) => state.bundleVerifications[path]);
  if (verification?.running)
    return (
      <span className="badge">
        <FormattedMessage id="bundle.badge.verifying" />
      </span>
    );
  const result = verification?.result;
  if (!result)
    return (
      <span className="badge badge--attention">
        <FormattedMessage id="bundle.badge.notVerified" />
      </span>
    );
  if (result.outcome === 'verified') {
    return (
      <span className="badge badge--success">
        <FormattedMessage id={result.mode === 'full' ? 'bundle.badge.verified' : 'bundle.badge.quickChecked'} />
      </span>
    );
  }
  return (
    <span className="badge badge--danger">
      <FormattedMessage id="bundle.badge.refused" />
    </span>
  );
}

/** Verify / Quick check / Cancel, the progress bar (bytes, rate, time left) and the result with every refusal. */
export function BundleVerificationPanel({ path, folderName }: { path: string; folderName: string }) {
  const intl = useIntl();
  const verification = useAirspray((state) => state.bundleVerifications[path]);
  const verifyBundle = useAirspray((state) => state.verifyBundle);
  const cancel = useAirspray((state) => state.cancelBundleVerification);
  const running = verification?.running ?? false;
  const progress = verification?.progress ?? null;
  const hashing = progress?.phase === 'hashing' && progress.bytesTotal > 0;
  // undefined: the add-a-publisher dialog is closed; otherwise the refused signer's fingerprint (null if unnamed).
  const [trustSignedBy, setTrustSignedBy] = useState<string | null | undefined>(undefined);

  return (
    <section
      className="verification"
      aria-label={intl.formatMessage({ id: 'bundle.verify.label' }, { folder: folderName })}
    >
      <div className="verification__actions">
        <button
          type="button"
          className="btn btn--primary"
          disabled={running}
          onClick={() => void verifyBundle(path, 'full')}
        >
          <FormattedMessage id="bundle.verify.full" />
        </button>
        <button type="button" className="btn" disabled={running} onClick={() => void verifyBundle(path, 'quick')}>
          <FormattedMessage id="bundle.verify.quick" />
        </button>
        {running && (
          <button type="button" className="btn btn--ghost" onClick={() => void cancel(path)}>
            <FormattedMessage id="bundle.cancel" />
          </button>
        )}
      </div>
      {running && (
        <div className="verification__progress">
          <progress
            aria-label={intl.formatMessage({ id: 'bundle.verify.progress' }, { folder: folderName })}
            max={hashing ? progress.bytesTotal : undefined}
            value={hashing ? progress.bytesDone : undefined}
          />
          <p className="small" role="status">
            {describeProgress(progress, intl)}
            {hashing &&
              intl.formatMessage(
                { id: 'bundle.verify.fileOf' },
                { file: Math.min(progress.filesDone + 1, progress.filesTotal), total: progress.filesTotal },
              )}
          </p>
        </div>
      )}
      {verification?.error && (
        <p className="verification__error" role="alert">
          {verification.error}
        </p>
      )}
      {!running && verification?.result && (
        <VerificationResult result={verification.result} onAddPublisher={setTrustSignedBy} />
      )}
      {trustSignedBy !== undefined && (
        <TrustPublisherDialog
          signedBy={trustSignedBy}
          onClose={() => setTrustSignedBy(undefined)}
          onTrusted={() => {
            setTrustSignedBy(undefined);
            void verifyBundle(path, verification?.result?.mode ?? 'full');
          }}
        />
      )}
    </section>
  );
}

function VerificationResult({
  result,
  onAddPublisher,
}: {
  result: BundleVerificationResult;
  onAddPublisher: (signedBy: string | null) => void;
}) {
  const intl = useIntl();
  const when = intl.formatMessage(
    { id: 'bundle.result.when' },
    { time: formatDateTime(result.finishedAt, intl.locale), fromCache: result.fromCache },
  );
  if (result.outcome === 'verified') {
    return (
      <Callout
        tone="success"
        className="verification__result"
        title={
          <FormattedMessage id={result.mode === 'full' ? 'bundle.result.verified' : 'bundle.result.quickPassed'} />
        }
      >
        <p>
          <FormattedMessage
            id="bundle.result.summary"
            values={{
              files: result.filesChecked,
              hashed: result.mode === 'full' && !result.fromCache,
              bytes: formatBytes(result.bytesHashed, intl.locale),
              seconds: result.durationMs / 1000,
              publisher: result.publisher?.name,
              fingerprint: <code>{result.publisher?.fingerprint}</code>,
              when,
            }}
          />
        </p>
        {result.mode === 'quick' && <Note id="bundle.result.quickNote" small />}
      </Callout>
    );
  }
  return (
    <Callout
      tone="danger"
      className="verification__result"
      role="alert"
      title={<FormattedMessage id="bundle.result.refused" values={{ count: result.refusals.length }} />}
    >
      <ul className="refusals" aria-label={intl.formatMessage({ id: 'bundle.result.refusals' })}>
        {result.refusals.slice(0, shownRefusals).map((refusal) => (
          <li key={`${refusal.reason}:${refusal.path}`}>
            <span className="refusals__reason">{intl.formatMessage({ id: refusalReasonLabels[refusal.reason] })}</span>{' '}
            <code className="path">{refusal.path}</code>
            <span className="muted small">
              {' '}
              {refusal.i18n ? formatCoreMessage(intl, refusal.i18n) : refusal.detail}
            </span>
            {refusal.reason === 'unknown-publisher' && (
              <div>
                <button type="button" className="btn" onClick={() => onAddPublisher(signerFingerprint(refusal.detail))}>
                  <FormattedMessage id="bundle.result.addPublisher" />
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
      {result.refusals.length > shownRefusals && (
        <p className="small">
          <FormattedMessage
            id="bundle.result.more"
            values={{ count: result.refusals.length - shownRefusals, command: 'airspray bundle verify' }}
          />
        </p>
      )}
      <p className="muted small">
        <FormattedMessage id="bundle.result.whenLine" values={{ when }} />
      </p>
    </Callout>
  );
}
