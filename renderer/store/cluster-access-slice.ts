import type { Api } from '../../electron/common/api';
import type { ClusterAccess } from '../../electron/common/cluster-api';
import type { SliceCreator } from './airspray-state';
import { fieldErrorOf } from './deploy-prep-slice';
import type { FieldError } from './projects-slice';

export interface KubeconfigDownload {
  fileName: string;
  content: string;
  warning: string;
}

export interface ClusterAccessSlice {
  /** The open project's kubeconfig status and last node list; null until loaded. */
  clusterAccess: ClusterAccess | null;
  clusterAccessProjectId: string | null;
  clusterAccessAction: 'fetching' | 'nodes' | 'exporting' | null;
  clusterAccessError: FieldError | null;
  loadClusterAccess(): Promise<void>;
  /** Fetches admin.conf from a control plane now (with the selected profile and the deploy key), then the nodes. */
  fetchKubeconfig(): Promise<void>;
  refreshClusterNodes(): Promise<void>;
  /** The kubeconfig for a download; null when refused (the reason is in clusterAccessError). */
  exportKubeconfig(): Promise<KubeconfigDownload | null>;
  /** Keeps clusterAccess current from `cluster.accessUpdated` (a run's automatic fetch) until called. */
  watchClusterAccess(): () => void;
}

export function createClusterAccessSlice(api: Api): SliceCreator<ClusterAccessSlice> {
  return (set, get) => {
    const projectId = () => get().currentProject?.id ?? null;
    const keyPassphrase = () => {
      const passphrase = get().deployKeyPassphrase();
      return passphrase ? { keyPassphrase: passphrase } : {};
    };

    /** Runs one call for the open project; a result for a project no longer open is dropped. */
    async function act(action: 'fetching' | 'nodes', call: (id: string, credentialId: string) => Promise<ClusterAccess>): Promise<void> {
      const id = projectId();
      const credentialId = get().selectedCredentialId;
      if (!id) return;
      if (!credentialId) {
        set({ clusterAccessError: { message: 'Pick a credential profile with a sudo password, or add one on the Access step.', field: 'credentialId' } }, false, 'cluster/refused');
        return;
      }
      set({ clusterAccessAction: action, clusterAccessError: null }, false, `cluster/${action}`);
      try {
        const access = await call(id, credentialId);
        if (projectId() === id) set({ clusterAccess: access, clusterAccessProjectId: id, clusterAccessAction: null }, false, `cluster/${action}Done`);
      } catch (error) {
        if (projectId() === id) set({ clusterAccessAction: null, clusterAccessError: fieldErrorOf(error) }, false, `cluster/${action}Failed`);
      }
    }

    return {
      clusterAccess: null,
      clusterAccessProjectId: null,
      clusterAccessAction: null,
      clusterAccessError: null,

      loadClusterAccess: async () => {
        const id = projectId();
        if (!id) return;
        if (get().clusterAccessProjectId !== id) set({ clusterAccess: null, clusterAccessProjectId: id, clusterAccessError: null }, false, 'cluster/project');
        try {
          const access = await api.call('cluster.access', { projectId: id });
          if (projectId() === id) set({ clusterAccess: access }, false, 'cluster/loaded');
        } catch (error) {
          if (projectId() === id) set({ clusterAccessError: fieldErrorOf(error) }, false, 'cluster/loadFailed');
        }
      },

      fetchKubeconfig: () => act('fetching', (id, credentialId) => api.call('cluster.fetchKubeconfig', { projectId: id, credentialId, ...keyPassphrase() })),
      refreshClusterNodes: () => act('nodes', (id, credentialId) => api.call('cluster.nodes', { projectId: id, credentialId, ...keyPassphrase() })),

      exportKubeconfig: async () => {
        const id = projectId();
        if (!id) return null;
        set({ clusterAccessAction: 'exporting', clusterAccessError: null }, false, 'cluster/exporting');
        try {
          const download = await api.call('cluster.exportKubeconfig', { projectId: id, ...keyPassphrase() });
          set({ clusterAccessAction: null }, false, 'cluster/exported');
          return download;
        } catch (error) {
          set({ clusterAccessAction: null, clusterAccessError: fieldErrorOf(error) }, false, 'cluster/exportFailed');
          return null;
        }
      },

      watchClusterAccess: () =>
        api.subscribe('cluster.accessUpdated', ({ projectId: updated, access }) => {
          if (updated === projectId()) set({ clusterAccess: access, clusterAccessProjectId: updated }, false, 'cluster/updated');
        }),
    };
  };
}
