// The real window over a scripted API, for a browser test that breaks a step or the frame with bad data: product code
// keeps no test hooks, so the test reaches the store through `window.harnessStore`.
import '../../../renderer/zod-config';
import '../../../renderer/styles/theme.css';
import '../../../renderer/styles/base.css';
import '../../../renderer/styles/components.css';
import { createRoot } from 'react-dom/client';
import { AppRoot } from '../../../renderer/frame/app-root';
import { createAirsprayStore, type AirsprayStore } from '../../../renderer/store/create-airspray-store';
import { ScriptedApi } from '../../unit/renderer/scripted-api';

declare global {
  interface Window {
    harnessStore: AirsprayStore;
  }
}

window.harnessStore = createAirsprayStore(new ScriptedApi());
createRoot(document.getElementById('root')!).render(<AppRoot store={window.harnessStore} />);
