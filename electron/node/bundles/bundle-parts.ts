import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BundleFileEntry } from '../../common/bundle-manifest';
import { sha256OfFile } from './file-digest';

export const partSuffix = (index: number) => `.part${String(index).padStart(3, '0')}`;

/** Reads a bundle file as one stream, joining its parts when it is stored split. */
export function openBundleFile(bundleDir: string, entry: Pick<BundleFileEntry, 'path' | 'parts'>): Readable {
  if (!entry.parts) return createReadStream(join(bundleDir, entry.path));
  const joined = new PassThrough();
  const parts = entry.parts;
  void (async () => {
    try {
      for (const part of parts) await pipeline(createReadStream(join(bundleDir, part.path)), joined, { end: false });
      joined.end();
    } catch (error) {
      joined.destroy(error as Error);
    }
  })();
  return joined;
}

/** Splits a file larger than `partBytes` into parts beside it and removes the whole; returns the parts' entries. */
export async function splitFile(
  bundleDir: string,
  path: string,
  size: number,
  partBytes: number,
): Promise<NonNullable<BundleFileEntry['parts']>> {
  const parts: NonNullable<BundleFileEntry['parts']> = [];
  for (let index = 0, start = 0; start < size; index += 1, start += partBytes) {
    const partPath = `${path}${partSuffix(index)}`;
    const end = Math.min(size, start + partBytes);
    await pipeline(
      createReadStream(join(bundleDir, path), { start, end: end - 1 }),
      createWriteStream(join(bundleDir, partPath)),
    );
    parts.push({ path: partPath, size: end - start, sha256: await sha256OfFile(join(bundleDir, partPath)) });
  }
  await rm(join(bundleDir, path));
  return parts;
}
