import type { ClusterHost, ClusterPlan } from '../../../electron/common/cluster-plan';

const balancingText: Record<ClusterPlan['settings']['apiLoadBalancing']['mode'], string> = {
  none: 'None: nodes talk to the first control plane',
  local: 'Local proxy on every node',
  external: 'External load balancer',
  'kube-vip': 'kube-vip virtual address',
};

function Nodes({ hosts, deployNode }: { hosts: readonly ClusterHost[]; deployNode: string | null }) {
  if (hosts.length === 0) return <p className="muted small">none</p>;
  return (
    <div className="topology__nodes">
      {hosts.map((host) => (
        <span
          key={host.name}
          className={`topology__node${host.name === deployNode ? ' topology__node--deploy' : ''}`}
          title={host.name === deployNode ? 'deploy node' : undefined}
        >
          {host.name}
        </span>
      ))}
    </div>
  );
}

/** The plan at a glance: load balancing, control planes, etcd quorum, workers; the deploy node is outlined. */
export function TopologyPicture({ plan }: { plan: ClusterPlan }) {
  const balancing = plan.settings.apiLoadBalancing;
  const controlPlanes = plan.hosts.filter((host) => host.roles.controlPlane);
  const etcd = plan.hosts.filter((host) => host.roles.etcd);
  const workers = plan.hosts.filter((host) => host.roles.worker);
  const tolerated = etcd.length % 2 === 1 ? Math.floor((etcd.length - 1) / 2) : null;
  return (
    <section className="topology" aria-label="Topology">
      <div className="topology__box">
        <h3>API load balancing</h3>
        <p>{balancingText[balancing.mode]}</p>
        {'address' in balancing && <p className="mono small">{balancing.address}</p>}
        {plan.deployNode && <p className="small muted">Deploy node: {plan.deployNode}</p>}
      </div>
      <div className="topology__box">
        <h3>Control plane ({controlPlanes.length})</h3>
        <Nodes hosts={controlPlanes} deployNode={plan.deployNode} />
      </div>
      <div className="topology__box">
        <h3>etcd ({etcd.length})</h3>
        <p className="small">
          {etcd.length === 0
            ? 'No quorum'
            : tolerated === null
              ? 'Even count: no quorum gain'
              : `Survives ${tolerated} failure${tolerated === 1 ? '' : 's'}`}
        </p>
        <Nodes hosts={etcd} deployNode={plan.deployNode} />
      </div>
      <div className="topology__box">
        <h3>Workers ({workers.length})</h3>
        <Nodes hosts={workers} deployNode={plan.deployNode} />
      </div>
    </section>
  );
}
