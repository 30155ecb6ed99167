import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';

/** Temp files share this marker so readers can skip them and a later start can clean them up. */
export const tempFileMarker = '.tmp-';

/**
 * Writes a file so that a crash at any instant leaves either the old or the new content:
 * temp file in the same folder, fsync, rename over the target, fsync the folder.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  await writeAtomically(path, (tempPath) => writeFile(tempPath, data, { flag: 'wx', mode }));
}

/** The same for content streamed into the file (a report larger than memory should hold). */
export async function streamFileAtomic(
  path: string,
  mode: number,
  fill: (sink: Writable) => Promise<void>,
): Promise<void> {
  await writeAtomically(path, (tempPath) => fill(createWriteStream(tempPath, { flags: 'wx', mode })));
}

async function writeAtomically(path: string, fill: (tempPath: string) => Promise<void>): Promise<void> {
  const folder = dirname(path);
  const tempPath = join(folder, `${basename(path)}${tempFileMarker}${process.pid}-${randomBytes(6).toString('hex')}`);
  try {
    await fill(tempPath);
    await syncFile(tempPath);
    await rename(tempPath, path);
  } catch (error) {
    await rm(tempPath, { force: true });
    throw error;
  }
  await syncFolder(folder);
}

async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes the rename itself durable; Windows cannot open folders, and NTFS journals the rename. */
async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
