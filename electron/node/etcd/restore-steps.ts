import type { Client } from 'ssh2';
import type { CoreLog } from '../core-log';
import { connectWithKey, type KeySession } from '../deploy/deploy-operations';
import { assertSucceeded, execAsRoot } from '../deploy/remote-shell';
import { quoteShellArg } from '../ssh/shell-quote';
import { execCommand, type ExecResult } from '../ssh/ssh-connection';
import { sendFile } from './fetch-file';
import { restoreFailure } from './restore-failure';
import type { RestoreTarget } from './restore-plan';
import { makeWorkFolder } from './work-folder';
// Real files beside this one: etcdctl with kubespray's certificates, the checks before, and the restore itself.
import etcdctlEnv from './etcdctl-env.sh?raw';
import checkProgram from './restore-check.sh?raw';
import restoreProgram from './restore-member.sh?raw';
import { coreError } from '../i18n/format-core-message';

/** A member with the snapshot pushed into a folder of the login's own, over one open login. */
export interface StagedMember {
  target: RestoreTarget;
  client: Client;
  snapshot: string;
}

function runScript(member: StagedMember, sudoPassword: string, program: string, args: string[]): Promise<ExecResult> {
  const all = [member.target.host.name, member.target.host.address, member.snapshot, ...args];
  const quoted = all.map((arg) => quoteShellArg(arg)).join(' ');
  return execAsRoot(member.client, `set -- ${quoted}\n${etcdctlEnv}\n${program}`, sudoPassword);
}

/** Logs in, pushes the snapshot (on disk, not a tmpfs /tmp: it is as large as etcd's database). */
export async function stageSnapshot(
  target: RestoreTarget,
  session: KeySession,
  localPath: string,
): Promise<StagedMember> {
  const client = await connectWithKey(target.host, session);
  try {
    const snapshot = `${await makeWorkFolder(client)}/snapshot.db`;
    await sendFile(client, localPath, snapshot);
    return { target, client, snapshot };
  } catch (error) {
    client.end();
    throw error;
  }
}

/** sha256 and etcdctl snapshot status of the pushed file, and the member's etcd.env, before anything changes. */
export async function checkStaged(member: StagedMember, sudoPassword: string, sha256: string): Promise<void> {
  const result = await runScript(member, sudoPassword, checkProgram, [sha256, member.target.etcdName]);
  if (result.code !== 0) throw restoreFailure(member.target.host.name, result);
}

/** systemctl on etcd.service (kubespray's unit name); `start` does not wait: a member waits for its peers. */
export async function controlEtcd(member: StagedMember, sudoPassword: string, action: 'stop' | 'start'): Promise<void> {
  const command = action === 'stop' ? 'systemctl stop etcd.service' : 'systemctl start --no-block etcd.service';
  const result = await execAsRoot(member.client, command, sudoPassword);
  if (result.code !== 0)
    throw coreError(
      'conflict',
      'etcd.restore-command-failed',
      { host: member.target.host.name, command, detail: result.stderr.trim() || `exit ${result.code}` },
      'member',
    );
}

/** etcdctl snapshot restore into a fresh data dir put in place of /var/lib/etcd; the old one's new path, if any. */
export async function restoreMember(
  member: StagedMember,
  sudoPassword: string,
  cluster: string,
  stamp: string,
): Promise<string | undefined> {
  const { etcdName, peerUrl } = member.target;
  const result = await runScript(member, sudoPassword, restoreProgram, [etcdName, peerUrl, cluster, stamp]);
  if (result.code !== 0) throw restoreFailure(member.target.host.name, result);
  return /^aside (.+)$/m.exec(result.stdout)?.[1];
}

/** Removes the pushed snapshot's folder and logs out; a failure here leaves a file in /var/tmp, named in the log. */
export async function releaseStaged(member: StagedMember, log: CoreLog): Promise<void> {
  const folder = member.snapshot.replace(/\/snapshot\.db$/, '');
  try {
    assertSucceeded(await execCommand(member.client, `rm -rf -- ${quoteShellArg(folder)}`), 'rm');
  } catch (error) {
    log.failed(`removing ${folder} on ${member.target.host.name} after an etcd restore`, error);
  } finally {
    member.client.end();
  }
}
