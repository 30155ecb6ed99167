import type { Api } from '../../electron/common/api';
import type { ClusterAccess } from '../../electron/common/cluster-api';
import type { SliceCreator } from './airspray-state';
import { fieldErrorOf, type FieldError } from './field-error';
import { callOpenProjectHosts, readOpenProject } from './host-call';
import { isStillOpen, keyPassphraseParam, openProjectId, type SshCallParams } from './session-slice';

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

/** Nothing loaded: the state before the first load, and again when another project is open. */
const initialClusterAccess = {
  clusterAccess: null,
  clusterAccessProjectId: null,
  clusterAccessAction: null,
  clusterAccessError: null,
} as const;

export function createClusterAccessSlice(api: Api): SliceCreator<ClusterAccessSlice> {
  return (set, get) => {
    /** Runs one call for the open project; a result for a project no longer open is dropped. */
    const act = (action: 'fetching' | 'nodes', call: (params: SshCallParams) => Promise<ClusterAccess>) =>
      callOpenProjectHosts(get, call, {
        refused: (error) => set({ clusterAccessError: error }, false, 'cluster/refused'),
        busy: () => set({ clusterAccessAction: action, clusterAccessError: null }, false, `cluster/${action}`),
        done: (access, id) =>
          set(
            { clusterAccess: access, clusterAccessProjectId: id, clusterAccessAction: null },
            false,
            `cluster/${action}Done`,
          ),
        failed: (error) =>
          set({ clusterAccessAction: null, clusterAccessError: error }, false, `cluster/${action}Failed`),
      });

    return {
      ...initialClusterAccess,

      loadClusterAccess: () =>
        readOpenProject(
          get,
          (projectId) => {
            if (get().clusterAccessProjectId !== projectId)
              set({ ...initialClusterAccess, clusterAccessProjectId: projectId }, false, 'cluster/project');
            return api.call('cluster.access', { projectId });
          },
          {
            done: (access) => set({ clusterAccess: access }, false, 'cluster/loaded'),
            failed: (error) => set({ clusterAccessError: error }, false, 'cluster/loadFailed'),
          },
        ),

      fetchKubeconfig: () => act('fetching', (params) => api.call('cluster.fetchKubeconfig', params)),
      refreshClusterNodes: () => act('nodes', (params) => api.call('cluster.nodes', params)),

      exportKubeconfig: async () => {
        const id = openProjectId(get());
        if (!id) return null;
        set({ clusterAccessAction: 'exporting', clusterAccessError: null }, false, 'cluster/exporting');
        try {
          const download = await api.call('cluster.exportKubeconfig', { projectId: id, ...keyPassphraseParam(get()) });
          set({ clusterAccessAction: null }, false, 'cluster/exported');
          return download;
        } catch (error) {
          set({ clusterAccessAction: null, clusterAccessError: fieldErrorOf(error) }, false, 'cluster/exportFailed');
          return null;
        }
      },

      watchClusterAccess: () =>
        api.subscribe('cluster.accessUpdated', ({ projectId: updated, access }) => {
          if (isStillOpen(get(), updated))
            set({ clusterAccess: access, clusterAccessProjectId: updated }, false, 'cluster/updated');
        }),
    };
  };
}
