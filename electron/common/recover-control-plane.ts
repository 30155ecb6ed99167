import { z } from 'zod';
import { namedHosts, type ClusterHost } from './cluster-plan';
import { joinValues, type CoreMessage } from './core-messages';
import { CoreRefusal } from './errors';
import { EtcdBackupSchema, type EtcdBackup } from './etcd-api';

/**
 * Recovering broken control plane and etcd members as kubespray v2.23.3 documents it (docs/recover-control-plane.md):
 * the surviving members first in etcd and kube_control_plane, the new ones after them, the broken ones in
 * broken_etcd (with etcd_member_name) and broken_kube_control_plane, then recover-control-plane.yml
 * --limit etcd,kube_control_plane -e etcd_retries=10.
 */
export const RecoverGroupsSchema = z.strictObject({
  /** The etcd group in the order the run needs: survivors first. */
  etcd: z.array(z.string()),
  controlPlane: z.array(z.string()),
  brokenEtcd: z.array(z.string()),
  brokenControlPlane: z.array(z.string()),
  /** Every etcd host's etcd_member_name, as the cluster was built with it (etcd1, etcd2, … in the plan's order). */
  etcdMemberNames: z.record(z.string(), z.string()),
});
export type RecoverGroups = z.infer<typeof RecoverGroupsSchema>;

/** kubespray's retries for a member joining; recovery needs more than the default 4 (its docs: 10 or larger). */
export const recoverEtcdRetries = 10;

const names = (hosts: readonly ClusterHost[]) => hosts.map((host) => host.name);
const rebuilt = (host: ClusterHost) => host.roles.etcd || host.roles.controlPlane;

const recoverHosts = (all: readonly ClusterHost[], wanted: readonly string[], field: string) =>
  namedHosts(all, wanted, rebuilt, (name) => {
    throw new CoreRefusal('invalid_params', 'nodes.recover-not-member', { host: name }, field);
  });

/** kubespray's recovery starts from a working member of each group (its docs: "at least one functional node"). */
function refuseNoSurvivor(survivors: readonly ClusterHost[], role: 'etcd' | 'controlPlane', broken: string[]): void {
  if (survivors.some((host) => host.roles[role])) return;
  throw new CoreRefusal('conflict', 'nodes.recover-no-survivor', { role, broken: joinValues(broken) }, 'hosts');
}

/**
 * The inventory groups of recovering `broken` (plan names) on `all` (the plan's hosts in inventory order). With
 * `newHosts` the broken hosts leave etcd and kube_control_plane and the new ones take their places; without, the
 * broken hosts are rebuilt in place (provisioned again, same name and address), after the survivors.
 */
export function recoverGroups(
  all: readonly ClusterHost[],
  broken: readonly string[],
  newHosts: readonly string[],
): RecoverGroups {
  const brokenHosts = recoverHosts(all, broken, 'hosts');
  const added = recoverHosts(all, newHosts, 'newHosts');
  const both = added.find((host) => brokenHosts.includes(host));
  if (both) throw new CoreRefusal('invalid_params', 'nodes.recover-broken-and-new', { host: both.name }, 'newHosts');
  const survivors = all.filter((host) => rebuilt(host) && !brokenHosts.includes(host) && !added.includes(host));
  refuseNoSurvivor(survivors, 'etcd', names(brokenHosts));
  refuseNoSurvivor(survivors, 'controlPlane', names(brokenHosts));
  const joining = added.length > 0 ? added : brokenHosts;
  const ordered = [...survivors, ...joining];
  const etcd = names(ordered.filter((host) => host.roles.etcd));
  if (etcd.length % 2 === 0)
    throw new CoreRefusal(
      'conflict',
      'nodes.recover-etcd-even',
      { count: etcd.length, members: joinValues(etcd) },
      added.length > 0 ? 'newHosts' : 'hosts',
    );
  const brokenEtcd = names(brokenHosts.filter((host) => host.roles.etcd));
  return {
    etcd,
    controlPlane: names(ordered.filter((host) => host.roles.controlPlane)),
    brokenEtcd,
    brokenControlPlane: names(brokenHosts.filter((host) => host.roles.controlPlane)),
    // kubespray's default names members by their place in the etcd group; survivors first would rename them.
    etcdMemberNames: Object.fromEntries(
      all.filter((host) => host.roles.etcd).map((host, index) => [host.name, `etcd${index + 1}`]),
    ),
  };
}

const snapshotParams = (backup: EtcdBackup) => ({
  file: backup.file,
  takenAt: backup.takenAt,
  member: backup.member.name,
  revision: backup.revision,
});

/**
 * What recovering may lose: the CLI's "What may be lost", and with `confirm` the refusal of a recovery not confirmed
 * yet (the window words its own, operate.recover.loss); with `backup`, what restoring from it loses too.
 */
export function recoverLoss(groups: RecoverGroups, confirm: boolean, backup?: EtcdBackup): CoreMessage {
  const first = groups.etcd[0];
  return {
    id: 'nodes.recover-loss',
    params: {
      broken: joinValues([...new Set([...groups.brokenEtcd, ...groups.brokenControlPlane])]),
      brokenEtcd: groups.brokenEtcd.length,
      hasFirst: first ? 'yes' : 'no',
      first: first ?? '',
      confirm: confirm ? 'yes' : 'no',
      ...(backup ? { snapshot: 'yes', ...snapshotParams(backup) } : { snapshot: 'no' }),
    },
  };
}

/**
 * A stored Airspray etcd backup the recovery restores from if etcd lost its quorum: kubespray's etcd_snapshot, a path
 * on the Ansible controller (our deploy node) that recover_lost_quorum.yml copies to the first etcd member.
 */
export const RecoverSnapshotSchema = z.object({
  backup: EtcdBackupSchema,
  /** Where the backup lies on the deploy node: the run's -e etcd_snapshot. */
  path: z.string().min(1),
});
export type RecoverSnapshot = z.infer<typeof RecoverSnapshotSchema>;

/** What restoring from the backup loses, beside recoverLoss (a catalog message: the window says it too). */
export const recoverSnapshotMessage = (backup: EtcdBackup): CoreMessage => ({
  id: 'recover.snapshot-loss',
  params: snapshotParams(backup),
});
