// The real frame over a scripted API, for a browser test that breaks one step with bad data: product code keeps no
// test hooks, so the test reaches the store through `window.harnessStore`.
import '../../../renderer/zod-config';
import '../../../renderer/styles/theme.css';
import '../../../renderer/styles/base.css';
import '../../../renderer/styles/components.css';
import { createRoot } from 'react-dom/client';
import { App } from '../../../renderer/frame/app';
import { createAirsprayStore, type AirsprayStore } from '../../../renderer/store/create-airspray-store';
import { AirsprayStoreProvider } from '../../../renderer/store/store-context';
import { ScriptedApi } from '../../unit/renderer/scripted-api';

declare global {
  interface Window {
    harnessStore: AirsprayStore;
  }
}

window.harnessStore = createAirsprayStore(new ScriptedApi());
createRoot(document.getElementById('root')!).render(
  <AirsprayStoreProvider store={window.harnessStore}>
    <App />
  </AirsprayStoreProvider>,
);
