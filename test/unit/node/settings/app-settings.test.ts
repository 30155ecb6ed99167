import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAirsprayCore } from '../../../../electron/node/api/airspray-core';
import { dispatchApiCall } from '../../../../electron/node/api/dispatch-api-call';

/** A core on its own data folder, as `airspray serve --data-dir X` or the desktop window starts one. */
function coreOn(dataDir: string) {
  const core = createAirsprayCore({
    shell: 'browser',
    version: 'test',
    dataDir: { dir: dataDir, source: 'option' },
    bundleLocations: [],
  });
  return (method: string, params: unknown) => dispatchApiCall(core.handlers, method, params, () => undefined);
}

describe('settings kept by the data folder', () => {
  it('has no language before one is chosen, so the first start follows the browser or OS', async () => {
    const call = coreOn(await mkdtemp(join(tmpdir(), 'airspray-settings-')));
    expect(await call('settings.get', {})).toEqual({ ok: true, result: {} });
  });

  it('remembers the language per folder: a later core on the same folder reads it, another folder does not', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'airspray-settings-'));
    expect(await coreOn(folder)('settings.setLocale', { locale: 'zh-CN' })).toEqual({
      ok: true,
      result: { locale: 'zh-CN' },
    });
    expect(await coreOn(folder)('settings.get', {})).toEqual({ ok: true, result: { locale: 'zh-CN' } });
    expect(JSON.parse(await readFile(join(folder, 'settings.json'), 'utf8'))).toEqual({ locale: 'zh-CN' });
    const other = await mkdtemp(join(tmpdir(), 'airspray-settings-'));
    expect(await coreOn(other)('settings.get', {})).toEqual({ ok: true, result: {} });
  });

  it('refuses a language it does not speak', async () => {
    const call = coreOn(await mkdtemp(join(tmpdir(), 'airspray-settings-')));
    expect(await call('settings.setLocale', { locale: 'klingon' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_params' },
    });
  });

  it('names the settings file and the fix when it is damaged', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'airspray-settings-'));
    await writeFile(join(folder, 'settings.json'), '{"locale": 42');
    const reply = await coreOn(folder)('settings.get', {});
    expect(reply).toMatchObject({ ok: false });
    expect(JSON.stringify(reply)).toContain(join(folder, 'settings.json'));
    expect(JSON.stringify(reply)).toContain('delete it');
  });
});
