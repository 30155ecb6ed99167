import { I18nProvider } from '../i18n/i18n-provider';
import { AirsprayStoreProvider } from '../store/store-context';
import type { AirsprayStore } from '../store/create-airspray-store';
import { RenderErrorBoundary } from '../ui/render-error-boundary';
import { App } from './app';

/**
 * The window: the store for everything below, and a last catch so a frame that fails to render is never a white page.
 */
export function AppRoot({ store }: { store: AirsprayStore }) {
  return (
    <AirsprayStoreProvider store={store}>
      <I18nProvider>
        <RenderErrorBoundary
          where="The Airspray window"
          hint="Try again or reload the page (your projects are saved); copy the details for a bug report."
        >
          <App />
        </RenderErrorBoundary>
      </I18nProvider>
    </AirsprayStoreProvider>
  );
}
