import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BundleManifest } from '../../electron/common/bundle-manifest';
import { buildBundle, copyFolderStep } from '../../electron/node/bundles/build/build-bundle';
import { openKubesprayRelease } from '../../electron/node/bundles/build/derive-kubespray-lists';

/** The published kubespray v2.23.3 tarball, reached relative to the checkout (../shared/fixtures). */
export function realReleaseTarball(): string {
  const path = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures/kubespray/v2.23.3/kubespray-2.23.3.tar.gz');
  if (!existsSync(path)) throw new Error(`The kubespray v2.23.3 release tarball is missing at ${path} (../shared/fixtures from the repository root).`);
  return path;
}

/** Builds a bundle holding only a release folder (no downloads, no images): fast and offline. */
export const buildFromReleaseFolder = (releaseDir: string, outDir: string, privateKeyPem: string) =>
  buildBundle({
    outDir,
    bundleId: 'links-test',
    kubespray: { version: '2.23.3' },
    kubernetesVersions: ['1.27.10'],
    architectures: ['amd64'],
    operatingSystems: [],
    files: [],
    images: [],
    steps: [copyFolderStep('kubespray', releaseDir, 'kubespray')],
    privateKeyPem,
  });

/** The release as published (tarball or folder), opened as the CLI opens it. */
export async function buildReleaseBundle(source: string, outDir: string, privateKeyPem: string): Promise<BundleManifest> {
  const release = await openKubesprayRelease(source);
  try {
    return (await buildFromReleaseFolder(release.dir, outDir, privateKeyPem)).manifest;
  } finally {
    await release.cleanup();
  }
}
