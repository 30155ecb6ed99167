import {
  HostAddressSchema,
  hostNamePattern,
  noRoles,
  type ClusterPlan,
  type HostRoles,
} from '../../common/cluster-plan';
import { joinValues } from '../../common/core-messages';
import { selectHosts } from './host-patterns';
import { coreError } from '../i18n/format-core-message';

/**
 * Edits of a plan by hosts' names and addresses, as the CLI and a plan file make them. Each returns the new plan or
 * throws naming the host or field and the fix; the caller saves the result under the project's revision.
 */

export interface NewHost {
  name: string;
  address: string;
  /** The SSH port as typed; the plan reaches every host on 22 (the inventory carries no ansible_port). */
  port?: number;
}

function checkNewHost(plan: ClusterPlan, host: NewHost): void {
  if (!hostNamePattern.test(host.name) || host.name.length > 63) {
    throw coreError('invalid_params', 'project.host-name-invalid', { name: host.name }, 'name');
  }
  if (!HostAddressSchema.safeParse(host.address).success) {
    throw coreError('invalid_params', 'project.host-address-invalid', { address: host.address }, 'address');
  }
  if (host.port !== undefined && host.port !== 22) {
    throw coreError('invalid_params', 'project.host-port-not-22', { port: host.port, name: host.name }, 'port');
  }
  const sameName = plan.hosts.find((existing) => existing.name === host.name);
  if (sameName)
    throw coreError('conflict', 'project.host-name-taken', { name: host.name, address: sameName.address }, 'name');
  const sameAddress = plan.hosts.find((existing) => existing.address === host.address);
  if (sameAddress)
    throw coreError(
      'conflict',
      'project.host-address-taken',
      { address: host.address, name: sameAddress.name },
      'address',
    );
}

/** Adds hand-typed hosts without roles; facts come later from `airspray facts --project`. */
export function addHosts(plan: ClusterPlan, hosts: readonly NewHost[]): ClusterPlan {
  let next = plan;
  for (const host of hosts) {
    checkNewHost(next, host);
    next = { ...next, hosts: [...next.hosts, { name: host.name, address: host.address, roles: { ...noRoles } }] };
  }
  return next;
}

/** Removes the named hosts; the deploy node is cleared when it was one of them. */
export function removeHosts(plan: ClusterPlan, patterns: readonly string[]): ClusterPlan {
  const removed = new Set(selectHosts(plan.hosts, patterns).map((host) => host.name));
  const hosts = plan.hosts.filter((host) => !removed.has(host.name));
  return {
    ...plan,
    hosts,
    deployNode: plan.deployNode !== null && removed.has(plan.deployNode) ? null : plan.deployNode,
  };
}

/** Turns roles on (true) or off (false) on the named hosts; roles not mentioned stay as they are. */
export function changeRoles(plan: ClusterPlan, patterns: readonly string[], change: Partial<HostRoles>): ClusterPlan {
  if (Object.values(change).every((value) => value === undefined)) {
    throw coreError('invalid_params', 'project.roles-required', {}, 'roles');
  }
  const chosen = new Set(selectHosts(plan.hosts, patterns).map((host) => host.name));
  const defined = Object.fromEntries(
    Object.entries(change).filter(([, value]) => value !== undefined),
  ) as Partial<HostRoles>;
  return {
    ...plan,
    hosts: plan.hosts.map((host) => (chosen.has(host.name) ? { ...host, roles: { ...host.roles, ...defined } } : host)),
  };
}

/** The one host where the bundle is unpacked and kubespray runs. */
export function chooseDeployNode(plan: ClusterPlan, pattern: string): ClusterPlan {
  const chosen = selectHosts(plan.hosts, [pattern]);
  if (chosen.length !== 1) {
    throw coreError(
      'invalid_params',
      'project.deploy-node-not-one',
      { pattern, count: chosen.length, hosts: joinValues(chosen.map((host) => host.name)) },
      'deployNode',
    );
  }
  return { ...plan, deployNode: chosen[0]!.name };
}
