import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EtcdBackup } from '../../electron/common/etcd-api';
import { recordBackup } from '../../electron/node/etcd/backup-index';

/** Writes `bytes` as a stored etcd backup in `folder` and records it in the folder's index, as a backup would. */
export async function storeBackup(
  folder: string,
  bytes: Buffer,
  backup: Pick<EtcdBackup, 'file' | 'takenAt' | 'member' | 'revision'>,
): Promise<EtcdBackup> {
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, backup.file), bytes);
  const stored: EtcdBackup = {
    ...backup,
    sizeBytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    totalKeys: 56,
    etcdHash: 7,
  };
  await recordBackup(folder, stored, 5);
  return stored;
}
