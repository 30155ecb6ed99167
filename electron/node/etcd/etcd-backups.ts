import { defaultEtcdBackupsKept, type ClusterSettings } from '../../common/cluster-plan';
import type { EtcdBackupList, EtcdBackupResult } from '../../common/etcd-api';
import type { ProjectDocument } from '../../common/project';
import type { KeySession } from '../deploy/deploy-operations';
import { etcdBackupFolder, readBackupIndex, recordBackup } from './backup-index';
import { pickEtcdMember, takeSnapshot } from './take-snapshot';

/** How many snapshots the stick keeps: the cluster setting, or its default. */
export const keptOf = (settings: ClusterSettings) => settings.etcdBackupsKept ?? defaultEtcdBackupsKept;

/**
 * Backs up the project's etcd: a checked snapshot from a member into the project's folder, recorded in the index, the
 * oldest removed beyond the cluster setting etcdBackupsKept.
 */
export async function backUpEtcd(
  project: ProjectDocument,
  projectFolder: string,
  session: KeySession,
  options: { member?: string | undefined; now?: Date } = {},
): Promise<EtcdBackupResult> {
  const member = pickEtcdMember(project.cluster.hosts, options.member);
  const folder = etcdBackupFolder(projectFolder);
  const backup = await takeSnapshot(member, session, folder, options.now ?? new Date());
  const removed = await recordBackup(folder, backup, keptOf(project.cluster.settings));
  return { backup, folder, removed: removed.map((old) => old.file) };
}

/** The project's snapshots, newest first, with where they are and how many are kept. */
export async function listEtcdBackups(project: ProjectDocument, projectFolder: string): Promise<EtcdBackupList> {
  const folder = etcdBackupFolder(projectFolder);
  const index = await readBackupIndex(folder);
  return { folder, kept: keptOf(project.cluster.settings), backups: index.backups };
}
