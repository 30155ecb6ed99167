import { FormattedMessage, FormattedTime, useIntl } from 'react-intl';
import { formatCoreMessage } from '../i18n/core-message';
import { useAirspray } from '../store/store-context';
import { Callout } from '../ui/callout';
import { InlineCode } from '../ui/inline-code';

/** Explains a lost or refused connection and how to get it back. */
export function ConnectionBanner() {
  const intl = useIntl();
  const connection = useAirspray((state) => state.connection);
  const reconnect = useAirspray((state) => state.reconnect);
  if (connection.status === 'open' || connection.status === 'connecting') return null;

  const lost = connection.status === 'closed';
  return (
    <Callout
      tone="danger"
      role="alert"
      title={<FormattedMessage id={lost ? 'frame.connection.lostTitle' : 'frame.connection.refusedTitle'} />}
      action={
        <button type="button" className="btn" onClick={reconnect}>
          <FormattedMessage id={lost ? 'frame.connection.reconnect' : 'frame.connection.tryAgain'} />
        </button>
      }
    >
      <p>
        <InlineCode text={formatCoreMessage(intl, connection.reason)} />
      </p>
      {lost && connection.retryAt !== null && (
        <p className="muted">
          <FormattedMessage
            id="frame.connection.retryAt"
            values={{ time: <FormattedTime value={connection.retryAt} timeStyle="medium" /> }}
          />
        </p>
      )}
    </Callout>
  );
}
