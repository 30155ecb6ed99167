import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface BundleTreeFile {
  /** Bundle-relative, "/"-separated. */
  path: string;
  size: number;
  mtimeMs: number;
  regular: boolean;
}

export const manifestFileName = 'manifest.json';
export const signatureFileName = 'manifest.json.sig';

/** Every entry under the bundle folder except the manifest and its signature, keyed by bundle-relative path. */
export async function readBundleTree(bundleDir: string): Promise<Map<string, BundleTreeFile>> {
  const files = new Map<string, BundleTreeFile>();
  const walk = async (relative: string): Promise<void> => {
    const entries = await readdir(join(bundleDir, relative), { withFileTypes: true });
    for (const entry of entries) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        await walk(path);
        continue;
      }
      if (!relative && (entry.name === manifestFileName || entry.name === signatureFileName)) continue;
      const info = await stat(join(bundleDir, path)).catch(() => undefined);
      files.set(path, {
        path,
        size: info?.size ?? 0,
        mtimeMs: info?.mtimeMs ?? 0,
        regular: entry.isFile() && info !== undefined,
      });
    }
  };
  await walk('');
  return files;
}
