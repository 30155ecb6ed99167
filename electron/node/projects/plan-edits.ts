import {
  HostAddressSchema,
  hostNamePattern,
  noRoles,
  type ClusterPlan,
  type HostRoles,
} from '../../common/cluster-plan';
import { AirsprayError } from '../../common/errors';
import { selectHosts } from './host-patterns';

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
    throw new AirsprayError(
      'invalid_params',
      `Host name "${host.name}" is not a node name: use lowercase letters, digits and "-" (at most 63), starting and ending with a letter or digit, such as node1.`,
      'name',
    );
  }
  if (!HostAddressSchema.safeParse(host.address).success) {
    throw new AirsprayError(
      'invalid_params',
      `"${host.address}" is not an IPv4 address: give the host's address, such as 10.0.0.11.`,
      'address',
    );
  }
  if (host.port !== undefined && host.port !== 22) {
    throw new AirsprayError(
      'invalid_params',
      `Port ${host.port} for ${host.name}: the plan reaches every host on SSH port 22 (kubespray's inventory is written without ansible_port); give the address alone.`,
      'port',
    );
  }
  const sameName = plan.hosts.find((existing) => existing.name === host.name);
  if (sameName)
    throw new AirsprayError(
      'conflict',
      `A host named ${host.name} is in the plan already (at ${sameName.address}): choose another name, or remove it first.`,
      'name',
    );
  const sameAddress = plan.hosts.find((existing) => existing.address === host.address);
  if (sameAddress)
    throw new AirsprayError(
      'conflict',
      `Address ${host.address} is in the plan already (host ${sameAddress.name}): give another address, or remove ${sameAddress.name} first.`,
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
    throw new AirsprayError(
      'invalid_params',
      'Say which roles: --control-plane, --etcd, --worker, --calico-rr, or their --no- forms to take one away.',
      'roles',
    );
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
    throw new AirsprayError(
      'invalid_params',
      `"${pattern}" names ${chosen.length} hosts (${chosen.map((host) => host.name).join(', ')}): the deploy node is one host; give its name.`,
      'deployNode',
    );
  }
  return { ...plan, deployNode: chosen[0]!.name };
}
