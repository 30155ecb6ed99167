import { FormattedMessage, useIntl } from 'react-intl';
import { useShallow } from 'zustand/react/shallow';
import { useAirspray } from '../../store/store-context';
import { RefreshIcon } from '../../ui/icons';
import { BundleCard } from './bundle-card';
import { NoBundlesFound } from './no-bundles-found';
import { SearchedFolders } from './searched-folders';
import { Callout } from '../../ui/callout';
import './bundle.css';
import { Note } from '../../ui/note';

/** Lists the offline bundles the app found beside it, in its data folder, or where an option pointed. */
export function BundleStep() {
  const intl = useIntl();
  const { search, status, error } = useAirspray(
    useShallow((state) => ({ search: state.bundleSearch, status: state.bundlesStatus, error: state.bundlesError })),
  );
  const loadBundles = useAirspray((state) => state.loadBundles);
  const loading = status === 'loading';

  return (
    <div className="bundle-step">
      <p className="lead">
        <FormattedMessage id="bundle.lead" />
      </p>

      <div className="toolbar">
        <button type="button" className="btn" onClick={() => void loadBundles()} aria-describedby="bundles-status">
          <RefreshIcon className={loading ? 'spin' : undefined} />
          <FormattedMessage id="bundle.refresh" />
        </button>
        <p id="bundles-status" className="toolbar__status" role="status">
          {loading
            ? intl.formatMessage({ id: 'bundle.searching' })
            : search
              ? intl.formatMessage({ id: 'bundle.count' }, { count: search.bundles.length })
              : null}
        </p>
      </div>

      {error && (
        <Callout tone="danger" role="alert" title={<FormattedMessage id="bundle.searchFailed" />}>
          <p>{error}</p>
        </Callout>
      )}

      {search && (
        <>
          <section aria-labelledby="bundles-found-title">
            <h2 id="bundles-found-title" className="section-title">
              <FormattedMessage id="bundle.found" />
            </h2>
            {search.bundles.length === 0 ? (
              <NoBundlesFound folders={search.searchedFolders} />
            ) : (
              <>
                <ul className="bundle-list" aria-label={intl.formatMessage({ id: 'bundle.found' })}>
                  {search.bundles.map((bundle) => (
                    <BundleCard key={bundle.path} bundle={bundle} />
                  ))}
                </ul>
                <Note id="bundle.verifyExplained" small />
              </>
            )}
          </section>
          <SearchedFolders folders={search.searchedFolders} />
        </>
      )}
    </div>
  );
}
