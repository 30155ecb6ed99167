import { join } from 'node:path';
import type { EtcdBackup, EtcdRestoreResult, RestoredMember } from '../../common/etcd-api';
import { AirsprayError } from '../../common/errors';
import type { ProjectDocument } from '../../common/project';
import { sha256OfFile } from '../bundles/file-digest';
import { stderrCoreLog, type CoreLog } from '../core-log';
import type { KeySession } from '../deploy/deploy-operations';
import { etcdBackupFolder, readBackupIndex } from './backup-index';
import { readMemberStatus } from './member-status';
import { findBackup, initialCluster, memberMismatch, restoreTargets, type RestoreTarget } from './restore-plan';
import {
  checkStaged,
  controlEtcd,
  releaseStaged,
  restoreMember,
  stageSnapshot,
  type StagedMember,
} from './restore-steps';
import { requireSudoPassword } from './take-snapshot';
import { joinValues } from '../../common/core-messages';
import { coreError } from '../i18n/format-core-message';

export interface RestoreOptions {
  /** The snapshot's file name in the index. */
  backup: string;
  /** The operator read what is lost (the refusal without it says) and wants it. */
  confirm: boolean;
  /** Restore although the running members are not the plan's (or cannot be read). */
  ignoreMemberMismatch?: boolean | undefined;
  now?: Date;
}

/** The remote half, replaceable in tests: everything that touches a member. */
export const restoreRemote = {
  readMembers: readMemberStatus,
  stage: stageSnapshot,
  check: checkStaged,
  control: controlEtcd,
  restore: restoreMember,
  release: releaseStaged,
  /** How long etcd gets to answer healthy after the restart: attempts, two seconds apart. */
  healthAttempts: 45,
};
export type RestoreRemote = typeof restoreRemote;

/**
 * Restores a stored snapshot onto every etcd member of the plan, as etcd's documented disaster recovery does for
 * kubespray's layout: check, push to every member, stop etcd on all, `etcdctl snapshot restore` on each into a fresh
 * data dir (the old one moved aside), start all, wait until healthy. Every refusal comes before etcd is stopped.
 */
export async function restoreEtcd(
  project: ProjectDocument,
  projectFolder: string,
  session: KeySession,
  options: RestoreOptions,
  remote: RestoreRemote = restoreRemote,
  log: CoreLog = stderrCoreLog,
): Promise<EtcdRestoreResult> {
  const targets = restoreTargets(project.cluster.hosts);
  const folder = etcdBackupFolder(projectFolder);
  const backup = findBackup((await readBackupIndex(folder)).backups, options.backup);
  if (!options.confirm)
    throw coreError(
      'invalid_params',
      'etcd.restore-needs-confirm',
      {
        file: backup.file,
        hosts: joinValues(targets.map((target) => target.host.name)),
        takenAt: backup.takenAt,
        revision: backup.revision,
      },
      'confirm',
    );
  await checkStoredFile(join(folder, backup.file), backup);
  const sudoPassword = requireSudoPassword(session);
  if (!options.ignoreMemberMismatch) await checkMembers(targets, session, remote);
  const staged: StagedMember[] = [];
  try {
    for (const target of targets) staged.push(await remote.stage(target, session, join(folder, backup.file)));
    for (const member of staged) await remote.check(member, sudoPassword, backup.sha256);
    const members = await replaceData(staged, sudoPassword, stampOf(options.now ?? new Date()), remote);
    return { backup, members, health: await waitHealthy(targets, session, remote) };
  } finally {
    for (const member of staged) await remote.release(member, log);
  }
}

const stampOf = (now: Date) => now.toISOString().replace(/[-:.]/g, '');

/** The stick's copy must still be the one the backup recorded (else refused on `field`). */
export async function checkStoredFile(path: string, backup: EtcdBackup, field = 'backup'): Promise<void> {
  let sha256: string;
  try {
    sha256 = await sha256OfFile(path);
  } catch (error) {
    sha256 = `unreadable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  }
  if (sha256 !== backup.sha256)
    throw coreError('conflict', 'etcd.snapshot-changed-on-disk', { path, sha256, expected: backup.sha256 }, field);
}

/** The running members (etcdctl member list on the first) must be the plan's: else the restore would split them. */
async function checkMembers(targets: RestoreTarget[], session: KeySession, remote: RestoreRemote): Promise<void> {
  const first = targets[0]!.host;
  let mismatch: string | undefined;
  try {
    mismatch = memberMismatch(await remote.readMembers(first, session), targets);
  } catch (error) {
    mismatch = `etcd's member list could not be read on ${first.name} (${(error as Error).message})`;
  }
  if (mismatch) throw coreError('conflict', 'etcd.members-mismatch', { detail: mismatch }, 'ignoreMemberMismatch');
}

/** Stop on all, restore on each, start on all: past the first stop, a failure says where the data is. */
async function replaceData(
  staged: StagedMember[],
  sudoPassword: string,
  stamp: string,
  remote: RestoreRemote,
): Promise<RestoredMember[]> {
  const cluster = initialCluster(staged.map((member) => member.target));
  const members: RestoredMember[] = [];
  try {
    for (const member of staged) await remote.control(member, sudoPassword, 'stop');
    for (const member of staged) {
      const movedAside = await remote.restore(member, sudoPassword, cluster, stamp);
      members.push({
        host: member.target.host.name,
        etcdName: member.target.etcdName,
        ...(movedAside ? { movedAside } : {}),
      });
    }
    for (const member of staged) await remote.control(member, sudoPassword, 'start');
  } catch (error) {
    throw midwayFailure(error, members, stamp);
  }
  return members;
}

function midwayFailure(error: unknown, done: RestoredMember[], stamp: string): AirsprayError {
  const restored = { restored: joinValues(done.map((member) => member.host)), restoredCount: done.length };
  const params = { detail: (error as Error).message, ...restored, stamp };
  return coreError(error instanceof AirsprayError ? error.code : 'conflict', 'etcd.restore-midway', params, 'member');
}

/** etcd's answer after the restart, once every plan member is healthy; else the last answer with the fix. */
async function waitHealthy(targets: RestoreTarget[], session: KeySession, remote: RestoreRemote) {
  let last = 'no answer yet';
  for (let attempt = 0; attempt < remote.healthAttempts; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 2000));
    try {
      const members = await remote.readMembers(targets[0]!.host, session);
      const unhealthy = members.filter((member) => !member.healthy);
      last =
        memberMismatch(members, targets) ?? unhealthy.map((member) => `${member.name}: ${member.error}`).join('; ');
      if (!last) return members;
    } catch (error) {
      last = (error as Error).message;
    }
  }
  throw coreError('conflict', 'etcd.restore-unhealthy', { detail: last }, 'member');
}
