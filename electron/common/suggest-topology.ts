import type { ClusterHost, HostRoles } from './cluster-plan';
import { formatIpv4Network, ipv4ToNumber, networkOf } from './ipv4';

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

/** Names in a sentence; past ten, the first ones and how many more, so 500 workers stay one line. */
const names = (hosts: readonly ClusterHost[]) =>
  hosts.length > 10
    ? `${hosts
        .slice(0, 8)
        .map((host) => host.name)
        .join(', ')} and ${hosts.length - 8} more`
    : hosts.map((host) => host.name).join(', ');

/** Above this many hosts, five control planes and five etcd members: quorum then survives two failures. */
const largeCluster = 100;

/** How many control planes (and etcd members) a cluster of `count` hosts gets, in the words of the reasons. */
const quorumFor = (count: number) =>
  count > largeCluster
    ? { size: 5, word: 'five', survive: 'keep quorum when two fail' }
    : { size: 3, word: 'three', survive: 'keep quorum when one fails' };

const without = (hosts: readonly ClusterHost[], taken: readonly ClusterHost[]) => {
  const takenSet = new Set(taken);
  return hosts.filter((host) => !takenSet.has(host));
};

/** The /24 a host's address is in, where racks and switches usually part. */
const subnetOf = (host: ClusterHost) => formatIpv4Network(networkOf(ipv4ToNumber(host.address) ?? 0, 24));

/**
 * `count` of the ranked hosts taken one subnet at a time (the best host of each /24, then the second best…), so
 * losing one rack or switch leaves a quorum; hosts all in one /24 are simply the first `count`.
 */
function spreadOverSubnets(ranked: readonly ClusterHost[], count: number): ClusterHost[] {
  const bySubnet = new Map<string, ClusterHost[]>();
  for (const host of ranked) {
    const subnet = subnetOf(host);
    const group = bySubnet.get(subnet) ?? [];
    group.push(host);
    bySubnet.set(subnet, group);
  }
  const groups = [...bySubnet.values()];
  const chosen: ClusterHost[] = [];
  for (let depth = 0; chosen.length < Math.min(count, ranked.length); depth += 1)
    for (const group of groups) {
      const next = group[depth];
      if (next && chosen.length < count) chosen.push(next);
    }
  return chosen;
}

/** The sentence about subnets when the chosen hosts span more than one, else nothing. */
function spreadReason(chosen: readonly ClusterHost[]): string[] {
  const subnets = [...new Set(chosen.map(subnetOf))];
  return subnets.length > 1
    ? [
        `${names(chosen)} are spread over ${subnets.join(', ')}: losing one subnet (a rack or a switch) leaves a quorum.`,
      ]
    : [];
}

/**
 * Fills roles from the host count and resources: 1 host takes every role; 2 hosts get one control plane+etcd and
 * one worker; 3 hosts each take every role; 4 or more get 3 control plane+etcd (an odd quorum), above 100 hosts 5,
 * spread over the hosts' /24s, and the rest work.
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
    const quorum = quorumFor(hosts.length);
    const controlPlanes = spreadOverSubnets(ranked, quorum.size);
    const etcd = spreadOverSubnets(without(ranked, controlPlanes), quorum.size);
    const workers = without(ranked, [...controlPlanes, ...etcd]);
    for (const host of controlPlanes) assigned.set(host.name, role(true, false, false));
    for (const host of etcd) assigned.set(host.name, role(false, true, false));
    for (const host of workers) assigned.set(host.name, role(false, false, true));
    reasons.push(`${names(controlPlanes)} are the ${quorum.word} control planes${rankingNote}.`);
    reasons.push(`${names(etcd)} are dedicated etcd members, as asked: ${quorum.word} ${quorum.survive}.`);
    reasons.push(...spreadReason(controlPlanes), ...spreadReason(etcd));
    reasons.push(`${names(workers)} ${workers.length === 1 ? 'is the worker' : 'are the workers'}.`);
  } else {
    if (options.dedicatedEtcd)
      reasons.push(
        `Dedicated etcd needs at least 7 hosts (3 control planes, 3 etcd, 1 worker); with ${hosts.length}, etcd shares the control planes.`,
      );
    const quorum = quorumFor(hosts.length);
    const controlPlanes = spreadOverSubnets(ranked, quorum.size);
    const workers = without(ranked, controlPlanes);
    const controlPlanesWork = workers.length === 0;
    for (const host of controlPlanes) assigned.set(host.name, role(true, true, controlPlanesWork));
    for (const host of workers) assigned.set(host.name, role(false, false, true));
    reasons.push(
      `${names(controlPlanes)} are the ${quorum.word} control planes and etcd members${rankingNote}: ${quorum.word} ${quorum.survive}, and an odd count is what etcd needs.`,
    );
    reasons.push(...spreadReason(controlPlanes));
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
