import type { AirsprayStore } from '../store/create-airspray-store';

/** Puts the theme preference on <html data-theme>; the CSS resolves 'system' through color-scheme. */
export function applyDocumentTheme(store: AirsprayStore): () => void {
  const apply = () => {
    document.documentElement.dataset.theme = store.getState().theme;
  };
  apply();
  return store.subscribe((state, previous) => {
    if (state.theme !== previous.theme) apply();
  });
}
