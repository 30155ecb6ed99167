import type { ConnectionState } from '../api/connection-state';
import { useAirspray } from '../store/store-context';

const labels: Record<ConnectionState['status'], string> = {
  connecting: 'Connecting…',
  open: 'Connected',
  closed: 'Reconnecting',
  unauthorized: 'Not connected',
};

/** A compact state light for the header; the banner in the content area carries the details. */
export function ConnectionIndicator() {
  const status = useAirspray((state) => state.connection.status);
  return (
    <p className={`connection connection--${status}`} role="status">
      <span className="connection__dot" aria-hidden="true" />
      {labels[status]}
    </p>
  );
}
