import { z } from 'zod';
import { HostRefSchema, keySessionMethod } from './cluster-api';
import { ProjectIdSchema } from './project';

/** What `etcdctl snapshot status -w json` reports of a snapshot file. */
export const SnapshotStatusSchema = z.object({
  /** etcd's own hash of the snapshot's contents (not a file checksum). */
  hash: z.number().int().nonnegative(),
  revision: z.number().int().nonnegative(),
  totalKey: z.number().int().nonnegative(),
  totalSize: z.number().int().nonnegative(),
});
export type SnapshotStatus = z.infer<typeof SnapshotStatusSchema>;

/** One snapshot kept in the project's folder, as its index records it. */
export const EtcdBackupSchema = z.object({
  /** The file's name in the project's etcd-backups folder. */
  file: z.string().regex(/^[\w.-]+\.db$/),
  takenAt: z.iso.datetime(),
  /** The etcd member it was taken on (its plan name and address). */
  member: HostRefSchema,
  sizeBytes: z.number().int().nonnegative(),
  /** sha256 of the file, computed on this side while it arrived and equal to the member's sha256sum. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  revision: z.number().int().nonnegative(),
  totalKeys: z.number().int().nonnegative(),
  etcdHash: z.number().int().nonnegative(),
  /** Set when the snapshot was taken by the timer on the member and collected; absent when taken by hand. */
  takenBy: z.literal('timer').optional(),
});
export type EtcdBackup = z.infer<typeof EtcdBackupSchema>;

/** The index file beside the snapshots, newest first. */
export const EtcdBackupIndexSchema = z.object({
  version: z.literal(1),
  backups: z.array(EtcdBackupSchema),
});
export type EtcdBackupIndex = z.infer<typeof EtcdBackupIndexSchema>;

export const EtcdBackupListSchema = z.object({
  /** The folder holding the snapshots and the index. */
  folder: z.string(),
  /** How many the project keeps (the cluster setting etcdBackupsKept, or its default). */
  kept: z.number().int().positive(),
  backups: z.array(EtcdBackupSchema),
});
export type EtcdBackupList = z.infer<typeof EtcdBackupListSchema>;

export const EtcdBackupResultSchema = z.object({
  backup: EtcdBackupSchema,
  folder: z.string(),
  /** Older snapshots removed to keep the last etcdBackupsKept. */
  removed: z.array(z.string()),
});
export type EtcdBackupResult = z.infer<typeof EtcdBackupResultSchema>;

/** One etcd member: its endpoint's health and status as etcdctl reports them. */
export const EtcdMemberStatusSchema = z.object({
  name: z.string(),
  endpoint: z.string(),
  healthy: z.boolean(),
  leader: z.boolean(),
  version: z.string().optional(),
  dbSizeBytes: z.number().int().nonnegative().optional(),
  /** Why the endpoint did not answer, when it did not. */
  error: z.string().optional(),
});
export type EtcdMemberStatus = z.infer<typeof EtcdMemberStatusSchema>;

/** One plan member after a restore: its etcd name and where its old data dir was moved (none when it had none). */
export const RestoredMemberSchema = z.object({
  host: z.string(),
  etcdName: z.string(),
  movedAside: z.string().optional(),
});
export type RestoredMember = z.infer<typeof RestoredMemberSchema>;

export const EtcdRestoreResultSchema = z.object({
  backup: EtcdBackupSchema,
  members: z.array(RestoredMemberSchema),
  /** etcd's own answer after the restart: member list, endpoint health and status. */
  health: z.array(EtcdMemberStatusSchema),
});
export type EtcdRestoreResult = z.infer<typeof EtcdRestoreResultSchema>;

/** How often the timer takes a snapshot: a whole number and m, h or d, such as 6h, 30m or 1d. */
export const EtcdTimerEverySchema = z
  .string()
  .regex(/^[1-9]\d{0,3}[mhd]$/, 'Write a whole number and m, h or d, such as 6h, 30m or 1d.');

const EtcdMemberSchema = EtcdBackupSchema.shape.member;

/** One snapshot the timer took, waiting on the member: its JSON record beside it, and its name there. */
export const EtcdTimerSnapshotSchema = z.object({
  /** The UTC time without - and :, the stem of NAME.db and NAME.json in the timer's folder. */
  name: z.string().regex(/^\d{8}T\d{6}\.\d{3}Z$/),
  takenAt: z.iso.datetime(),
  member: EtcdMemberSchema,
  sizeBytes: z.number().int().nonnegative(),
  sha256: EtcdBackupSchema.shape.sha256,
  status: SnapshotStatusSchema,
});
export type EtcdTimerSnapshot = z.infer<typeof EtcdTimerSnapshotSchema>;

/** The timer on an etcd member as the member reports it. */
export const EtcdTimerSchema = z.object({
  /** The host the timer runs on (or would): the deploy node when it is an etcd member, else the first member. */
  host: EtcdMemberSchema,
  /** null: no timer there. */
  every: EtcdTimerEverySchema.nullable(),
  /** How many snapshots the member keeps; null with no timer. */
  keep: z.number().int().positive().nullable(),
  /** systemd's Result of the snapshot service's last run (success, exit-code, …); null with no timer. */
  lastRun: z.string().nullable(),
  /** The snapshots waiting on the member, newest first. */
  snapshots: z.array(EtcdTimerSnapshotSchema),
});
export type EtcdTimer = z.infer<typeof EtcdTimerSchema>;

export const EtcdCollectResultSchema = z.object({
  timer: EtcdTimerSchema,
  /** The timer's snapshots copied to the stick now, newest first. */
  collected: z.array(EtcdBackupSchema),
  folder: z.string(),
  /** Older snapshots removed on the stick to keep the last etcdBackupsKept. */
  removed: z.array(z.string()),
});
export type EtcdCollectResult = z.infer<typeof EtcdCollectResultSchema>;

/** etcd snapshots of the cluster (spread into api.ts). */
export const etcdApiMethods = {
  /**
   * Takes a snapshot on an etcd member of the plan (the first, or `member`) over the deploy key's SSH session,
   * checks it, and copies it into the project's folder.
   */
  'etcd.backup': keySessionMethod(
    'backUpEtcd',
    { member: z.string().min(1).max(253).optional() },
    EtcdBackupResultSchema,
  ),
  /**
   * Restores the snapshot `backup` (its file name in the index) onto every etcd member of the plan. Refused, with
   * nothing changed, without `confirm` (every write after the snapshot is lost), when the snapshot fails its checks,
   * or when the running members are not the plan's unless `ignoreMemberMismatch`.
   */
  'etcd.restore': keySessionMethod(
    'restoreEtcd',
    {
      backup: EtcdBackupSchema.shape.file,
      confirm: z.boolean(),
      ignoreMemberMismatch: z.boolean().optional(),
    },
    EtcdRestoreResultSchema,
  ),
  /**
   * Installs (or, with `every` null, removes) a systemd timer and oneshot service on an etcd member that take a
   * checked snapshot every `every` and keep the last `keep` (default: etcdBackupsKept) there; answers the timer.
   */
  'etcd.schedule': keySessionMethod(
    'scheduleEtcdBackups',
    { every: EtcdTimerEverySchema.nullable(), keep: z.number().int().min(1).max(100).optional() },
    EtcdTimerSchema,
  ),
  /** Copies the timer's snapshots not yet on the stick into the project's folder, checked, and answers the timer. */
  'etcd.collect': keySessionMethod('collectEtcdBackups', {}, EtcdCollectResultSchema),
  'etcd.backups': {
    exposeAs: 'listEtcdBackups',
    params: z.strictObject({ projectId: ProjectIdSchema }),
    result: EtcdBackupListSchema,
  },
} as const;
