import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

export type DataDirSource = 'option' | 'portable' | 'appimage' | 'user-data';
export interface ResolvedDataDir {
  dir: string;
  source: DataDirSource;
}

/** The folder on the stick that holds the app: the portable exe's folder or the AppImage's folder. */
export function findStickFolder(
  env: NodeJS.ProcessEnv,
): { folder: string; source: 'portable' | 'appimage' } | undefined {
  if (env.PORTABLE_EXECUTABLE_DIR) return { folder: resolve(env.PORTABLE_EXECUTABLE_DIR), source: 'portable' };
  if (env.APPIMAGE) return { folder: dirname(resolve(env.APPIMAGE)), source: 'appimage' };
  return undefined;
}

export const stickDataFolderName = 'airspray-data';

/**
 * Where projects and run history live: `--data-dir` if given; else beside the app on the stick when writable,
 * so the stick carries the cluster's state between machines; else the user data folder.
 */
export async function resolveDataDir(options: {
  optionDir?: string;
  env: NodeJS.ProcessEnv;
  userDataDir: string;
}): Promise<ResolvedDataDir> {
  if (options.optionDir) {
    const dir = resolve(options.optionDir);
    await mkdir(dir, { recursive: true });
    return { dir, source: 'option' };
  }
  const stick = findStickFolder(options.env);
  if (stick) {
    const dir = join(stick.folder, stickDataFolderName);
    if (await isWritableFolder(dir)) return { dir, source: stick.source };
  }
  await mkdir(options.userDataDir, { recursive: true });
  return { dir: options.userDataDir, source: 'user-data' };
}

async function isWritableFolder(dir: string): Promise<boolean> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The user data folder of the CLI and browser mode (the desktop shell passes Electron's). */
export function defaultUserDataDir(env: NodeJS.ProcessEnv, home: string, platform: NodeJS.Platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Airspray');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Airspray');
  return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'airspray');
}
