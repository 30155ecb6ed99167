import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './airspray-serve';

/**
 * The installed Electron executable, or undefined when `npm ci` ran with ELECTRON_SKIP_BINARY_DOWNLOAD=1.
 * Read from the package's path.txt: require('electron') would try to download the binary.
 */
export function findElectronBinary(): string | undefined {
  const packageDir = join(repoRoot, 'node_modules', 'electron');
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}
