import type { clusterApiMethods } from '../../common/cluster-api';
import type { CredentialVault } from '../access/credential-vault';
import type { ApiHandlers } from '../api/dispatch-api-call';
import type { DeployKeyStore } from '../deploy/deploy-key-store';
import { openKeySession } from '../deploy/key-session';
import type { ClusterAccessService } from './cluster-access';

export interface ClusterDependencies {
  dataDir: string;
  cluster: ClusterAccessService;
  vault: CredentialVault;
  /** The store the Deploy step's key bootstrap fills: control planes are reached with the project's deploy key. */
  keys: DeployKeyStore;
}

/** Cluster access: the kubeconfig fetched from a control plane, its export, and the nodes' readiness. */
export function createClusterHandlers(deps: ClusterDependencies): Pick<ApiHandlers, keyof typeof clusterApiMethods> {
  const session = async (projectId: string, credentialId: string, keyPassphrase: string | undefined) =>
    openKeySession(deps.keys, deps.dataDir, projectId, await deps.vault.get(credentialId), keyPassphrase);
  return {
    'cluster.access': ({ projectId }) => deps.cluster.access(projectId),
    'cluster.fetchKubeconfig': async ({ projectId, credentialId, keyPassphrase }) =>
      deps.cluster.fetchKubeconfig(projectId, await session(projectId, credentialId, keyPassphrase)),
    'cluster.exportKubeconfig': ({ projectId, keyPassphrase }) =>
      deps.cluster.exportKubeconfig(projectId, keyPassphrase),
    'cluster.nodes': async ({ projectId, credentialId, keyPassphrase }) =>
      deps.cluster.refreshNodes(projectId, await session(projectId, credentialId, keyPassphrase)),
  };
}
