import type { ReactNode } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import type { ClusterHost, ClusterPlan } from '../../../electron/common/cluster-plan';
import type { MessageId } from '../../i18n/catalogs';
import { Note } from '../../ui/note';

const balancingText: Record<ClusterPlan['settings']['apiLoadBalancing']['mode'], MessageId> = {
  none: 'roles.topology.lb.none',
  local: 'roles.topology.lb.local',
  external: 'roles.topology.lb.external',
  'kube-vip': 'roles.topology.lb.kubeVip',
};

/** Past this many hosts a box names the first ones and counts the rest: 500 workers would bury the picture. */
const namedInBox = 12;

function Nodes({ hosts, deployNode }: { hosts: readonly ClusterHost[]; deployNode: string | null }) {
  const intl = useIntl();
  if (hosts.length === 0) return <Note id="access.facts.none" small />;
  return (
    <div className="topology__nodes">
      {hosts.slice(0, namedInBox).map((host) => (
        <span
          key={host.name}
          className={`topology__node${host.name === deployNode ? ' topology__node--deploy' : ''}`}
          title={host.name === deployNode ? intl.formatMessage({ id: 'roles.topology.deployNodeTitle' }) : undefined}
        >
          {host.name}
        </span>
      ))}
      {hosts.length > namedInBox && (
        <span className="muted small">
          <FormattedMessage id="roles.topology.more" values={{ count: hosts.length - namedInBox }} />
        </span>
      )}
    </div>
  );
}

interface RoleBoxProps {
  /** A message with a {count} of hosts. */
  titleId: MessageId;
  hosts: readonly ClusterHost[];
  deployNode: string | null;
  /** What to say under the title, if anything. */
  children?: ReactNode;
}

/** One role's box: its title with the host count, a note, then its hosts. */
function RoleBox({ titleId, hosts, deployNode, children }: RoleBoxProps) {
  return (
    <div className="topology__box">
      <h3>
        <FormattedMessage id={titleId} values={{ count: hosts.length }} />
      </h3>
      {children}
      <Nodes hosts={hosts} deployNode={deployNode} />
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
      <RoleBox titleId="roles.topology.controlPlane" hosts={controlPlanes} deployNode={plan.deployNode} />
      <RoleBox titleId="roles.topology.etcd" hosts={etcd} deployNode={plan.deployNode}>
        <p className="small">
          {etcd.length === 0 ? (
            <FormattedMessage id="roles.topology.noQuorum" />
          ) : tolerated === null ? (
            <FormattedMessage id="roles.topology.evenCount" />
          ) : (
            <FormattedMessage id="roles.topology.survives" values={{ count: tolerated }} />
          )}
        </p>
      </RoleBox>
      <RoleBox titleId="roles.topology.workers" hosts={workers} deployNode={plan.deployNode} />
    </section>
  );
}
