import type { MessageById } from '../i18n/core-message';

/** Where the transport stands; the desktop shell's IPC is always 'open'. */
export type ConnectionState =
  | { status: 'connecting' }
  | { status: 'open' }
  /** Lost after having been open; `retryAt` is when the next attempt starts (epoch ms), null when none is planned. */
  | { status: 'closed'; reason: MessageById; retryAt: number | null }
  /** Refused or unreachable before the first open: retrying with the same token will not help. */
  | { status: 'unauthorized'; reason: MessageById };

/** A transport's connection, as the store watches it. */
export interface ConnectionSource {
  getConnectionState(): ConnectionState;
  onConnectionStateChange(listener: (state: ConnectionState) => void): () => void;
  /** Try again now, skipping any backoff wait. */
  reconnect(): void;
}

/** For transports that cannot drop (IPC) and for tests that only need an Api. */
export const alwaysOpenConnection: ConnectionSource = {
  getConnectionState: () => ({ status: 'open' }),
  onConnectionStateChange: () => () => {},
  reconnect: () => {},
};
