import { describe, expect, it } from 'vitest';
import type { ConnectionSource, ConnectionState } from '../../../renderer/api/connection-state';
import { createAirsprayStore } from '../../../renderer/store/create-airspray-store';
import { startSession } from '../../../renderer/store/start-session';
import { ScriptedApi, settle } from './scripted-api';

function controllableConnection(initial: ConnectionState) {
  let state = initial;
  const listeners = new Set<(state: ConnectionState) => void>();
  let reconnects = 0;
  const source: ConnectionSource = {
    getConnectionState: () => state,
    onConnectionStateChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    reconnect: () => reconnects++,
  };
  return {
    source,
    set: (next: ConnectionState) => {
      state = next;
      listeners.forEach((listener) => listener(next));
    },
    reconnects: () => reconnects,
  };
}

function answeringApi() {
  return new ScriptedApi()
    .on('app.info', () => ({
      name: 'Airspray',
      version: '0.1.0',
      shell: 'browser',
      platform: 'linux',
      dataDir: '/media/stick/airspray-data',
      dataDirSource: 'portable',
    }))
    .on('projects.list', () => [])
    .on('bundles.list', () => ({ searchedFolders: [], bundles: [] }))
    .on('bundles.verifications', () => [])
    .on('discovery.suggestTargets', () => [{ cidr: '10.231.0.0/24', interfaceName: 'aslab0' }])
    .on('credentials.list', () => [])
    .on('settings.get', () => ({ locale: 'zh-CN' }));
}

describe('session start', () => {
  it('waits for the connection, then loads app info, the language, projects and bundles, and again after a reconnect', async () => {
    const api = answeringApi();
    const connection = controllableConnection({ status: 'connecting' });
    const store = createAirsprayStore(Object.assign(api, { connection: connection.source }));
    const stop = startSession(store);
    expect(api.calls).toEqual([]);

    connection.set({ status: 'open' });
    await settle();
    expect(api.calls.map((call) => call.method).sort()).toEqual([
      'app.info',
      'bundles.list',
      'bundles.verifications',
      'credentials.list',
      'discovery.suggestTargets',
      'projects.list',
      'settings.get',
    ]);
    expect(store.getState().targetSuggestions).toEqual([{ cidr: '10.231.0.0/24', interfaceName: 'aslab0' }]);
    expect(store.getState().appInfo?.dataDir).toBe('/media/stick/airspray-data');
    expect(store.getState().locale).toBe('zh-CN');
    expect(store.getState().connection).toEqual({ status: 'open' });

    connection.set({ status: 'closed', reason: { id: 'api.connection.lost', params: { code: 1006 } }, retryAt: 0 });
    expect(store.getState().connection.status).toBe('closed');
    connection.set({ status: 'open' });
    await settle();
    expect(api.calls).toHaveLength(14);

    stop();
    connection.set({ status: 'closed', reason: { id: 'api.connection.closedByWindow', params: {} }, retryAt: null });
    expect(store.getState().connection.status).toBe('open');
  });

  it('passes reconnect through to the transport', () => {
    const connection = controllableConnection({
      status: 'unauthorized',
      reason: { id: 'api.connection.noToken', params: { hint: { id: 'api.connection.fixHint', params: {} } } },
    });
    const store = createAirsprayStore(Object.assign(new ScriptedApi(), { connection: connection.source }));
    store.getState().reconnect();
    expect(connection.reconnects()).toBe(1);
  });
});
