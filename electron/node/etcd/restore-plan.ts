import type { ClusterHost } from '../../common/cluster-plan';
import { hostsWithRole } from '../projects/hosts-with-role';
import type { EtcdBackup, EtcdMemberStatus } from '../../common/etcd-api';
import { joinValues } from '../../common/core-messages';
import { coreError } from '../i18n/format-core-message';

/** A plan host with the etcd role as kubespray v2.23.3 names it (roles/kubespray-defaults: etcd_member_name). */
export interface RestoreTarget {
  host: ClusterHost;
  /** etcd1, etcd2, … in the etcd group's order, which is the plan's. */
  etcdName: string;
  peerUrl: string;
}

/** The plan's etcd members, named and addressed as kubespray's etcd_member_name and etcd_peer_url make them. */
export function restoreTargets(hosts: readonly ClusterHost[]): RestoreTarget[] {
  const members = hostsWithRole(hosts, 'etcd', 'roles.no-etcd-member');
  return members.map((host, index) => ({
    host,
    etcdName: `etcd${index + 1}`,
    peerUrl: `https://${host.address}:2380`,
  }));
}

/** kubespray's etcd_peer_addresses: every member's name=peer URL, the restore's --initial-cluster. */
export const initialCluster = (targets: readonly RestoreTarget[]) =>
  targets.map((target) => `${target.etcdName}=${target.peerUrl}`).join(',');

/** The backup named `file` in the index, else a refusal (on `field`) listing the ones there are. */
export function findBackup(backups: readonly EtcdBackup[], file: string, field = 'backup'): EtcdBackup {
  const backup = backups.find((entry) => entry.file === file);
  if (backup) return backup;
  const known = joinValues(backups.map((entry) => entry.file));
  throw coreError('not_found', 'etcd.backup-not-found', { file, known, knownCount: backups.length }, field);
}

/** Why the running members (etcdctl member list) are not the plan's, or undefined when they are. */
export function memberMismatch(
  running: readonly EtcdMemberStatus[],
  targets: readonly RestoreTarget[],
): string | undefined {
  const expected = targets.map((target) => `${target.etcdName} ${clientUrl(target)}`).sort();
  const actual = running.map((member) => `${member.name} ${member.endpoint}`).sort();
  if (expected.join('\n') === actual.join('\n')) return undefined;
  return `etcd's members are ${actual.join(', ') || 'none'}, the plan's ${expected.join(', ')}`;
}

const clientUrl = (target: RestoreTarget) => `https://${target.host.address}:2379`;
