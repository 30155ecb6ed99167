import { createContext, use, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { AirsprayState } from './airspray-state';
import type { AirsprayStore } from './create-airspray-store';

const StoreContext = createContext<AirsprayStore | null>(null);

export function AirsprayStoreProvider({ store, children }: { store: AirsprayStore; children: ReactNode }) {
  return <StoreContext value={store}>{children}</StoreContext>;
}

/** Reads the store through a selector; wrap selectors that build objects in `useShallow`. */
export function useAirspray<T>(selector: (state: AirsprayState) => T): T {
  const store = use(StoreContext);
  if (!store) throw new Error('useAirspray needs an AirsprayStoreProvider above it.');
  return useStore(store, selector);
}

/**
 * Several entries of the store under their own names (actions, mostly); renders again only when one of them changes.
 */
export function useAirsprayPick<K extends keyof AirsprayState>(...keys: K[]): Pick<AirsprayState, K> {
  return useAirspray(
    useShallow((state) => Object.fromEntries(keys.map((key) => [key, state[key]])) as Pick<AirsprayState, K>),
  );
}
