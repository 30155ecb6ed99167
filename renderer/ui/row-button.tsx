import { FormattedMessage, useIntl } from 'react-intl';
import type { MessageId } from '../i18n/catalogs';

/**
 * A small button on one row of a list or table: a short word on screen (`textId`), and for screen readers a label
 * that names the row (`labelId` with `values`), since every row's button reads the same.
 */
export function RowButton({
  textId,
  labelId,
  values,
  ghost = false,
  disabled = false,
  onClick,
}: {
  textId: MessageId;
  labelId: MessageId;
  values: Record<string, string>;
  ghost?: boolean;
  disabled?: boolean;
  onClick(): void;
}) {
  const intl = useIntl();
  return (
    <button
      type="button"
      className={ghost ? 'btn btn--ghost btn--small' : 'btn btn--small'}
      disabled={disabled}
      aria-label={intl.formatMessage({ id: labelId }, values)}
      onClick={onClick}
    >
      <FormattedMessage id={textId} />
    </button>
  );
}
