import type { ReactNode } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import type { MessageId } from '../i18n/catalogs';
import { ConfirmButtons } from './confirm-buttons';

/**
 * An inline "are you sure?" in place of the button that asked: the question and its two answers, in a labelled group
 * for screen readers.
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
      <ConfirmButtons
        confirm={<FormattedMessage id={confirmId} />}
        keep={<FormattedMessage id={keepId} />}
        tone={tone}
        disabled={disabled}
        onConfirm={onConfirm}
        onKeep={onKeep}
      />
    </div>
  );
}
