import { useAirspray } from '../store/store-context';
import { AlertIcon } from '../ui/icons';
import { InlineCode } from '../ui/inline-code';

/** Explains a lost or refused connection and how to get it back. */
export function ConnectionBanner() {
  const connection = useAirspray((state) => state.connection);
  const reconnect = useAirspray((state) => state.reconnect);
  if (connection.status === 'open' || connection.status === 'connecting') return null;

  const lost = connection.status === 'closed';
  return (
    <div className="callout callout--danger" role="alert">
      <AlertIcon />
      <div className="callout__body">
        <p className="callout__title">{lost ? 'Connection to Airspray lost' : 'Not connected to Airspray'}</p>
        <p>
          <InlineCode text={connection.reason} />
        </p>
        {lost && connection.retryAt !== null && (
          <p className="muted">Trying again by itself at {new Date(connection.retryAt).toLocaleTimeString()}.</p>
        )}
      </div>
      <button type="button" className="btn" onClick={reconnect}>
        {lost ? 'Reconnect now' : 'Try again'}
      </button>
    </div>
  );
}
