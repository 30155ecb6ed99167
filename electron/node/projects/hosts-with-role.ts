import type { ClusterHost } from '../../common/cluster-plan';
import { AirsprayError } from '../../common/errors';

/** The plan's hosts with `role`, in plan order; refused on the `hosts` field with `refusal` when there are none. */
export function hostsWithRole(
  hosts: readonly ClusterHost[],
  role: keyof ClusterHost['roles'],
  refusal: string,
): ClusterHost[] {
  const found = hosts.filter((host) => host.roles[role]);
  if (found.length === 0) throw new AirsprayError('invalid_params', refusal, 'hosts');
  return found;
}
