import type { ClusterHost } from '../../common/cluster-plan';
import type { CoreMessageId } from '../../common/core-messages';
import { coreError } from '../i18n/format-core-message';

/** The plan's hosts with `role`, in plan order; refused on the `hosts` field with `refusal` when there are none. */
export function hostsWithRole(
  hosts: readonly ClusterHost[],
  role: keyof ClusterHost['roles'],
  refusal: CoreMessageId,
): ClusterHost[] {
  const found = hosts.filter((host) => host.roles[role]);
  if (found.length === 0) throw coreError('invalid_params', refusal, {}, 'hosts');
  return found;
}
