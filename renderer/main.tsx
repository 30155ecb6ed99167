import './zod-config';
// Shared styles first, so feature styles imported by components come later and win ties.
import './styles/theme.css';
import './styles/base.css';
import './styles/components.css';
// Chinese glyphs for machines without a CJK font; split by unicode-range, so a page loads only what it shows.
import '@fontsource/noto-sans-sc/400.css';
import '@fontsource/noto-sans-sc/600.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApi } from './api/create-api';
import { AppRoot } from './frame/app-root';
import { applyDocumentTheme } from './frame/apply-document-theme';
import { browserLocalStorage } from './storage/browser-storage';
import { createAirsprayStore } from './store/create-airspray-store';
import { startSession } from './store/start-session';

const store = createAirsprayStore(createApi(), {
  storage: browserLocalStorage(),
  languages: navigator.languages,
  devtools: import.meta.env.DEV,
});
// Both live as long as the page, so their teardown functions are not kept.
applyDocumentTheme(store);
startSession(store);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');
createRoot(root).render(
  <StrictMode>
    <AppRoot store={store} />
  </StrictMode>,
);
