import { chmod, mkdtemp, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultUserDataDir, resolveDataDir } from '../../../electron/node/data-dir';

const temp = () => mkdtemp(join(tmpdir(), 'airspray-datadir-'));

describe('resolveDataDir', () => {
  it('prefers --data-dir over everything and creates it', async () => {
    const base = await temp();
    const chosen = join(base, 'chosen');
    const result = await resolveDataDir({
      optionDir: chosen,
      env: { PORTABLE_EXECUTABLE_DIR: base },
      userDataDir: join(base, 'user'),
    });
    expect(result).toEqual({ dir: chosen, source: 'option' });
    expect((await stat(chosen)).isDirectory()).toBe(true);
  });

  it('uses a folder beside the portable exe on the stick', async () => {
    const stick = await temp();
    const result = await resolveDataDir({ env: { PORTABLE_EXECUTABLE_DIR: stick }, userDataDir: join(stick, 'user') });
    expect(result).toEqual({ dir: join(stick, 'airspray-data'), source: 'portable' });
  });

  it('uses the AppImage folder', async () => {
    const stick = await temp();
    const result = await resolveDataDir({
      env: { APPIMAGE: join(stick, 'Airspray.AppImage') },
      userDataDir: join(stick, 'user'),
    });
    expect(result).toEqual({ dir: join(stick, 'airspray-data'), source: 'appimage' });
  });

  it('falls back to the user data folder when the stick is read-only', async () => {
    const stick = await temp();
    // A file where the data folder would go makes the stick location unusable even for root.
    await writeFile(join(stick, 'airspray-data'), 'not a folder');
    await chmod(stick, 0o555);
    const user = join(await temp(), 'user');
    const result = await resolveDataDir({ env: { PORTABLE_EXECUTABLE_DIR: stick }, userDataDir: user });
    expect(result).toEqual({ dir: user, source: 'user-data' });
  });

  it('names the per-platform user data folder', () => {
    expect(defaultUserDataDir({}, '/home/op', 'linux')).toBe('/home/op/.local/share/airspray');
    expect(defaultUserDataDir({ XDG_DATA_HOME: '/x' }, '/home/op', 'linux')).toBe('/x/airspray');
    expect(defaultUserDataDir({}, '/Users/op', 'darwin')).toBe('/Users/op/Library/Application Support/Airspray');
  });
});
