import { join } from 'node:path';
import { findStickFolder } from '../data-dir';
import type { BundleLocation } from './find-bundles';

/** Bundles ship beside the app on the stick (never inside it), in the data folder, or where the operator points. */
export function bundleLocations(options: {
  env: NodeJS.ProcessEnv;
  dataDir: string;
  optionDirs: readonly string[];
}): BundleLocation[] {
  const stick = findStickFolder(options.env);
  return [
    ...options.optionDirs.map((path) => ({ path, source: 'option' as const })),
    ...(stick ? [{ path: join(stick.folder, 'bundles'), source: 'stick' as const }] : []),
    { path: join(options.dataDir, 'bundles'), source: 'data-dir' as const },
  ];
}
