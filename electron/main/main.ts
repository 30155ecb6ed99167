import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { app, BrowserWindow, dialog, nativeTheme, session, type WebContents } from 'electron';
import { createAirsprayCore } from '../node/api/airspray-core';
import { appVersion } from '../node/app-version';
import { resolvePlaces } from '../node/services';
import { appOrigin, isAppUrl } from './app-origin';
import { forwardCoreEvents, registerIpcHandlers } from './ipc-handlers';
import { keychainSealer } from './keychain-sealer';
import { registerAppSchemePrivileges, serveAppProtocol } from './serve-app-protocol';

// dist/electron/main.cjs sits beside preload.cjs; the renderer is in dist/renderer.
const preloadPath = join(__dirname, 'preload.cjs');
const rendererDir = join(__dirname, '..', 'renderer');

const { values: options } = parseArgs({
  args: process.argv.slice(app.isPackaged ? 1 : 2),
  options: { 'data-dir': { type: 'string' }, 'bundles-dir': { type: 'string', multiple: true } },
  strict: false,
});

registerAppSchemePrivileges();
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('web-contents-created', (_event, contents) => lockDown(contents));
  app.on('window-all-closed', () => app.quit());
  void app.whenReady().then(start);
}

const trustedWebContentsIds = new Set<number>();

async function start(): Promise<void> {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  serveAppProtocol(rendererDir);

  const places = await resolvePlaces({
    dataDir: typeof options['data-dir'] === 'string' ? options['data-dir'] : undefined,
    bundlesDirs: (options['bundles-dir'] ?? []).filter((dir): dir is string => typeof dir === 'string'),
    userDataDir: app.getPath('userData'),
  });
  const core = createAirsprayCore({
    shell: 'desktop',
    version: appVersion,
    ...places,
    chooseSavePath: async (suggestedName) => {
      const owner = BrowserWindow.getFocusedWindow();
      const options = { defaultPath: suggestedName };
      const choice = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
      return choice.canceled || !choice.filePath ? null : choice.filePath;
    },
    secretSealer: keychainSealer,
  });
  registerIpcHandlers(core, trustedWebContentsIds);
  forwardCoreEvents(core, (channel, payload) => {
    for (const window of BrowserWindow.getAllWindows()) {
      if (trustedWebContentsIds.has(window.webContents.id)) window.webContents.send(channel, payload);
    }
  });

  const window = createMainWindow();
  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore();
    window.focus();
  });
}

function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    title: 'Airspray',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#0d1117' : '#ffffff',
    webPreferences: {
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  trustedWebContentsIds.add(window.webContents.id);
  const contentsId = window.webContents.id;
  window.on('closed', () => trustedWebContentsIds.delete(contentsId));
  window.once('ready-to-show', () => window.show());
  void window.loadURL(`${appOrigin}/index.html`);
  return window;
}

/** No navigation away from the app, no new windows, no webviews, for every web contents ever created. */
function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
