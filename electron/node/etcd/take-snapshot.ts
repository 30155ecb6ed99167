import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from 'ssh2';
import type { ClusterHost } from '../../common/cluster-plan';
import { hostsWithRole } from '../projects/hosts-with-role';
import type { EtcdBackup } from '../../common/etcd-api';
import { AirsprayError } from '../../common/errors';
import { connectWithKey, type KeySession } from '../deploy/deploy-operations';
import { execAsRoot, sudoPasswordOf } from '../deploy/remote-shell';
import { quoteShellArg } from '../ssh/shell-quote';
import { execCommand } from '../ssh/ssh-connection';
import { snapshotFileName } from './backup-index';
import { fetchFile } from './fetch-file';
import { snapshotFailure } from './snapshot-failure';
import { makeWorkFolder } from './work-folder';
import { parseSnapshotReport } from './snapshot-status';
// Real files beside this one: etcdctl with kubespray's certificates, then snapshot save and status, as root.
import etcdctlEnv from './etcdctl-env.sh?raw';
import program from './snapshot.sh?raw';
import { joinValues } from '../../common/core-messages';
import { coreError } from '../i18n/format-core-message';

/** The member to take the snapshot on: the one named, else the plan's first etcd host. */
export function pickEtcdMember(hosts: readonly ClusterHost[], named?: string): ClusterHost {
  const members = hostsWithRole(hosts, 'etcd', 'roles.no-etcd-member');
  if (named === undefined) return members[0]!;
  const member = members.find((host) => host.name === named);
  if (!member)
    throw coreError(
      'invalid_params',
      'etcd.not-a-member',
      { host: named, members: joinValues(members.map((host) => host.name)) },
      'member',
    );
  return member;
}

export function requireSudoPassword(session: KeySession): string {
  const password = sudoPasswordOf(session.credential);
  if (password === undefined)
    throw coreError('invalid_params', 'etcd.sudo-password-missing', {}, 'credential.sudoPassword');
  return password;
}

/**
 * A failure on the member as the operator reads it: the ones already worded pass through, the rest (a script's
 * output that does not parse, SFTP refused) get the host's name.
 */
export function onHost(host: string, error: unknown): AirsprayError {
  if (error instanceof AirsprayError) return error;
  return coreError('conflict', 'etcd.backup-failed', { host, detail: (error as Error).message }, 'member');
}

/** Copies a snapshot and compares its sha256 with the member's; a copy that differs is removed and refused. */
export async function fetchChecked(
  client: Client,
  remotePath: string,
  localPath: string,
  expected: { member: string; sha256: string },
): Promise<{ sha256: string; sizeBytes: number }> {
  const copied = await fetchFile(client, remotePath, localPath);
  if (copied.sha256 === expected.sha256) return copied;
  await rm(localPath, { force: true });
  const params = { member: expected.member, copied: copied.sha256, expected: expected.sha256 };
  throw coreError('conflict', 'etcd.snapshot-copy-damaged', params, 'member');
}

/** Snapshot, check and copy on one open login; the remote folder is the login's own, removed whatever happens. */
async function snapshotOver(
  client: Client,
  member: ClusterHost,
  session: KeySession,
  sudoPassword: string,
  localPath: string,
): Promise<Omit<EtcdBackup, 'file' | 'takenAt' | 'member'>> {
  const folder = await makeWorkFolder(client);
  try {
    const args = [member.name, member.address, folder, session.credential.user]
      .map((arg) => quoteShellArg(arg))
      .join(' ');
    const result = await execAsRoot(client, `set -- ${args}\n${etcdctlEnv}\n${program}`, sudoPassword);
    if (result.code !== 0) throw snapshotFailure(member.name, member.address, result);
    const report = parseSnapshotReport(result.stdout);
    const copied = await fetchChecked(client, `${folder}/snapshot.db`, localPath, {
      member: member.name,
      sha256: report.sha256,
    });
    const { status } = report;
    return { ...copied, revision: status.revision, totalKeys: status.totalKey, etcdHash: status.hash };
  } finally {
    await execCommand(client, `rm -rf -- ${quoteShellArg(folder)}`);
  }
}

/**
 * Takes an etcd snapshot on `member` over one deploy-key login, checks it with etcdctl snapshot status, and copies it
 * into `folder`, its sha256 computed here and compared with the member's.
 */
export async function takeSnapshot(
  member: ClusterHost,
  session: KeySession,
  folder: string,
  now: Date,
): Promise<EtcdBackup> {
  const sudoPassword = requireSudoPassword(session);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const file = snapshotFileName(now, member.name);
  const client = await connectWithKey(member, session);
  try {
    const taken = await snapshotOver(client, member, session, sudoPassword, join(folder, file));
    return { file, takenAt: now.toISOString(), member: { name: member.name, address: member.address }, ...taken };
  } catch (error) {
    throw onHost(member.name, error);
  } finally {
    client.end();
  }
}
