import { basename, dirname, join, resolve } from 'node:path';
import type { Client } from 'ssh2';
import type { ProjectDocument } from '../../common/project';
import { recoverSnapshotMessage, type RecoverSnapshot } from '../../common/recover-control-plane';
import { remoteEtcdSnapshotsDir } from '../deploy/remote-layout';
import { assertSucceeded, execAsRoot } from '../deploy/remote-shell';
import { coreError, formatCoreMessage } from '../i18n/format-core-message';
import type { ProjectStore } from '../projects/project-store';
import type { DeployNodePlace } from '../runs/run-service';
import { quoteShellArg } from '../ssh/shell-quote';
import { execCommand } from '../ssh/ssh-connection';
import { etcdBackupFolder, readBackupIndex } from './backup-index';
import { sendFile } from './fetch-file';
import { checkStoredFile } from './restore-etcd';
import { findBackup } from './restore-plan';

/** What restoring from the snapshot loses, in English (the window formats the same catalog message). */
export const recoverSnapshotText = (snapshot: RecoverSnapshot) => {
  const { id, params } = recoverSnapshotMessage(snapshot.backup);
  return formatCoreMessage(id, params);
};

/** Another project whose backup folder (`folder`, or any when undefined) holds `file`: refused, naming it. */
async function refuseOtherProject(
  projects: ProjectStore,
  project: ProjectDocument,
  file: string,
  folder: string | undefined,
): Promise<void> {
  for (const other of await projects.list()) {
    const otherFolder = etcdBackupFolder(projects.projectFolder(other.id));
    if (other.id === project.id || (folder !== undefined && folder !== otherFolder)) continue;
    if (!(await readBackupIndex(otherFolder)).backups.some((backup) => backup.file === file)) continue;
    throw coreError(
      'conflict',
      'recover.snapshot-other-project',
      { file, project: other.name, current: project.name },
      'snapshot',
    );
  }
}

/**
 * The stored backup `given` names for a recovery of `project` (its file in the project's index, as `airspray etcd
 * restore --backup` takes it, or the path of the file), and where the run finds it on the deploy node. Refused on
 * `snapshot`: a backup of another project, or none.
 */
export async function findRecoverSnapshot(
  projects: ProjectStore,
  project: ProjectDocument,
  given: string,
): Promise<RecoverSnapshot> {
  const own = etcdBackupFolder(projects.projectFolder(project.id));
  const folder = given.includes('/') ? dirname(resolve(given)) : own;
  const file = basename(given);
  const { backups } = await readBackupIndex(own);
  const stored = folder === own ? backups.find((backup) => backup.file === file) : undefined;
  if (!stored) await refuseOtherProject(projects, project, file, folder === own ? undefined : folder);
  const backup = stored ?? findBackup(backups, given, 'snapshot');
  return { backup, path: `${remoteEtcdSnapshotsDir(project.name)}/${backup.file}` };
}

/** Where the project's copy of the snapshot lies on the stick. */
export const storedSnapshotPath = (projects: ProjectStore, projectId: string, { backup }: RecoverSnapshot) =>
  join(etcdBackupFolder(projects.projectFolder(projectId)), backup.file);

/** The stick's copy must still have the sha256 its index recorded: refused on `snapshot` before any host is reached. */
export const checkRecoverSnapshot = (projects: ProjectStore, projectId: string, snapshot: RecoverSnapshot) =>
  checkStoredFile(storedSnapshotPath(projects, projectId, snapshot), snapshot.backup, 'snapshot');

/**
 * Pushes the backup from `localPath` to its path on the deploy node, 0600 in a 0700 folder of the run user (the
 * snapshot holds every Secret of the cluster; the run reads it as that user), checked against the index's sha256 there.
 * An earlier recovery's snapshot in the folder goes: one is kept per cluster.
 */
export async function pushRecoverSnapshot(
  client: Client,
  place: DeployNodePlace,
  localPath: string,
  snapshot: RecoverSnapshot,
): Promise<void> {
  const q = quoteShellArg;
  const dir = dirname(snapshot.path);
  const part = `${snapshot.path}.part`;
  const prepare = `install -d -m 700 -o ${q(place.user)} ${q(dir)} && find ${q(dir)} -mindepth 1 -delete`;
  assertSucceeded(await execAsRoot(client, prepare, place.sudoPassword), 'install -d');
  await sendFile(client, localPath, part);
  const summed = await execCommand(client, `chmod 600 ${q(part)} && sha256sum ${q(part)}`);
  const sha256 = assertSucceeded(summed, 'sha256sum').stdout.split(' ')[0] ?? '';
  const { file, sha256: expected } = snapshot.backup;
  if (sha256 !== expected) {
    assertSucceeded(await execCommand(client, `rm -f ${q(part)}`), 'rm');
    throw coreError(
      'conflict',
      'recover.snapshot-copy-damaged',
      { file, host: place.host, sha256, expected },
      'snapshot',
    );
  }
  assertSucceeded(await execCommand(client, `mv -f ${q(part)} ${q(snapshot.path)}`), 'mv');
}
