import { devtools } from 'zustand/middleware';
import { createStore, type Mutate, type StoreApi } from 'zustand/vanilla';
import type { Api } from '../../electron/common/api';
import { alwaysOpenConnection, type ConnectionSource } from '../api/connection-state';
import type { KeyValueStorage } from '../storage/key-value-storage';
import { createAccessSlice } from './access-slice';
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
        ...createBundlesSlice(api)(...a),
        ...createBundleVerificationSlice(api)(...a),
        ...createProjectsSlice(api)(...a),
        ...createThemeSlice(options.storage ?? null)(...a),
        ...createLocaleSlice(api, options.storage ?? null, options.languages ?? [])(...a),
        ...createPlanSlice(api)(...a),
        ...createDiscoverySlice(api)(...a),
        ...createAccessSlice(api)(...a),
        ...createRunsSlice(api)(...a),
        ...createDeployPrepSlice(api)(...a),
        ...createClusterAccessSlice(api)(...a),
        ...createCertsSlice(api)(...a),
        ...createEtcdSlice(api)(...a),
        ...createHealthSlice(api)(...a),
        ...createHarborDeploySlice(api)(...a),
        ...createAddNodesSlice(api)(...a),
        ...createNodeLifecycleSlice(api)(...a),
        ...createUpgradeSlice(api)(...a),
      }),
      { name: 'Airspray', enabled: options.devtools ?? false },
    ),
  );
}
