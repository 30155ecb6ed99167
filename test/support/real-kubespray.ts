import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { openKubesprayRelease } from '../../electron/node/bundles/build/derive-kubespray-lists';

/** The real kubespray v2.23.3 release, beside the checkout (never committed): ../shared/fixtures/… from the repo root. */
export const realKubesprayTarball = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures', 'kubespray', 'v2.23.3', 'kubespray-2.23.3.tar.gz');

/** The release unpacked into a temp folder; fails naming the tarball's path when it is not there. */
export async function openRealKubespray(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  if (!(await stat(realKubesprayTarball).catch(() => undefined))?.isFile()) {
    throw new Error(`The kubespray release tarball is missing at ${realKubesprayTarball} (../shared/fixtures/kubespray/v2.23.3/ from the repository root).`);
  }
  return openKubesprayRelease(realKubesprayTarball);
}

export const preinstallVars = (releaseDir: string, file: string) => join(releaseDir, 'roles/kubernetes/preinstall', file);
