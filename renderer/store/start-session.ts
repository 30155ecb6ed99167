import type { AirsprayState } from './airspray-state';
import type { AirsprayStore } from './create-airspray-store';

/**
 * Wires a store to its transport: mirrors the connection, follows `projects.changed`, and loads app info,
 * projects and bundles each time the connection opens (again after a reconnect). Returns the teardown.
 */
export function startSession(store: AirsprayStore): () => void {
  const stopConnection = store.getState().watchConnection();
  const stopProjects = store.getState().watchProjects();
  const stopVerifications = store.getState().watchBundleVerifications();
  const stopDiscovery = store.getState().watchDiscovery();
  const stopAccess = store.getState().watchAccess();
  const stopRuns = store.getState().watchRuns();
  const stopPush = store.getState().watchBundlePush();
  const stopHarborPush = store.getState().watchHarborPush();
  let wasOpen = false;
  const loadOnOpen = (state: AirsprayState) => {
    const opened = state.connection.status === 'open' && !wasOpen;
    // Recorded before loading: the loads set state synchronously, which calls this listener again.
    wasOpen = state.connection.status === 'open';
    if (opened) {
      void state.loadAppInfo();
      void state.loadSavedLocale();
      void state.loadProjects();
      void state.loadBundles();
      void state.loadBundleVerifications();
      void state.loadTargetSuggestions();
      void state.loadCredentials();
    }
  };
  const stopLoading = store.subscribe(loadOnOpen);
  loadOnOpen(store.getState());
  return () => {
    stopLoading();
    stopProjects();
    stopVerifications();
    stopDiscovery();
    stopAccess();
    stopRuns();
    stopPush();
    stopHarborPush();
    stopConnection();
  };
}
