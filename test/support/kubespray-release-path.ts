import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The shared fixtures beside the checkout (`../shared/…` from the repository root), found from this file's own place.
 */
export const kubesprayReleaseFixtures = resolve(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'shared',
  'fixtures',
  'kubespray',
  'v2.23.3',
);

/** The real kubespray v2.23.3 release tarball (18 symbolic links inside). */
export const kubesprayReleaseTarball = join(kubesprayReleaseFixtures, 'kubespray-2.23.3.tar.gz');

/** kubespray's generate_list.sh output for v2.23.3, kept in the repository. */
export const kubesprayListsFixtures = resolve(import.meta.dirname, '..', 'fixtures', 'kubespray-2.23.3');

/**
 * The release tarball's path; throws naming it when it is not there, so a test that needs it fails rather than skips.
 */
export function requireKubesprayRelease(): string {
  if (!existsSync(kubesprayReleaseTarball)) {
    throw new Error(
      `The kubespray v2.23.3 release is missing at ${kubesprayReleaseTarball}: lay out the shared fixtures beside the checkout (../shared/fixtures/kubespray/v2.23.3/).`,
    );
  }
  return kubesprayReleaseTarball;
}
