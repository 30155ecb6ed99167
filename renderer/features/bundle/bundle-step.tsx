import { useShallow } from 'zustand/react/shallow';
import { useAirspray } from '../../store/store-context';
import { AlertIcon, RefreshIcon } from '../../ui/icons';
import { BundleCard } from './bundle-card';
import { NoBundlesFound } from './no-bundles-found';
import { SearchedFolders } from './searched-folders';
import './bundle.css';

/** Lists the offline bundles the app found beside it, in its data folder, or where an option pointed. */
export function BundleStep() {
  const { search, status, error } = useAirspray(
    useShallow((state) => ({ search: state.bundleSearch, status: state.bundlesStatus, error: state.bundlesError })),
  );
  const loadBundles = useAirspray((state) => state.loadBundles);
  const loading = status === 'loading';

  return (
    <div className="bundle-step">
      <p className="lead">
        A bundle holds everything an offline install needs: kubespray, the Kubernetes binaries, container images and
        packages. Airspray looks for bundle folders in the places below.
      </p>

      <div className="toolbar">
        <button type="button" className="btn" onClick={() => void loadBundles()} aria-describedby="bundles-status">
          <RefreshIcon className={loading ? 'spin' : undefined} />
          Refresh
        </button>
        <p id="bundles-status" className="toolbar__status" role="status">
          {loading ? 'Searching for bundles…' : search ? bundleCountText(search.bundles.length) : ''}
        </p>
      </div>

      {error && (
        <div className="callout callout--danger" role="alert">
          <AlertIcon />
          <div>
            <p className="callout__title">The bundle search failed</p>
            <p>{error}</p>
          </div>
        </div>
      )}

      {search && (
        <>
          <section aria-labelledby="bundles-found-title">
            <h2 id="bundles-found-title" className="section-title">
              Bundles found
            </h2>
            {search.bundles.length === 0 ? (
              <NoBundlesFound folders={search.searchedFolders} />
            ) : (
              <>
                <ul className="bundle-list" aria-label="Bundles found">
                  {search.bundles.map((bundle) => (
                    <BundleCard key={bundle.path} bundle={bundle} />
                  ))}
                </ul>
                <p className="muted small">
                  Verify checks the publisher's signature first, then every file against the signed manifest. Deploy
                  uses only a fully verified bundle.
                </p>
              </>
            )}
          </section>
          <SearchedFolders folders={search.searchedFolders} />
        </>
      )}
    </div>
  );
}

function bundleCountText(count: number): string {
  if (count === 0) return 'No bundles found.';
  return count === 1 ? '1 bundle found.' : `${count} bundles found.`;
}
