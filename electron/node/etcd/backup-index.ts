import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseOrRefuse } from '../../common/describe-issue';
import { EtcdBackupIndexSchema, type EtcdBackup, type EtcdBackupIndex } from '../../common/etcd-api';
import { writeFileAtomic } from '../fs/write-file-atomic';
import { coreError } from '../i18n/format-core-message';

/** The project's snapshots live in this folder of its own folder in the data folder, beside their index. */
export const etcdBackupFolderName = 'etcd-backups';
export const backupIndexFileName = 'index.json';

export const etcdBackupFolder = (projectFolder: string) => join(projectFolder, etcdBackupFolderName);

/** A snapshot's file name: when (UTC, to the millisecond) and on which member, so names sort by time. */
export function snapshotFileName(takenAt: Date, member: string): string {
  const stamp = takenAt.toISOString().replace(/[-:]/g, '');
  return `${stamp}-${member.replace(/[^\w.-]/g, '-')}.db`;
}

/** The folder's index; an empty one when no snapshot was taken yet. */
export async function readBackupIndex(folder: string): Promise<EtcdBackupIndex> {
  const path = join(folder, backupIndexFileName);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, backups: [] };
    throw error;
  }
  return parseOrRefuse(EtcdBackupIndexSchema, safeJson(text), (detail) =>
    coreError('conflict', 'etcd.backup-index-unreadable', { path, detail }, 'index'),
  );
}

/** The JSON in `text`, or undefined when it is none (for a schema to refuse with its own words). */
export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The newest `kept` backups, and the rest, to remove. */
export function keepNewest(
  backups: readonly EtcdBackup[],
  kept: number,
): { kept: EtcdBackup[]; removed: EtcdBackup[] } {
  const newestFirst = [...backups].sort((a, b) => b.takenAt.localeCompare(a.takenAt));
  return { kept: newestFirst.slice(0, kept), removed: newestFirst.slice(kept) };
}

/**
 * Adds a backup to the index and removes the snapshots beyond the last `kept`. The index is written first: a crash
 * between the two leaves a file the index no longer names, never an entry without its file.
 */
export async function recordBackup(folder: string, backup: EtcdBackup, kept: number): Promise<EtcdBackup[]> {
  const index = await readBackupIndex(folder);
  const next = keepNewest([backup, ...index.backups], kept);
  await writeFileAtomic(
    join(folder, backupIndexFileName),
    `${JSON.stringify({ version: 1, backups: next.kept }, null, 2)}\n`,
  );
  for (const old of next.removed) await rm(join(folder, old.file), { force: true });
  return next.removed;
}
