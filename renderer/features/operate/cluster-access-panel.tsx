import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ClusterAccess, ClusterNode } from '../../../electron/common/cluster-api';
import { useAirspray, useAirsprayPick } from '../../store/store-context';
import { downloadFile } from '../../ui/download-file';
import { AlertIcon } from '../../ui/icons';
import { TableHead } from '../../ui/table-head';
import './cluster-access.css';

type Kubeconfig = NonNullable<ClusterAccess['kubeconfig']>;

const endpointText: Record<Kubeconfig['endpointSource'], string> = {
  'external-load-balancer': 'the external load balancer',
  'kube-vip': 'the kube-vip address',
  'first-control-plane': 'the first control plane',
};

const protectionText: Record<Kubeconfig['protection'], string> = {
  keychain: 'Stored with the project, sealed by the OS keychain.',
  passphrase: 'Stored with the project, encrypted under the deploy key passphrase.',
  memory: 'Kept in memory only (no keychain or passphrase here): fetch it again after Airspray restarts.',
};

function NodeStatus({ node }: { node: ClusterNode }) {
  const ready = node.ready === 'True';
  return (
    <span className={`status ${ready ? 'status--ok' : 'status--danger'}`} title={node.readyMessage}>
      {ready ? 'Ready' : 'NotReady'}
    </span>
  );
}

function NodesTable({ nodes }: { nodes: NonNullable<ClusterAccess['nodes']> }) {
  if (nodes.nodes.length === 0) return <p className="muted">The API server lists no nodes.</p>;
  return (
    <>
      <table className="table cluster-nodes" aria-label="Nodes">
        <TableHead columns={['Node', 'Status', 'Roles', 'Kubelet', 'Internal IP']} />
        <tbody>
          {nodes.nodes.map((node) => (
            <tr key={node.name}>
              <td>{node.name}</td>
              <td>
                <NodeStatus node={node} />
                {node.ready !== 'True' && node.readyMessage && (
                  <div className="muted cluster-nodes__why">{node.readyMessage}</div>
                )}
              </td>
              <td>{node.roles.join(', ') || <span className="muted">none</span>}</td>
              <td>{node.kubeletVersion}</td>
              <td>{node.internalIp ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted cluster-access__note">
        kubectl get nodes on {nodes.fromHost.name}, {new Date(nodes.checkedAt).toLocaleString()}.
      </p>
    </>
  );
}

/** After a deploy: the cluster-admin kubeconfig (status, download) and the nodes with their readiness. */
export function ClusterAccessPanel() {
  const { projectId, access, action, error, passphraseSet } = useAirspray(
    useShallow((state) => ({
      projectId: state.currentProject?.id,
      access: state.clusterAccessProjectId === state.currentProject?.id ? state.clusterAccess : null,
      action: state.clusterAccessAction,
      error: state.clusterAccessError,
      passphraseSet: state.deployKeyPassphraseSet,
    })),
  );
  const { loadClusterAccess, watchClusterAccess, fetchKubeconfig, refreshClusterNodes, exportKubeconfig } =
    useAirsprayPick(
      'loadClusterAccess',
      'watchClusterAccess',
      'fetchKubeconfig',
      'refreshClusterNodes',
      'exportKubeconfig',
    );
  useEffect(() => watchClusterAccess(), [watchClusterAccess]);
  useEffect(() => {
    if (projectId) void loadClusterAccess();
  }, [projectId, loadClusterAccess]);

  const kubeconfig = access?.kubeconfig ?? null;
  const reset = kubeconfig ? (access?.clusterReset ?? null) : null;
  const downloadable =
    kubeconfig !== null &&
    !reset &&
    (kubeconfig.availableNow || (kubeconfig.protection === 'passphrase' && passphraseSet));
  const download = async () => {
    const file = await exportKubeconfig();
    if (file) downloadFile(file.fileName, file.content, 'application/yaml');
  };

  return (
    <section aria-label="Cluster access" className="cluster-access">
      <h2 className="section-title">Cluster access</h2>
      {kubeconfig ? (
        <dl className="facts cluster-access__facts">
          <dt>kubeconfig</dt>
          <dd>
            admin.conf from {kubeconfig.fromHost.name} ({kubeconfig.fromHost.address}), fetched{' '}
            {new Date(kubeconfig.fetchedAt).toLocaleString()}
          </dd>
          <dt>API endpoint</dt>
          <dd>
            <code>{kubeconfig.server}</code> <span className="muted">({endpointText[kubeconfig.endpointSource]})</span>
          </dd>
          <dt>Protection</dt>
          <dd>{protectionText[kubeconfig.protection]}</dd>
        </dl>
      ) : (
        <p className="muted">
          No kubeconfig yet: it is fetched from a control plane after a successful cluster.yml, scale.yml or
          upgrade-cluster.yml.
        </p>
      )}
      {reset && (
        <div className="callout cluster-access__stale cluster-access__warning" role="status">
          <AlertIcon />
          <div className="callout__body">
            <div className="callout__title">The cluster was reset: this kubeconfig is stale</div>
            reset.yml (run {reset.runId}) removed Kubernetes and its certificates from every host on{' '}
            {new Date(reset.at).toLocaleString()}. The copy above names a cluster that no longer exists, so it is not
            offered for download; the next successful cluster.yml fetches a new one.
          </div>
        </div>
      )}
      {kubeconfig && !reset && (
        <div className="callout callout--danger cluster-access__warning">
          <AlertIcon />
          <div className="callout__body">
            <div className="callout__title">The kubeconfig grants cluster-admin</div>
            Whoever holds the file controls the whole cluster: keep it like a root password, never mail or commit it,
            and delete copies you no longer need.
          </div>
        </div>
      )}
      <div className="cluster-access__actions">
        <button
          type="button"
          className="btn btn--primary"
          disabled={!downloadable || action !== null}
          onClick={() => void download()}
        >
          {action === 'exporting' ? 'Preparing…' : 'Download kubeconfig'}
        </button>
        <button type="button" className="btn" disabled={action !== null} onClick={() => void fetchKubeconfig()}>
          {action === 'fetching' ? 'Fetching…' : kubeconfig ? 'Fetch again' : 'Fetch kubeconfig'}
        </button>
        <button
          type="button"
          className="btn btn--ghost"
          disabled={action !== null || !kubeconfig || reset !== null}
          onClick={() => void refreshClusterNodes()}
        >
          {action === 'nodes' ? 'Checking…' : 'Check nodes'}
        </button>
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error.message}
        </p>
      )}
      {access?.lastError && !error && (
        <p className="field-error" role="alert">
          {access.lastError.runId ? `After run ${access.lastError.runId}: ` : ''}
          {access.lastError.message}
        </p>
      )}
      {access?.nodes && <NodesTable nodes={access.nodes} />}
    </section>
  );
}
