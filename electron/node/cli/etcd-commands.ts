import type { Command } from 'commander';
import { formatBytes } from '../../common/format-bytes';
import type { EtcdBackup, EtcdRestoreResult, EtcdTimer } from '../../common/etcd-api';
import { coreError } from '../i18n/format-core-message';
import { remoteEtcdTimerDir } from '../deploy/remote-layout';
import { backUpEtcd, listEtcdBackups } from '../etcd/etcd-backups';
import { collectEtcdSnapshots, scheduleEtcdSnapshots } from '../etcd/etcd-timer';
import { parseEvery, timerService } from '../etcd/timer-units';
import { restoreEtcd } from '../etcd/restore-etcd';
import { printAligned } from './certs-commands';
import { cliServices, printJson, runCommand, withProjectOptions } from './cli-project';
import { deployKeyPassphraseVariable } from './deploy-commands';
import { openProjectKeySession, withKeySessionOptions, type KeySessionOptions } from './key-session-options';

interface BackupOptions extends KeySessionOptions {
  member?: string;
  json?: boolean;
}

interface RestoreOptions extends KeySessionOptions {
  backup: string;
  confirm?: boolean;
  ignoreMemberMismatch?: boolean;
  json?: boolean;
}

interface ScheduleOptions extends KeySessionOptions {
  every?: string;
  keep?: string;
  off?: boolean;
  json?: boolean;
}

interface CollectOptions extends KeySessionOptions {
  json?: boolean;
}

interface ListOptions {
  project: string;
  dataDir?: string;
  json?: boolean;
}

/** One row per snapshot, newest first. */
export function backupTable(backups: readonly EtcdBackup[]): string[][] {
  return [
    ['TAKEN', 'MEMBER', 'REVISION', 'KEYS', 'SIZE', 'SHA256', 'FILE'],
    ...backups.map((backup) => [
      backup.takenAt,
      backup.takenBy === 'timer' ? `${backup.member.name} (timer)` : backup.member.name,
      String(backup.revision),
      String(backup.totalKeys),
      formatBytes(backup.sizeBytes),
      backup.sha256.slice(0, 16),
      backup.file,
    ]),
  ];
}

async function backUp(options: BackupOptions): Promise<void> {
  const { services, project, session } = await openProjectKeySession(options);
  const result = await backUpEtcd(project, services.projects.projectFolder(project.id), session, {
    member: options.member,
  });
  if (options.json) return printJson(result);
  const { backup } = result;
  console.log(
    `etcd snapshot from ${backup.member.name}: revision ${backup.revision}, ${backup.totalKeys} keys, ${formatBytes(backup.sizeBytes)}, sha256 ${backup.sha256}`,
  );
  console.log(`saved as ${result.folder}/${backup.file}`);
  for (const file of result.removed) console.log(`removed ${file} (older than the last ones kept)`);
}

async function restore(options: RestoreOptions): Promise<void> {
  const { services, project, session } = await openProjectKeySession(options);
  const result = await restoreEtcd(project, services.projects.projectFolder(project.id), session, {
    backup: options.backup,
    confirm: options.confirm === true,
    ignoreMemberMismatch: options.ignoreMemberMismatch,
  });
  if (options.json) return printJson(result);
  printRestore(result);
}

function printRestore({ backup, members, health }: EtcdRestoreResult): void {
  console.log(`etcd restored from ${backup.file} (taken ${backup.takenAt}, revision ${backup.revision})`);
  for (const member of members)
    console.log(`${member.host} (${member.etcdName}): old data ${member.movedAside ?? 'none'}`);
  for (const member of health)
    console.log(`${member.name} ${member.endpoint} ${member.healthy ? 'healthy' : 'unhealthy'}`);
}

async function list(options: ListOptions): Promise<void> {
  const services = await cliServices(options);
  const project = await services.projects.findByName(options.project);
  const backups = await listEtcdBackups(project, services.projects.projectFolder(project.id));
  if (options.json) return printJson(backups);
  console.log(`${backups.folder} (keeps the last ${backups.kept}: the cluster setting etcdBackupsKept)`);
  if (backups.backups.length === 0) console.log('no snapshot yet: take one with airspray etcd backup');
  else printAligned(backupTable(backups.backups));
}

/** The timer in one line or two: where, how often, its last run and the newest snapshot waiting there. */
export function timerLines(timer: EtcdTimer): string[] {
  const where = `${timer.host.name} (${timer.host.address})`;
  if (timer.every === null) return [`no etcd snapshot timer on ${where}`];
  const newest = timer.snapshots[0];
  return [
    `etcd snapshot timer on ${where}: every ${timer.every}, keeps the last ${timer.keep} there (${remoteEtcdTimerDir}/snapshots)`,
    newest
      ? `newest snapshot there: ${newest.takenAt}, revision ${newest.status.revision}, ${formatBytes(newest.sizeBytes)}; ${timer.snapshots.length} kept`
      : 'no snapshot taken there yet',
    ...(timer.lastRun !== null && timer.lastRun !== 'success'
      ? [`the last run failed (${timer.lastRun}): journalctl -u ${timerService} on ${timer.host.name} says why`]
      : []),
  ];
}

/** --every and --off, one of them; --keep a whole number from 1 to 100. */
export function scheduleRequest(options: ScheduleOptions): { every: string | null; keep?: number } {
  if (Boolean(options.off) === (options.every !== undefined))
    throw coreError('invalid_params', 'cli.every-or-off', {}, 'every');
  if (options.off) return { every: null };
  const every = parseEvery(options.every!, '--every');
  if (options.keep === undefined) return { every };
  const keep = Number(options.keep);
  if (!Number.isInteger(keep) || keep < 1 || keep > 100)
    throw coreError('invalid_params', 'cli.keep-invalid', { keep: options.keep }, 'keep');
  return { every, keep };
}

async function schedule(options: ScheduleOptions): Promise<void> {
  const request = scheduleRequest(options);
  const { project, session } = await openProjectKeySession(options);
  const timer = await scheduleEtcdSnapshots(project, session, request);
  if (options.json) return printJson(timer);
  for (const line of timerLines(timer)) console.log(line);
  if (timer.every !== null && timer.host.name !== project.cluster.deployNode)
    console.log(
      `(on the first etcd member: the deploy node ${project.cluster.deployNode ?? 'none'} is not an etcd member, and etcd's client certificates stay on the members)`,
    );
}

async function collect(options: CollectOptions): Promise<void> {
  const { services, project, session } = await openProjectKeySession(options);
  const result = await collectEtcdSnapshots(project, services.projects.projectFolder(project.id), session);
  if (options.json) return printJson(result);
  for (const line of timerLines(result.timer)) console.log(line);
  if (result.collected.length === 0) console.log(`nothing new to collect into ${result.folder}`);
  for (const backup of result.collected)
    console.log(`collected ${backup.file}: revision ${backup.revision}, sha256 ${backup.sha256} checked`);
  for (const file of result.removed) console.log(`removed ${file} (older than the last ones kept)`);
}

/** An etcd command over the deploy key and sudo (`why`: what needs root), so it needs the key's passphrase. */
function keyCommand(etcd: Command, name: string, why: string, description: string): Command {
  return withKeySessionOptions(etcd.command(name), why).description(
    `${description} Needs ${deployKeyPassphraseVariable}.`,
  );
}

/** `airspray etcd backup` and `airspray etcd backups`: Operate's etcd backups, for a script or a timer. */
export function registerEtcdCommands(program: Command): void {
  const etcd = program.command('etcd').description("The cluster's etcd: snapshots kept in the project's folder.");
  keyCommand(
    etcd,
    'backup',
    "etcd's client certificates are readable by root only",
    `Take an etcd snapshot on a member (etcdctl snapshot save with kubespray's certificates, over the deploy key and sudo), check it (snapshot status), copy it into the project's folder with its sha256, and keep the last etcdBackupsKept.`,
  )
    .option('--member <name>', "the etcd member to take it on (default: the plan's first)")
    .option('--json', 'print the result as JSON')
    .action((options: BackupOptions) => runCommand(() => backUp(options)));
  keyCommand(
    etcd,
    'restore',
    "etcd's client certificates and data are root's",
    `Restore a snapshot from the project's folder onto every etcd member of the plan: check it, stop etcd on all, etcdctl snapshot restore on each (the old /var/lib/etcd moved aside), start etcd, wait until healthy. Every write after the snapshot is lost.`,
  )
    .requiredOption('--backup <file>', 'the snapshot to restore, its FILE in airspray etcd backups')
    .option('--confirm', 'confirm that every write to the cluster after the snapshot is lost')
    .option('--ignore-member-mismatch', "restore although etcd's running members are not the plan's (or etcd is down)")
    .option('--json', 'print the result as JSON')
    .action((options: RestoreOptions) => runCommand(() => restore(options)));
  keyCommand(
    etcd,
    'schedule',
    "etcd's client certificates are readable by root only",
    `Install a systemd timer on the deploy node (when it is an etcd member, else on the plan's first etcd member) that takes a checked etcd snapshot every DURATION and keeps the last N there under ${remoteEtcdTimerDir}; --off removes it and its snapshots.`,
  )
    .option('--every <duration>', 'how often: a whole number and m, h or d, such as 6h, 30m or 1d')
    .option('--keep <n>', 'how many snapshots the host keeps (default: etcdBackupsKept)')
    .option('--off', 'remove the timer, its service and the snapshots it kept')
    .option('--json', 'print the timer as JSON')
    .action((options: ScheduleOptions) => runCommand(() => schedule(options)));
  keyCommand(
    etcd,
    'collect',
    "the timer's snapshots are readable by root only",
    `Copy the timer's snapshots not yet in the project's folder there, each sha256 checked, recorded as taken by the timer, keeping the last etcdBackupsKept.`,
  )
    .option('--json', 'print the result as JSON')
    .action((options: CollectOptions) => runCommand(() => collect(options)));
  withProjectOptions(etcd.command('backups'))
    .description("List the project's etcd snapshots, newest first.")
    .option('--json', 'print the list as JSON')
    .action((options: ListOptions) => runCommand(() => list(options)));
}
