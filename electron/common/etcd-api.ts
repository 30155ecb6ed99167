import { z } from 'zod';
import { KeySessionCall } from './cluster-api';
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
  member: z.object({ name: z.string(), address: z.string() }),
  sizeBytes: z.number().int().nonnegative(),
  /** sha256 of the file, computed on this side while it arrived and equal to the member's sha256sum. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  revision: z.number().int().nonnegative(),
  totalKeys: z.number().int().nonnegative(),
  etcdHash: z.number().int().nonnegative(),
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

/** etcd snapshots of the cluster (spread into api.ts). */
export const etcdApiMethods = {
  'etcd.backup': {
    exposeAs: 'backUpEtcd',
    /**
     * Takes a snapshot on an etcd member of the plan (the first, or `member`) over the deploy key's SSH session,
     * checks it, and copies it into the project's folder.
     */
    params: z.strictObject({ ...KeySessionCall, member: z.string().min(1).max(253).optional() }),
    result: EtcdBackupResultSchema,
  },
  'etcd.backups': {
    exposeAs: 'listEtcdBackups',
    params: z.strictObject({ projectId: ProjectIdSchema }),
    result: EtcdBackupListSchema,
  },
} as const;
