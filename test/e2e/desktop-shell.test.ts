import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/airspray-serve';
import { writeBundleFolder } from '../support/bundle-fixtures';
import { findElectronBinary } from '../support/electron-binary';

const electronBinary = findElectronBinary();
if (!electronBinary) {
  console.log(
    'SKIPPED desktop shell tests: no Electron binary (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1); browser mode is tested instead.',
  );
}

describe.skipIf(!electronBinary)('desktop shell (Electron)', () => {
  it('opens the wizard on app://, lists bundles over IPC, and keeps Node and other origins out of reach', async () => {
    const root = await mkdtemp(join(tmpdir(), 'airspray-electron-'));
    const bundles = join(root, 'bundles');
    await writeBundleFolder(bundles, 'ks', {
      bundleId: 'ks-desktop-smoke',
      kubesprayVersion: '2.23.3',
      kubernetesVersions: ['1.27.10'],
    });
    const app = await _electron.launch({
      executablePath: electronBinary,
      // Root cannot start Chromium's OS sandbox; contextIsolation and the sandboxed preload still apply.
      args: [
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
        repoRoot,
        '--data-dir',
        join(root, 'data'),
        '--bundles-dir',
        bundles,
      ],
    });
    try {
      const window = await app.firstWindow();
      await window.waitForLoadState('domcontentloaded');
      expect(window.url()).toMatch(/^app:\/\/airspray\//);
      await expect
        .poll(() => window.getByRole('list', { name: 'Bundles found' }).textContent())
        .toContain('ks-desktop-smoke');

      const reach = await window.evaluate(() => ({
        require: typeof (globalThis as Record<string, unknown>).require,
        process: typeof (globalThis as Record<string, unknown>).process,
        ipcRenderer: typeof (globalThis as Record<string, unknown>).ipcRenderer,
        bridge: Object.keys((globalThis as unknown as { airspray: object }).airspray).sort(),
      }));
      expect(reach).toMatchObject({ require: 'undefined', process: 'undefined', ipcRenderer: 'undefined' });
      expect(reach.bridge).toContain('listBundles');

      // Loopback only: if the lock failed, no traffic would leave this machine.
      await window.evaluate(() => {
        location.href = 'http://127.0.0.1:9/';
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(window.url()).toMatch(/^app:\/\/airspray\//);
    } finally {
      await app.close();
    }
  });
});
