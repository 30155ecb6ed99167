import type { ReactNode } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import type { MessageId } from '../i18n/catalogs';

/**
 * An inline "are you sure?" in place of the button that asked: the question, the button that does it (`tone` colours
 * it: danger for what stops or destroys), and one that keeps things as they are. A labelled group for screen readers.
 */
export function ConfirmRow({
  labelId,
  question,
  confirmId,
  keepId,
  tone,
  className,
  disabled = false,
  onConfirm,
  onKeep,
}: {
  labelId: MessageId;
  question: ReactNode;
  confirmId: MessageId;
  keepId: MessageId;
  tone: 'primary' | 'danger';
  className?: string;
  disabled?: boolean;
  onConfirm(): void;
  onKeep(): void;
}) {
  const intl = useIntl();
  return (
    <div
      className={className ? `confirm-row ${className}` : 'confirm-row'}
      role="group"
      aria-label={intl.formatMessage({ id: labelId })}
    >
      <span>{question}</span>
      <button type="button" className={`btn btn--${tone}`} disabled={disabled} onClick={onConfirm}>
        <FormattedMessage id={confirmId} />
      </button>
      <button type="button" className="btn btn--ghost" onClick={onKeep}>
        <FormattedMessage id={keepId} />
      </button>
    </div>
  );
}
