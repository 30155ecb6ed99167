import { useIntl } from 'react-intl';
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
        <WindowBoundary />
      </I18nProvider>
    </AirsprayStoreProvider>
  );
}

function WindowBoundary() {
  const intl = useIntl();
  return (
    <RenderErrorBoundary
      where={intl.formatMessage({ id: 'frame.window.where' })}
      hint={intl.formatMessage({ id: 'frame.window.failedHint' })}
    >
      <App />
    </RenderErrorBoundary>
  );
}
