import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Client, SFTPWrapper } from 'ssh2';
import { streamFileAtomic } from '../fs/write-file-atomic';
import { coreError } from '../i18n/format-core-message';

function openSftp(client: Client): Promise<SFTPWrapper> {
  return new Promise((resolve, reject) => client.sftp((error, sftp) => (error ? reject(error) : resolve(sftp))));
}

/**
 * Copies a remote file over SFTP into `localPath` (mode 0600, written atomically: a cut transfer leaves nothing),
 * hashing the bytes as they arrive; the local disk filling up is named with its fix.
 */
export async function fetchFile(
  client: Client,
  remotePath: string,
  localPath: string,
): Promise<{ sha256: string; sizeBytes: number }> {
  const sftp = await openSftp(client);
  const hash = createHash('sha256');
  let sizeBytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      sizeBytes += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await streamFileAtomic(localPath, 0o600, (sink) => pipeline(sftp.createReadStream(remotePath), counter, sink));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOSPC')
      throw coreError('conflict', 'etcd.data-disk-full', { path: localPath }, 'dataDir');
    throw error;
  } finally {
    sftp.end();
  }
  return { sha256: hash.digest('hex'), sizeBytes };
}

/** Copies a local file over SFTP to `remotePath` (mode 0600), in the login's own folder. */
export async function sendFile(client: Client, localPath: string, remotePath: string): Promise<void> {
  const sftp = await openSftp(client);
  try {
    await pipeline(createReadStream(localPath), sftp.createWriteStream(remotePath, { mode: 0o600 }));
  } finally {
    sftp.end();
  }
}
