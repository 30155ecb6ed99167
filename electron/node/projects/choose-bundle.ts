import type { ChosenBundle } from '../../common/cluster-plan';
import { AirsprayError } from '../../common/errors';
import { findBundles, type BundleLocation } from '../bundles/find-bundles';
import { describeChosenBundle } from '../inventory/inventory-service';

/** The bundle named by its manifest's bundleId (or its folder's name), among those `bundles.list` finds. */
export async function chosenBundleById(locations: readonly BundleLocation[], id: string): Promise<ChosenBundle> {
  const { bundles, searchedFolders } = await findBundles(locations);
  const matches = bundles.filter(
    (bundle) =>
      (bundle.manifest.state === 'readable' && bundle.manifest.header.bundleId === id) || bundle.folderName === id,
  );
  if (matches.length === 0) {
    const known =
      bundles
        .flatMap((bundle) => (bundle.manifest.state === 'readable' ? [bundle.manifest.header.bundleId] : []))
        .join(', ') || 'none';
    const searched = searchedFolders.map((folder) => folder.path).join(', ');
    throw new AirsprayError(
      'not_found',
      `No bundle "${id}" in ${searched} (bundles found: ${known}): give one of those, or point --bundles-dir at the folder holding it.`,
      'bundle',
    );
  }
  if (matches.length > 1) {
    throw new AirsprayError(
      'conflict',
      `"${id}" names ${matches.length} bundles (${matches.map((bundle) => bundle.path).join(', ')}): keep one copy, or name it by its folder.`,
      'bundle',
    );
  }
  return describeChosenBundle(locations, matches[0]!.path);
}
