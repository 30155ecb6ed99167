import type { HostFactsSummary } from '../../common/cluster-plan';

/** Ansible's own default: what a deploy node without facts gets, and the least any run gets. */
export const defaultForks = 5;
/** AWX's capacity rule (docs "Resource Determination for Capacity Algorithm"): four forks per CPU… */
const forksPerCpu = 4;
/** …and one fork per 100 MiB of memory (a fork is a Python process of 50-100 MiB)… */
const mibPerFork = 100;
/** …after 2 GiB kept for the system; on the deploy node that is also the registry and the file server. */
const reservedMiB = 2048;

/**
 * How many hosts Ansible works on at once from the deploy node: the smaller of its CPU and memory capacities (AWX's
 * rule), never below Ansible's default of 5 (what every run had before), never above the hosts in the inventory (a
 * fork beyond them only costs memory). Without facts (a typed-in deploy node) Ansible's default.
 */
export function forksFor(deployNode: Pick<HostFactsSummary, 'cpus' | 'memoryMiB'> | undefined, hosts: number): number {
  if (!deployNode) return Math.min(defaultForks, Math.max(1, hosts));
  const byCpu = deployNode.cpus * forksPerCpu;
  const byMemory = Math.floor((deployNode.memoryMiB - reservedMiB) / mibPerFork);
  return Math.max(1, Math.min(hosts, Math.max(defaultForks, Math.min(byCpu, byMemory))));
}
