import type { ClusterHost, HostRoles } from './cluster-plan';

export interface TopologySuggestion {
  hosts: ClusterHost[];
  deployNode: string | null;
  /** One sentence per decision, shown next to the result. */
  reasons: string[];
}

export interface TopologyOptions {
  /** Separate etcd members from the control planes (needs at least seven hosts). */
  dedicatedEtcd?: boolean;
  /** Kept when it is still one of the hosts. */
  currentDeployNode?: string | null;
}

const role = (controlPlane: boolean, etcd: boolean, worker: boolean): HostRoles => ({
  controlPlane,
  etcd,
  worker,
  calicoRr: false,
});

/** Hosts with more memory, then more CPUs, go first; unknown resources count as none; ties keep the table order. */
function byResources(hosts: readonly ClusterHost[]): ClusterHost[] {
  return hosts
    .map((host, index) => ({ host, index }))
    .sort(
      (a, b) =>
        (b.host.facts?.memoryMiB ?? 0) - (a.host.facts?.memoryMiB ?? 0) ||
        (b.host.facts?.cpus ?? 0) - (a.host.facts?.cpus ?? 0) ||
        a.index - b.index,
    )
    .map((entry) => entry.host);
}

const names = (hosts: readonly ClusterHost[]) => hosts.map((host) => host.name).join(', ');

/**
 * Fills roles from the host count and resources: 1 host takes every role; 2 hosts get one control plane+etcd and
 * one worker; 3 hosts each take every role; 4 or more get 3 control plane+etcd (an odd quorum) and the rest work.
 */
export function suggestTopology(hosts: readonly ClusterHost[], options: TopologyOptions = {}): TopologySuggestion {
  const reasons: string[] = [];
  const assigned = new Map<string, HostRoles>();
  const ranked = byResources(hosts);
  const haveFacts = hosts.some((host) => host.facts);
  const rankingNote = haveFacts ? ' (most memory, then most CPUs)' : ' (first in the table: no resources known yet)';

  if (hosts.length === 0) {
    return { hosts: [], deployNode: null, reasons: ['No hosts yet: discover or add hosts first.'] };
  }
  if (hosts.length === 1) {
    assigned.set(ranked[0]!.name, role(true, true, true));
    reasons.push(
      `${ranked[0]!.name} takes every role: with one host the cluster runs on it alone (no high availability).`,
    );
  } else if (hosts.length === 2) {
    const [first, second] = ranked as [ClusterHost, ClusterHost];
    assigned.set(first.name, role(true, true, false));
    assigned.set(second.name, role(false, false, true));
    reasons.push(
      `${first.name} is the control plane and the single etcd member${rankingNote}: two etcd members would be no safer than one.`,
    );
    reasons.push(`${second.name} runs the workloads as the worker.`);
  } else if (options.dedicatedEtcd && hosts.length >= 7) {
    const controlPlanes = ranked.slice(0, 3);
    const etcd = ranked.slice(3, 6);
    const workers = ranked.slice(6);
    for (const host of controlPlanes) assigned.set(host.name, role(true, false, false));
    for (const host of etcd) assigned.set(host.name, role(false, true, false));
    for (const host of workers) assigned.set(host.name, role(false, false, true));
    reasons.push(`${names(controlPlanes)} are the three control planes${rankingNote}.`);
    reasons.push(`${names(etcd)} are dedicated etcd members, as asked: three keep quorum when one fails.`);
    reasons.push(`${names(workers)} ${workers.length === 1 ? 'is the worker' : 'are the workers'}.`);
  } else {
    if (options.dedicatedEtcd)
      reasons.push(
        `Dedicated etcd needs at least 7 hosts (3 control planes, 3 etcd, 1 worker); with ${hosts.length}, etcd shares the control planes.`,
      );
    const controlPlanes = ranked.slice(0, 3);
    const workers = ranked.slice(3);
    const controlPlanesWork = workers.length === 0;
    for (const host of controlPlanes) assigned.set(host.name, role(true, true, controlPlanesWork));
    for (const host of workers) assigned.set(host.name, role(false, false, true));
    reasons.push(
      `${names(controlPlanes)} are the three control planes and etcd members${rankingNote}: three keep quorum when one fails, and an odd count is what etcd needs.`,
    );
    if (controlPlanesWork)
      reasons.push(
        'With three hosts there is no host left to be only a worker, so the control planes also run workloads.',
      );
    else reasons.push(`${names(workers)} ${workers.length === 1 ? 'is the worker' : 'are the workers'}.`);
  }

  const current = options.currentDeployNode;
  let deployNode: string;
  if (current && hosts.some((host) => host.name === current)) {
    deployNode = current;
    reasons.push(`${current} stays the deploy node, as chosen.`);
  } else {
    deployNode = ranked[0]!.name;
    reasons.push(
      `${deployNode} is the deploy node: it holds the bundle, the registry and runs kubespray; change it if another host has more disk.`,
    );
  }

  return {
    // Route reflectors are a Calico tuning choice, not a topology one: kept as they were.
    hosts: hosts.map((host) => ({
      ...host,
      roles: { ...(assigned.get(host.name) ?? role(false, false, false)), calicoRr: host.roles.calicoRr },
    })),
    deployNode,
    reasons,
  };
}
