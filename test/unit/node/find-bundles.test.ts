import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleLocations } from '../../../electron/node/bundles/bundle-locations';
import { findBundles } from '../../../electron/node/bundles/find-bundles';
import { writeBundleFolder } from '../../support/bundle-fixtures';

describe('findBundles', () => {
  it('lists readable and unreadable bundle folders and reports missing locations', async () => {
    const root = await mkdtemp(join(tmpdir(), 'airspray-bundles-'));
    await writeBundleFolder(
      root,
      'k8s-1.27',
      { bundleId: 'ks-2.23.3', kubesprayVersion: '2.23.3', kubernetesVersions: ['1.27.10'] },
      { signed: true },
    );
    await mkdir(join(root, 'broken'));
    await writeFile(join(root, 'broken', 'manifest.json'), '{"formatVersion": 1}');
    await mkdir(join(root, 'not-a-bundle'));
    const missing = join(root, 'nowhere');

    const result = await findBundles([
      { path: root, source: 'option' },
      { path: missing, source: 'data-dir' },
    ]);

    expect(result.searchedFolders).toEqual([
      { path: root, source: 'option', exists: true },
      { path: missing, source: 'data-dir', exists: false },
    ]);
    expect(result.bundles.map((bundle) => bundle.folderName)).toEqual(['broken', 'k8s-1.27']);
    const [broken, good] = result.bundles;
    expect(broken?.manifest).toMatchObject({ state: 'unreadable', problem: expect.stringContaining('bundleId') });
    expect(good).toMatchObject({
      hasSignature: true,
      manifest: { state: 'readable', header: { bundleId: 'ks-2.23.3' } },
    });
  });

  it('searches option folders, then bundles/ beside the app on the stick, then the data folder', () => {
    expect(
      bundleLocations({ env: { PORTABLE_EXECUTABLE_DIR: '/media/stick' }, dataDir: '/data', optionDirs: ['/extra'] }),
    ).toEqual([
      { path: '/extra', source: 'option' },
      { path: '/media/stick/bundles', source: 'stick' },
      { path: '/data/bundles', source: 'data-dir' },
    ]);
  });
});
