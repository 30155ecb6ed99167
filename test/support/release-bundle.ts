import type { BundleManifest } from '../../electron/common/bundle-manifest';
import { buildBundle, copyFolderStep } from '../../electron/node/bundles/build/build-bundle';
import { openKubesprayRelease } from '../../electron/node/bundles/build/derive-kubespray-lists';

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
export async function buildReleaseBundle(
  source: string,
  outDir: string,
  privateKeyPem: string,
): Promise<BundleManifest> {
  const release = await openKubesprayRelease(source);
  try {
    return (await buildFromReleaseFolder(release.dir, outDir, privateKeyPem)).manifest;
  } finally {
    await release.cleanup();
  }
}
