import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from 'ssh2';
import type { ClusterHost, ClusterPlan } from '../../common/cluster-plan';
import type { EtcdCollectResult, EtcdTimer, EtcdTimerSnapshot } from '../../common/etcd-api';
import type { ProjectDocument } from '../../common/project';
import { connectWithKey, type KeySession } from '../deploy/deploy-operations';
import { remoteEtcdTimerDir } from '../deploy/remote-layout';
import { assertSucceeded, execAsRoot } from '../deploy/remote-shell';
import { quoteShellArg } from '../ssh/shell-quote';
import { execCommand } from '../ssh/ssh-connection';
import { etcdBackupFolder, readBackupIndex, recordBackup } from './backup-index';
import { keptOf } from './etcd-backups';
import { snapshotFailure } from './snapshot-failure';
import { fetchChecked, onHost, pickEtcdMember, requireSudoPassword } from './take-snapshot';
import { asBackup, parseTimerList, snapshotsToCollect } from './timer-report';
import { installScript, removeScript, timerService } from './timer-units';
import { makeWorkFolder } from './work-folder';
// A real file beside this one: the timer's settings and records, read as root.
import listProgram from './timer-list.sh?raw';

/**
 * Where the timer runs: the deploy node when it is an etcd member, else the plan's first etcd member. Either way on a
 * member, with its own kubespray certificates: no certificate is copied to another host.
 */
export function timerHost(cluster: Pick<ClusterPlan, 'hosts' | 'deployNode'>): ClusterHost {
  const deployNode = cluster.hosts.find((host) => host.name === cluster.deployNode && host.roles.etcd);
  return deployNode ?? pickEtcdMember(cluster.hosts);
}

interface OnTimerHost {
  client: Client;
  host: ClusterHost;
  sudoPassword: string;
}

/** One login to the timer's host for `work`; its failures named with the host. */
async function onTimerHost<T>(
  project: ProjectDocument,
  session: KeySession,
  work: (on: OnTimerHost) => Promise<T>,
): Promise<T> {
  const sudoPassword = requireSudoPassword(session);
  const host = timerHost(project.cluster);
  const client = await connectWithKey(host, session);
  try {
    return await work({ client, host, sudoPassword });
  } catch (error) {
    throw onHost(host.name, error);
  } finally {
    client.end();
  }
}

async function readTimer({ client, host, sudoPassword }: OnTimerHost): Promise<EtcdTimer> {
  const args = [remoteEtcdTimerDir, timerService].map((arg) => quoteShellArg(arg)).join(' ');
  const result = await execAsRoot(client, `set -- ${args}\n${listProgram}`, sudoPassword);
  return parseTimerList(host, assertSucceeded(result, 'reading the etcd timer').stdout);
}

/**
 * Installs the snapshot timer on its host (`every`, keeping the last `keep` there: default etcdBackupsKept), or with
 * `every` null removes it and the snapshots it kept; answers the timer as the host then reports it.
 */
export function scheduleEtcdSnapshots(
  project: ProjectDocument,
  session: KeySession,
  options: { every: string | null; keep?: number | undefined },
): Promise<EtcdTimer> {
  return onTimerHost(project, session, async (on) => {
    const { host } = on;
    const member = { name: host.name, address: host.address };
    const keep = options.keep ?? keptOf(project.cluster.settings);
    const script = options.every === null ? removeScript() : installScript({ member, every: options.every, keep });
    const result = await execAsRoot(on.client, script, on.sudoPassword);
    if (result.code !== 0) throw snapshotFailure(host.name, host.address, result);
    return readTimer(on);
  });
}

/** Copies `snapshots` into `folder` through a work folder of the login's own, each checked, then recorded. */
async function copySnapshots(
  on: OnTimerHost,
  login: string,
  snapshots: readonly EtcdTimerSnapshot[],
  stick: { folder: string; kept: number },
): Promise<string[]> {
  const removed: string[] = [];
  const work = await makeWorkFolder(on.client);
  try {
    for (const snapshot of snapshots) {
      const backup = asBackup(snapshot);
      const source = `${remoteEtcdTimerDir}/snapshots/${snapshot.name}.db`;
      const staged = `${work}/${backup.file}`;
      const copy = `install -o ${quoteShellArg(login)} -m 600 ${quoteShellArg(source)} ${quoteShellArg(staged)}`;
      assertSucceeded(await execAsRoot(on.client, copy, on.sudoPassword), `copying ${source}`);
      const expected = { member: on.host.name, sha256: snapshot.sha256 };
      await fetchChecked(on.client, staged, join(stick.folder, backup.file), expected);
      // One snapshot at a time in /var/tmp: each is as large as etcd's database.
      await execCommand(on.client, `rm -f -- ${quoteShellArg(staged)}`);
      const old = await recordBackup(stick.folder, backup, stick.kept);
      removed.push(...old.map((gone) => gone.file));
    }
  } finally {
    await execCommand(on.client, `rm -rf -- ${quoteShellArg(work)}`);
  }
  return removed;
}

/**
 * Collects the timer's snapshots: those not on the stick yet that its last etcdBackupsKept would keep, copied into the
 * project's folder with their sha256 checked and recorded as taken by the timer; answers the timer too.
 */
export function collectEtcdSnapshots(
  project: ProjectDocument,
  projectFolder: string,
  session: KeySession,
): Promise<EtcdCollectResult> {
  return onTimerHost(project, session, async (on) => {
    const timer = await readTimer(on);
    const stick = { folder: etcdBackupFolder(projectFolder), kept: keptOf(project.cluster.settings) };
    const wanted = snapshotsToCollect((await readBackupIndex(stick.folder)).backups, timer.snapshots, stick.kept);
    await mkdir(stick.folder, { recursive: true, mode: 0o700 });
    const removed = wanted.length === 0 ? [] : await copySnapshots(on, session.credential.user, wanted, stick);
    return { timer, collected: wanted.map(asBackup), folder: stick.folder, removed };
  });
}
