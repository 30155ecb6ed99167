import { describe, expect, it } from 'vitest';
import type { ClusterAccess } from '../../../electron/common/cluster-api';
import { ApiCallError } from '../../../renderer/api/api-call-error';
import { createAirsprayStore } from '../../../renderer/store/create-airspray-store';
import { projectDocument, ScriptedApi } from './scripted-api';

const project = projectDocument();
const fetched: ClusterAccess = {
  kubeconfig: {
    fetchedAt: '2026-01-01T10:00:00.000Z',
    fromHost: { name: 'node1', address: '10.0.0.11' },
    server: 'https://10.0.0.11:6443',
    endpointSource: 'first-control-plane',
    protection: 'passphrase',
    availableNow: true,
  },
  nodes: {
    checkedAt: '2026-01-01T10:00:00.000Z',
    fromHost: { name: 'node1', address: '10.0.0.11' },
    nodes: [{ name: 'node1', ready: 'True', roles: ['control-plane'], kubeletVersion: 'v1.27.10' }],
  },
  lastError: null,
  clusterReset: null,
};

function openStore(api: ScriptedApi) {
  const store = createAirsprayStore(api);
  store.setState({ currentProject: project, selectedCredentialId: 'cred-1' });
  return store;
}

describe('cluster access slice', () => {
  it('fetches with the selected profile and the typed deploy key passphrase, which stays out of the state', async () => {
    const api = new ScriptedApi().on('cluster.fetchKubeconfig', () => fetched);
    const store = openStore(api);
    store.getState().setDeployKeyPassphrase('correct horse');
    await store.getState().fetchKubeconfig();
    expect(api.callsOf('cluster.fetchKubeconfig')).toEqual([
      { projectId: project.id, credentialId: 'cred-1', keyPassphrase: 'correct horse' },
    ]);
    expect(store.getState().clusterAccess).toEqual(fetched);
    expect(JSON.stringify(store.getState())).not.toContain('correct horse');
  });

  it('names the refusal by its field and keeps what was shown', async () => {
    const api = new ScriptedApi()
      .on('cluster.access', () => fetched)
      .refuses('cluster.nodes', new ApiCallError('conflict', 'No control plane answered: node1: timed out.', 'hosts'));
    const store = openStore(api);
    await store.getState().loadClusterAccess();
    await store.getState().refreshClusterNodes();
    expect(store.getState().clusterAccessError).toEqual({
      message: 'No control plane answered: node1: timed out.',
      field: 'hosts',
    });
    expect(store.getState().clusterAccess).toEqual(fetched);
    expect(store.getState().clusterAccessAction).toBeNull();
  });

  it("takes a run's automatic fetch from the event, for the open project only", () => {
    const api = new ScriptedApi();
    const store = openStore(api);
    const stop = store.getState().watchClusterAccess();
    api.emit('cluster.accessUpdated', { projectId: 'another-project', access: fetched });
    expect(store.getState().clusterAccess).toBeNull();
    api.emit('cluster.accessUpdated', { projectId: project.id, access: fetched });
    expect(store.getState().clusterAccess).toEqual(fetched);
    stop();
  });
});
