import { FormattedMessage } from 'react-intl';
import type { ConnectionState } from '../api/connection-state';
import type { MessageId } from '../i18n/catalogs';
import { useAirspray } from '../store/store-context';

const labels: Record<ConnectionState['status'], MessageId> = {
  connecting: 'frame.connection.connecting',
  open: 'frame.connection.open',
  closed: 'frame.connection.closed',
  unauthorized: 'frame.connection.unauthorized',
};

/** A compact state light for the header; the banner in the content area carries the details. */
export function ConnectionIndicator() {
  const status = useAirspray((state) => state.connection.status);
  return (
    <p className={`connection connection--${status}`} role="status">
      <span className="connection__dot" aria-hidden="true" />
      <FormattedMessage id={labels[status]} />
    </p>
  );
}
