import type { ChosenBundle } from '../../common/cluster-plan';
import { joinValues } from '../../common/core-messages';
import { findBundles, type BundleLocation } from '../bundles/find-bundles';
import { describeChosenBundle } from '../inventory/inventory-service';
import { coreError } from '../i18n/format-core-message';

/** The bundle named by its manifest's bundleId (or its folder's name), among those `bundles.list` finds. */
export async function chosenBundleById(locations: readonly BundleLocation[], id: string): Promise<ChosenBundle> {
  const { bundles, searchedFolders } = await findBundles(locations);
  const matches = bundles.filter(
    (bundle) =>
      (bundle.manifest.state === 'readable' && bundle.manifest.header.bundleId === id) || bundle.folderName === id,
  );
  if (matches.length === 0) {
    const known = bundles.flatMap((bundle) =>
      bundle.manifest.state === 'readable' ? [bundle.manifest.header.bundleId] : [],
    );
    const searched = joinValues(searchedFolders.map((folder) => folder.path));
    throw coreError(
      'not_found',
      'project.bundle-not-found',
      { id, searched, knownCount: known.length, known: joinValues(known) },
      'bundle',
    );
  }
  if (matches.length > 1) {
    throw coreError(
      'conflict',
      'project.bundle-ambiguous',
      { id, count: matches.length, paths: joinValues(matches.map((bundle) => bundle.path)) },
      'bundle',
    );
  }
  return describeChosenBundle(locations, matches[0]!.path);
}
