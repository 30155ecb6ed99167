import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { BundleManifest } from '../../electron/common/bundle-manifest';
import type { ClusterPlan } from '../../electron/common/cluster-plan';
import { buildBundle } from '../../electron/node/bundles/build/build-bundle';
import { openKubesprayRelease } from '../../electron/node/bundles/build/derive-kubespray-lists';
import { osPackagesStep } from '../../electron/node/bundles/build/os-packages-step';
import { generateSigningKey } from '../../electron/node/bundles/bundle-signing';
import { renderDownloadSet } from '../../electron/node/inventory/download-set';
import { requireKubesprayRelease } from './kubespray-release-path';

/** The real release unpacked into a temp folder; fails naming the tarball's path when it is not there. */
export function openRealKubespray(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  return openKubesprayRelease(requireKubesprayRelease());
}

export const preinstallVars = (releaseDir: string, file: string) =>
  join(releaseDir, 'roles/kubernetes/preinstall', file);

/** Kept between runs, as a build machine keeps it: the .debs come from the Debian mirror once per machine. */
export const aptTestCache = join(tmpdir(), 'airspray-test-apt-cache');

/** A signed bundle holding only repos/debian-12, built from the release as `bundle build --os debian-12` builds it. */
export function buildDebianBundle(
  outDir: string,
  releaseDir: string,
  bundleId: string,
): ReturnType<typeof buildBundle> {
  const debian12 = { id: 'debian', version: '12' };
  return buildBundle({
    outDir,
    bundleId,
    kubespray: { version: '2.23.3' },
    kubernetesVersions: ['1.27.10'],
    architectures: ['amd64'],
    operatingSystems: [debian12],
    files: [],
    images: [],
    steps: [osPackagesStep({ releaseDir, os: debian12, architectures: ['amd64'], cacheDir: aptTestCache })],
    privateKeyPem: generateSigningKey().privateKeyPem,
  });
}

/**
 * The `-e` values that make kubespray accept the bundle's stand-in files: for every file of the plan's download set,
 * its `downloads` entry's checksum variable (kubeadm_binary_checksum…) set to the stand-in's sha256. Lab only: a
 * real bundle holds the real files, whose checksums are kubespray's own.
 */
export async function standInChecksums(
  releaseDir: string,
  plan: ClusterPlan,
  manifest: BundleManifest,
): Promise<Record<string, string>> {
  const defaults = parse(await readFile(join(releaseDir, 'roles/download/defaults/main/main.yml'), 'utf8'), {
    schema: 'failsafe',
  }) as {
    downloads: Record<string, { sha256?: string }>;
  };
  const set = await renderDownloadSet(releaseDir, plan, ['amd64']);
  const checksums: Record<string, string> = {};
  for (const item of set.items.filter((candidate) => candidate.kind === 'file')) {
    const variable = /\b([a-z_]+_checksum)\b/.exec(defaults.downloads[item.key]?.sha256 ?? '')?.[1];
    const served = `files/${item.reference.slice(set.filesRepo.length + 1)}`;
    const file = manifest.files.find((candidate) => candidate.path === served);
    if (!variable || !file)
      throw new Error(`No checksum variable or bundle file for download ${item.key} (${item.reference})`);
    checksums[variable] = file.sha256;
  }
  return checksums;
}
