import { useIntl } from 'react-intl';
import { useState } from 'react';
import type { BundleVerificationResult } from '../../../electron/common/bundle-verification';
import { useAirspray } from '../../store/store-context';
import { AlertIcon, CheckIcon } from '../../ui/icons';
import { formatBytes } from '../../../electron/common/format-bytes';
import { describeProgress, refusalReasonLabels } from './format-verification';
import { signerFingerprint, TrustPublisherDialog } from './trust-publisher-dialog';
import { formatDateTime } from '../../ui/format-date-time';

const shownRefusals = 12;

/** The card's status badge: what the last verification (or none) says about the bundle as it lies now. */
export function VerificationBadge({ path }: { path: string }) {
  const verification = useAirspray((state) => state.bundleVerifications[path]);
  if (verification?.running) return <span className="badge">Verifying…</span>;
  const result = verification?.result;
  if (!result) return <span className="badge badge--attention">Not verified yet</span>;
  if (result.outcome === 'verified') {
    return (
      <span className="badge badge--success">
        {result.mode === 'full' ? 'Verified' : 'Signature and sizes checked'}
      </span>
    );
  }
  return <span className="badge badge--danger">Refused</span>;
}

/** Verify / Quick check / Cancel, the progress bar (bytes, rate, time left) and the result with every refusal. */
export function BundleVerificationPanel({ path, folderName }: { path: string; folderName: string }) {
  const verification = useAirspray((state) => state.bundleVerifications[path]);
  const verifyBundle = useAirspray((state) => state.verifyBundle);
  const cancel = useAirspray((state) => state.cancelBundleVerification);
  const running = verification?.running ?? false;
  const progress = verification?.progress ?? null;
  const hashing = progress?.phase === 'hashing' && progress.bytesTotal > 0;
  // undefined: the add-a-publisher dialog is closed; otherwise the refused signer's fingerprint (null if unnamed).
  const [trustSignedBy, setTrustSignedBy] = useState<string | null | undefined>(undefined);

  return (
    <section className="verification" aria-label={`Verification of ${folderName}`}>
      <div className="verification__actions">
        <button
          type="button"
          className="btn btn--primary"
          disabled={running}
          onClick={() => void verifyBundle(path, 'full')}
        >
          Verify
        </button>
        <button type="button" className="btn" disabled={running} onClick={() => void verifyBundle(path, 'quick')}>
          Quick check
        </button>
        {running && (
          <button type="button" className="btn btn--ghost" onClick={() => void cancel(path)}>
            Cancel
          </button>
        )}
      </div>
      {running && (
        <div className="verification__progress">
          <progress
            aria-label={`Verifying ${folderName}`}
            max={hashing ? progress.bytesTotal : undefined}
            value={hashing ? progress.bytesDone : undefined}
          />
          <p className="small" role="status">
            {describeProgress(progress)}
            {hashing && ` · file ${Math.min(progress.filesDone + 1, progress.filesTotal)} of ${progress.filesTotal}`}
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
  const { locale } = useIntl();
  const when = `${formatDateTime(result.finishedAt, locale)}${result.fromCache ? ', remembered: nothing changed since' : ''}`;
  if (result.outcome === 'verified') {
    return (
      <div className="callout callout--success verification__result">
        <CheckIcon />
        <div>
          <p className="callout__title">
            {result.mode === 'full'
              ? 'Verified: every file matches the signed manifest'
              : 'Signature valid; every file present with its size'}
          </p>
          <p>
            {result.filesChecked} files
            {result.mode === 'full' && !result.fromCache
              ? `, ${formatBytes(result.bytesHashed)} hashed in ${(result.durationMs / 1000).toFixed(1)} s`
              : ''}
            . Signed by {result.publisher?.name} <code>{result.publisher?.fingerprint}</code>. {when}.
          </p>
          {result.mode === 'quick' && (
            <p className="muted small">A quick check does not read file contents; deploy needs a full verification.</p>
          )}
        </div>
      </div>
    );
  }
  return (
    <div className="callout callout--danger verification__result" role="alert">
      <AlertIcon />
      <div>
        <p className="callout__title">
          Refused: {result.refusals.length} problem{result.refusals.length === 1 ? '' : 's'}. Do not deploy from this
          bundle.
        </p>
        <ul className="refusals" aria-label="Refusals">
          {result.refusals.slice(0, shownRefusals).map((refusal) => (
            <li key={`${refusal.reason}:${refusal.path}`}>
              <span className="refusals__reason">{refusalReasonLabels[refusal.reason]}</span>{' '}
              <code className="path">{refusal.path}</code>
              <span className="muted small"> {refusal.detail}</span>
              {refusal.reason === 'unknown-publisher' && (
                <div>
                  <button
                    type="button"
                    className="btn"
                    onClick={() => onAddPublisher(signerFingerprint(refusal.detail))}
                  >
                    Add the publisher's key…
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
        {result.refusals.length > shownRefusals && (
          <p className="small">
            and {result.refusals.length - shownRefusals} more (run “airspray bundle verify” for the full list).
          </p>
        )}
        <p className="muted small">{when}.</p>
      </div>
    </div>
  );
}
