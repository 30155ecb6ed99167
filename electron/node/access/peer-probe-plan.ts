import type { Peer, PortTarget } from './facts-probe';
import { peerPortsFor, portNeeded, rolesOf, type PlanView } from './kubespray-checks';

/** What one host probes: the names it resolves and the ports it tries. */
export interface PeerProbes {
  names: Peer[];
  ports: PortTarget[];
}

/**
 * How many hosts try each port a host must answer on. Enough to tell a port the host blocks from one prober's own
 * egress rule; trying it from every host makes the probes grow as the square of the hosts (39,600 for 100).
 */
export const probersPerPort = 5;

/** The hosts after `index` in ring order, nearest first. */
function ringFrom<T>(items: readonly T[], index: number): T[] {
  return [...items.slice(index + 1), ...items.slice(0, index)];
}

/**
 * Which host probes what, for every host at once. Each port a host must answer on (its roles' ports, all of them
 * while roles are unknown) is tried by the `probersPerPort` hosts nearest before it in the list among those that use
 * the port, so a cluster of six or fewer hosts is probed in full and a larger one grows linearly. Each host resolves
 * the names of the hosts it probes and of its ring neighbours.
 */
export function planPeerProbes(hosts: readonly Peer[], plan: PlanView | undefined): Map<string, PeerProbes> {
  const probes = new Map(hosts.map((host) => [host.address, { names: [] as Peer[], ports: [] as PortTarget[] }]));
  const roles = new Map(hosts.map((host) => [host.address, rolesOf(host.address, plan)]));
  const ports = peerPortsFor(plan);
  hosts.forEach((target, index) => {
    const before = ringFrom(hosts, index).reverse();
    for (const port of ports) {
      before
        .filter((from) => portNeeded(port, roles.get(from.address), roles.get(target.address), plan))
        .slice(0, probersPerPort)
        .forEach((from) => probes.get(from.address)!.ports.push({ address: target.address, port }));
    }
  });
  hosts.forEach((host, index) => {
    const entry = probes.get(host.address)!;
    const probed = new Set(entry.ports.map((target) => target.address));
    const neighbours = new Set(ringFrom(hosts, index).slice(0, probersPerPort));
    entry.names = hosts.filter((other) => probed.has(other.address) || neighbours.has(other));
  });
  return probes;
}
