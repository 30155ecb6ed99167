import { useEffect, useId, useRef, useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useAirspray } from '../../store/store-context';
import { CheckIcon } from '../../ui/icons';
import { ErrorText } from '../../ui/error-text';
import { Field, InputField } from '../../ui/text-field';
import { Note } from '../../ui/note';
import { Callout } from '../../ui/callout';

/** Fingerprints are compared as typed from a phone call or a printout: spaces and a missing prefix do not matter. */
export function sameFingerprint(typed: string, fingerprint: string): boolean {
  const normalize = (value: string) => value.replace(/\s+/g, '').replace(/^SHA256:/i, '');
  return normalize(typed) !== '' && normalize(typed) === normalize(fingerprint);
}

/** The fingerprint a refusal names as the signer ("Signed by key SHA256:…"), if it does. */
export function signerFingerprint(detail: string): string | null {
  return /\b(SHA256:[A-Za-z0-9+/]+)/.exec(detail)?.[1] ?? null;
}

interface TrustPublisherDialogProps {
  /** The fingerprint of the key that signed the refused bundle, to warn when the pasted key is another one. */
  signedBy: string | null;
  onClose: () => void;
  onTrusted: () => void;
}

/**
 * Adds a publisher key only after an explicit confirmation: the operator pastes the key, sees its fingerprint,
 * and types the fingerprint the publisher gave them through another channel; only a match enables the trust.
 */
export function TrustPublisherDialog({ signedBy, onClose, onTrusted }: TrustPublisherDialogProps) {
  const intl = useIntl();
  const describeKey = useAirspray((state) => state.describePublisherKey);
  const trust = useAirspray((state) => state.trustPublisher);
  const dialog = useRef<HTMLDialogElement>(null);
  const ids = useId();
  const [name, setName] = useState('');
  const [publicKey, setPublicKey] = useState('');
  const [fingerprint, setFingerprint] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const element = dialog.current;
    element?.showModal();
    return () => element?.close();
  }, []);

  const showFingerprint = async () => {
    setError(null);
    setFingerprint(null);
    setTyped('');
    try {
      setFingerprint(await describeKey(publicKey.trim()));
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  const confirmed = fingerprint !== null && sameFingerprint(typed, fingerprint);
  const submit = async () => {
    if (!fingerprint || !confirmed) return;
    setBusy(true);
    setError(null);
    try {
      await trust({ name: name.trim(), publicKey: publicKey.trim(), confirmedFingerprint: fingerprint });
      onTrusted();
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialog} className="modal trust-dialog" aria-labelledby={`${ids}-title`} onCancel={onClose}>
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <h2 id={`${ids}-title`}>
          <FormattedMessage id="bundle.trust.title" />
        </h2>
        <Note id="bundle.trust.warning" small />
        <InputField
          label={intl.formatMessage({ id: 'bundle.trust.name' })}
          value={name}
          maxLength={100}
          onChange={setName}
        />
        <Field label={intl.formatMessage({ id: 'bundle.trust.key' })}>
          {(input) => (
            <textarea
              {...input}
              className="input mono"
              rows={4}
              spellCheck={false}
              placeholder="-----BEGIN PUBLIC KEY-----"
              value={publicKey}
              onChange={(event) => {
                setPublicKey(event.target.value);
                setFingerprint(null);
                setTyped('');
              }}
            />
          )}
        </Field>
        <div className="trust-dialog__row">
          <button
            type="button"
            className="btn"
            disabled={publicKey.trim() === ''}
            onClick={() => void showFingerprint()}
          >
            <FormattedMessage id="bundle.trust.showFingerprint" />
          </button>
        </div>
        {fingerprint && (
          <>
            <p className="trust-dialog__fingerprint">
              <span className="muted small">
                <FormattedMessage id="bundle.trust.keyFingerprint" />
              </span>
              <code aria-label={intl.formatMessage({ id: 'bundle.trust.pastedFingerprint' })}>{fingerprint}</code>
            </p>
            {signedBy && signedBy !== fingerprint && (
              <Callout tone="danger" role="alert">
                <FormattedMessage id="bundle.trust.otherKey" values={{ signedBy }} />
              </Callout>
            )}
            <InputField
              label={intl.formatMessage({ id: 'bundle.trust.typed' })}
              inputClassName="input mono"
              autoComplete="off"
              spellCheck={false}
              value={typed}
              onChange={setTyped}
              aria-describedby={`${ids}-match`}
            />
            <p id={`${ids}-match`} className="small" role="status">
              {typed.trim() === '' ? (
                <FormattedMessage id="bundle.trust.typeToConfirm" />
              ) : confirmed ? (
                <span className="trust-dialog__match">
                  <CheckIcon /> <FormattedMessage id="bundle.trust.matches" />
                </span>
              ) : (
                <FormattedMessage id="bundle.trust.noMatch" />
              )}
            </p>
          </>
        )}
        <ErrorText message={error} />
        <div className="trust-dialog__row trust-dialog__actions">
          <button type="button" className="btn btn--ghost" onClick={onClose}>
            <FormattedMessage id="bundle.cancel" />
          </button>
          <button type="submit" className="btn btn--primary" disabled={!confirmed || name.trim() === '' || busy}>
            <FormattedMessage id="bundle.trust.submit" />
          </button>
        </div>
      </form>
    </dialog>
  );
}
