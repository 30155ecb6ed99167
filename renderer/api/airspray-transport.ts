import type { Api } from '../../electron/common/api';
import type { ConnectionSource } from './connection-state';

/** What each transport hands the store: the typed Api plus its connection. */
export interface AirsprayTransport extends Api {
  readonly connection: ConnectionSource;
}
