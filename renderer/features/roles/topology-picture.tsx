import { FormattedMessage, useIntl } from 'react-intl';
import type { ClusterHost, ClusterPlan } from '../../../electron/common/cluster-plan';
import type { MessageId } from '../../i18n/catalogs';

const balancingText: Record<ClusterPlan['settings']['apiLoadBalancing']['mode'], MessageId> = {
  none: 'roles.topology.lb.none',
  local: 'roles.topology.lb.local',
  external: 'roles.topology.lb.external',
  'kube-vip': 'roles.topology.lb.kubeVip',
};

function Nodes({ hosts, deployNode }: { hosts: readonly ClusterHost[]; deployNode: string | null }) {
  const intl = useIntl();
  if (hosts.length === 0)
    return (
      <p className="muted small">
        <FormattedMessage id="access.facts.none" />
      </p>
    );
  return (
    <div className="topology__nodes">
      {hosts.map((host) => (
        <span
          key={host.name}
          className={`topology__node${host.name === deployNode ? ' topology__node--deploy' : ''}`}
          title={host.name === deployNode ? intl.formatMessage({ id: 'roles.topology.deployNodeTitle' }) : undefined}
        >
          {host.name}
        </span>
      ))}
    </div>
  );
}

/** The plan at a glance: load balancing, control planes, etcd quorum, workers; the deploy node is outlined. */
export function TopologyPicture({ plan }: { plan: ClusterPlan }) {
  const intl = useIntl();
  const balancing = plan.settings.apiLoadBalancing;
  const controlPlanes = plan.hosts.filter((host) => host.roles.controlPlane);
  const etcd = plan.hosts.filter((host) => host.roles.etcd);
  const workers = plan.hosts.filter((host) => host.roles.worker);
  const tolerated = etcd.length % 2 === 1 ? Math.floor((etcd.length - 1) / 2) : null;
  return (
    <section className="topology" aria-label={intl.formatMessage({ id: 'roles.topology.label' })}>
      <div className="topology__box">
        <h3>
          <FormattedMessage id="roles.topology.lb" />
        </h3>
        <p>
          <FormattedMessage id={balancingText[balancing.mode]} />
        </p>
        {'address' in balancing && <p className="mono small">{balancing.address}</p>}
        {plan.deployNode && (
          <p className="small muted">
            <FormattedMessage id="roles.topology.deployNode" values={{ host: plan.deployNode }} />
          </p>
        )}
      </div>
      <div className="topology__box">
        <h3>
          <FormattedMessage id="roles.topology.controlPlane" values={{ count: controlPlanes.length }} />
        </h3>
        <Nodes hosts={controlPlanes} deployNode={plan.deployNode} />
      </div>
      <div className="topology__box">
        <h3>
          <FormattedMessage id="roles.topology.etcd" values={{ count: etcd.length }} />
        </h3>
        <p className="small">
          {etcd.length === 0 ? (
            <FormattedMessage id="roles.topology.noQuorum" />
          ) : tolerated === null ? (
            <FormattedMessage id="roles.topology.evenCount" />
          ) : (
            <FormattedMessage id="roles.topology.survives" values={{ count: tolerated }} />
          )}
        </p>
        <Nodes hosts={etcd} deployNode={plan.deployNode} />
      </div>
      <div className="topology__box">
        <h3>
          <FormattedMessage id="roles.topology.workers" values={{ count: workers.length }} />
        </h3>
        <Nodes hosts={workers} deployNode={plan.deployNode} />
      </div>
    </section>
  );
}
