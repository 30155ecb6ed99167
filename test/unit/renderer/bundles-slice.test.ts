import { describe, expect, it } from 'vitest';
import type { BundleSearchResult } from '../../../electron/common/bundle';
import { ApiCallError } from '../../../renderer/api/api-call-error';
import { createAirsprayStore } from '../../../renderer/store/create-airspray-store';
import { ScriptedApi } from './scripted-api';

const oneBundle: BundleSearchResult = {
  searchedFolders: [{ path: '/media/stick/bundles', source: 'stick', exists: true }],
  bundles: [
    {
      path: '/media/stick/bundles/kubespray-2.23.3-k8s-1.27.10',
      folderName: 'kubespray-2.23.3-k8s-1.27.10',
      source: 'stick',
      hasSignature: true,
      manifest: {
        state: 'readable',
        header: {
          formatVersion: 1,
          bundleId: 'kubespray-2.23.3-k8s-1.27.10',
          createdAt: '2025-11-01T00:00:00.000Z',
          kubespray: { version: '2.23.3' },
          kubernetesVersions: ['1.27.10'],
        },
      },
    },
  ],
};

describe('bundles slice', () => {
  it('goes loading → loaded with the search result', async () => {
    const api = new ScriptedApi().on('bundles.list', () => oneBundle);
    const store = createAirsprayStore(api);
    const loading = store.getState().loadBundles();
    expect(store.getState().bundlesStatus).toBe('loading');
    await loading;
    expect(store.getState().bundlesStatus).toBe('loaded');
    expect(store.getState().bundleSearch).toEqual(oneBundle);
    expect(store.getState().bundlesError).toBeNull();
  });

  it('shows the error and keeps the last result when a refresh fails', async () => {
    let fail = false;
    const api = new ScriptedApi().on('bundles.list', () => {
      if (fail) throw new ApiCallError('disconnected', 'Not connected to the app.');
      return oneBundle;
    });
    const store = createAirsprayStore(api);
    await store.getState().loadBundles();
    fail = true;
    await store.getState().loadBundles();

    expect(store.getState().bundlesStatus).toBe('error');
    expect(store.getState().bundlesError).toBe('Not connected to the app.');
    expect(store.getState().bundleSearch).toEqual(oneBundle);

    fail = false;
    await store.getState().loadBundles();
    expect(store.getState().bundlesStatus).toBe('loaded');
    expect(store.getState().bundlesError).toBeNull();
  });

  it('lets the newest request win when answers arrive out of order', async () => {
    const answers: ((result: BundleSearchResult) => void)[] = [];
    const api = new ScriptedApi().on(
      'bundles.list',
      () => new Promise<BundleSearchResult>((resolve) => answers.push(resolve)),
    );
    const store = createAirsprayStore(api);
    const first = store.getState().loadBundles();
    const second = store.getState().loadBundles();
    const empty: BundleSearchResult = { searchedFolders: [], bundles: [] };

    answers[1]?.(empty);
    await second;
    answers[0]?.(oneBundle);
    await first;

    expect(store.getState().bundleSearch).toEqual(empty);
    expect(store.getState().bundlesStatus).toBe('loaded');
  });
});
