import { devtools } from 'zustand/middleware';
import { createStore, type Mutate, type StoreApi } from 'zustand/vanilla';
import type { Api } from '../../electron/common/api';
import { alwaysOpenConnection, type ConnectionSource } from '../api/connection-state';
import type { KeyValueStorage } from '../storage/key-value-storage';
import { createAccessSlice } from './access-slice';
import { apiSlices } from './api-slices';
import { createAddNodesSlice } from './add-nodes-slice';
import type { AirsprayState } from './airspray-state';
import { createBundleVerificationSlice } from './bundle-verification-slice';
import { createBundlesSlice } from './bundles-slice';
import { createCertsSlice } from './certs-slice';
import { createClusterAccessSlice } from './cluster-access-slice';
import { createDeployPrepSlice } from './deploy-prep-slice';
import { createEtcdSlice } from './etcd-slice';
import { createNodeLifecycleSlice } from './node-lifecycle-slice';
import { createUpgradeSlice } from './upgrade-slice';
import { createHealthSlice } from './health-slice';
import { createConnectionSlice } from './connection-slice';
import { createDiscoverySlice } from './discovery-slice';
import { createHarborDeploySlice } from './harbor-deploy-slice';
import { createLocaleSlice } from './locale-slice';
import { createPlanSlice } from './plan-slice';
import { createProjectsSlice } from './projects-slice';
import { createRunsSlice } from './runs-slice';
import { createSessionSlice } from './session-slice';
import { createThemeSlice } from './theme-slice';
import { createWizardSlice } from './wizard-slice';

export type AirsprayStore = Mutate<StoreApi<AirsprayState>, [['zustand/devtools', never]]>;

export interface AirsprayStoreOptions {
  /** Where the theme and language are remembered (localStorage in the app); null remembers nothing. */
  storage?: KeyValueStorage | null;
  /** The browser's or OS's languages in preference order (navigator.languages): the first language's default. */
  languages?: readonly string[];
  /** Connect the Redux DevTools extension, in development builds. */
  devtools?: boolean;
}

/** Builds the store against any Api; a transport's own `connection` is used when it has one. */
export function createAirsprayStore(
  api: Api & { readonly connection?: ConnectionSource },
  options: AirsprayStoreOptions = {},
): AirsprayStore {
  const connection = api.connection ?? alwaysOpenConnection;
  return createStore<AirsprayState>()(
    devtools(
      (...a) => ({
        ...createSessionSlice(...a),
        ...createConnectionSlice(api, connection)(...a),
        ...createWizardSlice(...a),
        ...createThemeSlice(options.storage ?? null)(...a),
        ...createLocaleSlice(api, options.storage ?? null, options.languages ?? [])(...a),
        // Bundles and projects, then the wizard's steps, Deploy, and Operate (reading the cluster, then changing it).
        ...apiSlices(api, [createBundlesSlice, createBundleVerificationSlice, createProjectsSlice])(...a),
        ...apiSlices(api, [createPlanSlice, createDiscoverySlice, createAccessSlice])(...a),
        ...apiSlices(api, [createRunsSlice, createDeployPrepSlice, createHarborDeploySlice])(...a),
        ...apiSlices(api, [createClusterAccessSlice, createCertsSlice, createEtcdSlice, createHealthSlice])(...a),
        ...apiSlices(api, [createAddNodesSlice, createNodeLifecycleSlice, createUpgradeSlice])(...a),
      }),
      { name: 'Airspray', enabled: options.devtools ?? false },
    ),
  );
}
