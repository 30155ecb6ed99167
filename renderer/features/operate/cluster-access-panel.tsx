import { useEffect } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useShallow } from 'zustand/react/shallow';
import type { ClusterAccess, ClusterNode } from '../../../electron/common/cluster-api';
import type { MessageId } from '../../i18n/catalogs';
import { joinItems } from '../../i18n/join-items';
import { useAirspray, useAirsprayPick } from '../../store/store-context';
import { useLoadForProject } from '../../store/use-load-for-project';
import { downloadFile } from '../../ui/download-file';
import { formatDateTime } from '../../ui/format-date-time';
import { Callout } from '../../ui/callout';
import { Fact } from '../../ui/fact';
import { RowsTable } from '../../ui/rows-table';
import { TitledSection } from '../../ui/titled-section';
import './cluster-access.css';
import { Note } from '../../ui/note';

type Kubeconfig = NonNullable<ClusterAccess['kubeconfig']>;

const endpointText: Record<Kubeconfig['endpointSource'], MessageId> = {
  'external-load-balancer': 'operate.access.endpoint.external-load-balancer',
  'kube-vip': 'operate.access.endpoint.kube-vip',
  'first-control-plane': 'operate.access.endpoint.first-control-plane',
};

const protectionText: Record<Kubeconfig['protection'], MessageId> = {
  keychain: 'operate.access.protection.keychain',
  passphrase: 'operate.access.protection.passphrase',
  memory: 'operate.access.protection.memory',
};

const nodeColumns: MessageId[] = [
  'operate.nodes.col.node',
  'operate.nodes.col.status',
  'operate.nodes.col.roles',
  'operate.nodes.col.kubelet',
  'operate.nodes.col.internalIp',
];

function NodeStatus({ node }: { node: ClusterNode }) {
  const ready = node.ready === 'True';
  return (
    <span className={`status ${ready ? 'status--ok' : 'status--danger'}`} title={node.readyMessage}>
      <FormattedMessage id={ready ? 'operate.nodes.ready' : 'operate.nodes.notReady'} />
    </span>
  );
}

function NodesTable({ nodes }: { nodes: NonNullable<ClusterAccess['nodes']> }) {
  const intl = useIntl();
  if (nodes.nodes.length === 0) return <p className="muted">{intl.formatMessage({ id: 'operate.nodes.empty' })}</p>;
  return (
    <>
      <RowsTable
        className="cluster-nodes"
        labelId="operate.nodes.label"
        columnIds={nodeColumns}
        rows={nodes.nodes}
        rowKey={(node) => node.name}
      >
        {(node) => (
          <>
            <td>{node.name}</td>
            <td>
              <NodeStatus node={node} />
              {node.ready !== 'True' && node.readyMessage && (
                <div className="muted cluster-nodes__why">{node.readyMessage}</div>
              )}
            </td>
            <td>
              {joinItems(intl, node.roles) || (
                <span className="muted">
                  <FormattedMessage id="operate.nodes.noRoles" />
                </span>
              )}
            </td>
            <td>{node.kubeletVersion}</td>
            <td>{node.internalIp ?? '—'}</td>
          </>
        )}
      </RowsTable>
      <p className="muted cluster-access__note">
        <FormattedMessage
          id="operate.nodes.checked"
          values={{ host: nodes.fromHost.name, time: formatDateTime(nodes.checkedAt, intl.locale) }}
        />
      </p>
    </>
  );
}

/** After a deploy: the cluster-admin kubeconfig (status, download) and the nodes with their readiness. */
export function ClusterAccessPanel() {
  const intl = useIntl();
  const { access, action, error, passphraseSet } = useAirspray(
    useShallow((state) => ({
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
  useLoadForProject(loadClusterAccess);

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
    <TitledSection titleId="operate.access.title" className="cluster-access">
      {kubeconfig ? (
        <dl className="facts cluster-access__facts">
          <Fact labelId="operate.access.kubeconfig">
            <FormattedMessage
              id="operate.access.fetchedFrom"
              values={{
                host: kubeconfig.fromHost.name,
                address: kubeconfig.fromHost.address,
                time: formatDateTime(kubeconfig.fetchedAt, intl.locale),
              }}
            />
          </Fact>
          <Fact labelId="operate.access.apiEndpoint">
            <code>{kubeconfig.server}</code>{' '}
            <span className="muted">({intl.formatMessage({ id: endpointText[kubeconfig.endpointSource] })})</span>
          </Fact>
          <Fact labelId="operate.access.protection">
            <FormattedMessage id={protectionText[kubeconfig.protection]} />
          </Fact>
        </dl>
      ) : (
        <Note id="operate.access.none" />
      )}
      {reset && (
        <Callout
          tone="attention"
          className="cluster-access__warning"
          role="status"
          title={<FormattedMessage id="operate.access.staleTitle" />}
        >
          <FormattedMessage
            id="operate.access.staleBody"
            values={{ runId: reset.runId, time: formatDateTime(reset.at, intl.locale) }}
          />
        </Callout>
      )}
      {kubeconfig && !reset && (
        <Callout
          tone="danger"
          className="cluster-access__warning"
          title={<FormattedMessage id="operate.access.adminTitle" />}
        >
          <FormattedMessage id="operate.access.adminBody" />
        </Callout>
      )}
      <div className="cluster-access__actions">
        <button
          type="button"
          className="btn btn--primary"
          disabled={!downloadable || action !== null}
          onClick={() => void download()}
        >
          <FormattedMessage id={action === 'exporting' ? 'operate.access.preparing' : 'operate.access.download'} />
        </button>
        <button type="button" className="btn" disabled={action !== null} onClick={() => void fetchKubeconfig()}>
          <FormattedMessage
            id={
              action === 'fetching'
                ? 'operate.access.fetching'
                : kubeconfig
                  ? 'operate.access.fetchAgain'
                  : 'operate.access.fetch'
            }
          />
        </button>
        <button
          type="button"
          className="btn btn--ghost"
          disabled={action !== null || !kubeconfig || reset !== null}
          onClick={() => void refreshClusterNodes()}
        >
          <FormattedMessage id={action === 'nodes' ? 'operate.access.checking' : 'operate.access.checkNodes'} />
        </button>
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error.message}
        </p>
      )}
      {access?.lastError && !error && (
        <p className="field-error" role="alert">
          {access.lastError.runId &&
            intl.formatMessage({ id: 'operate.access.afterRun' }, { runId: access.lastError.runId })}
          {access.lastError.message}
        </p>
      )}
      {access?.nodes && <NodesTable nodes={access.nodes} />}
    </TitledSection>
  );
}
