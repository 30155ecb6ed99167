import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Writes a bundle folder whose manifest header follows the format the app lists; the content files come with the bundle
 * capability.
 */
export async function writeBundleFolder(
  parent: string,
  folderName: string,
  header: { bundleId: string; kubesprayVersion: string; kubernetesVersions: string[] },
  options: { signed?: boolean } = {},
): Promise<string> {
  const folder = join(parent, folderName);
  await mkdir(folder, { recursive: true });
  const manifest = {
    formatVersion: 1,
    bundleId: header.bundleId,
    createdAt: '2026-11-01T12:00:00.000Z',
    kubespray: { version: header.kubesprayVersion },
    kubernetesVersions: header.kubernetesVersions,
  };
  await writeFile(join(folder, 'manifest.json'), JSON.stringify(manifest, null, 2));
  if (options.signed) await writeFile(join(folder, 'manifest.json.sig'), Buffer.alloc(64));
  return folder;
}
