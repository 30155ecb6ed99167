import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundle } from '../../electron/node/bundles/build/build-bundle';
import { openKubesprayRelease } from '../../electron/node/bundles/build/derive-kubespray-lists';
import { osPackagesStep } from '../../electron/node/bundles/build/os-packages-step';
import { generateSigningKey } from '../../electron/node/bundles/bundle-signing';
import { requireKubesprayRelease } from './kubespray-release-path';

/** The real release unpacked into a temp folder; fails naming the tarball's path when it is not there. */
export function openRealKubespray(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  return openKubesprayRelease(requireKubesprayRelease());
}

export const preinstallVars = (releaseDir: string, file: string) => join(releaseDir, 'roles/kubernetes/preinstall', file);

/** Kept between runs, as a build machine keeps it: the .debs come from the Debian mirror once per machine. */
export const aptTestCache = join(tmpdir(), 'airspray-test-apt-cache');

/** A signed bundle holding only repos/debian-12, built from the release as `bundle build --os debian-12` builds it. */
export function buildDebianBundle(outDir: string, releaseDir: string, bundleId: string): ReturnType<typeof buildBundle> {
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
