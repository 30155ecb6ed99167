import type { Api } from '../../electron/common/api';
import type { BundleSearchResult } from '../../electron/common/bundle';
import type { AsyncStatus, SliceCreator } from './airspray-state';
import { describeError } from '../api/describe-error';

export interface BundlesSlice {
  /** The last successful search; kept while a refresh runs or fails. */
  bundleSearch: BundleSearchResult | null;
  bundlesStatus: AsyncStatus;
  bundlesError: string | null;
  loadBundles(): Promise<void>;
}

export function createBundlesSlice(api: Api): SliceCreator<BundlesSlice> {
  return (set, get) => {
    // Only the newest request may write, so a slow earlier answer cannot overwrite a later one.
    let latestRequest = 0;
    return {
      bundleSearch: null,
      bundlesStatus: 'idle',
      bundlesError: null,
      loadBundles: async () => {
        const request = ++latestRequest;
        set({ bundlesStatus: 'loading', bundlesError: null }, false, 'bundles/load');
        try {
          const bundleSearch = await api.call('bundles.list', {});
          if (request === latestRequest) set({ bundleSearch, bundlesStatus: 'loaded' }, false, 'bundles/loaded');
        } catch (error) {
          if (request !== latestRequest) return;
          set({ bundlesStatus: 'error', bundlesError: describeError(error, get().locale) }, false, 'bundles/failed');
        }
      },
    };
  };
}
