import type { Api, ApiResult } from '../../electron/common/api';
import type { ConnectionSource, ConnectionState } from '../api/connection-state';
import type { SliceCreator } from './airspray-state';
import { describeError } from '../api/describe-error';

export type AppInfo = ApiResult<'app.info'>;

export interface ConnectionSlice {
  connection: ConnectionState;
  appInfo: AppInfo | null;
  appInfoError: string | null;
  /** Mirrors the transport's state into the store until the returned function is called. */
  watchConnection(): () => void;
  reconnect(): void;
  loadAppInfo(): Promise<void>;
}

export function createConnectionSlice(api: Api, source: ConnectionSource): SliceCreator<ConnectionSlice> {
  return (set, get) => ({
    connection: source.getConnectionState(),
    appInfo: null,
    appInfoError: null,
    watchConnection: () => {
      set({ connection: source.getConnectionState() }, false, 'connection/changed');
      return source.onConnectionStateChange((connection) => set({ connection }, false, 'connection/changed'));
    },
    reconnect: () => source.reconnect(),
    loadAppInfo: async () => {
      try {
        const appInfo = await api.call('app.info', {});
        set({ appInfo, appInfoError: null }, false, 'connection/appInfoLoaded');
      } catch (error) {
        set({ appInfoError: describeError(error, get().locale) }, false, 'connection/appInfoFailed');
      }
    },
  });
}
