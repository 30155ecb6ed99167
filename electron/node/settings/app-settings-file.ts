import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { coreError } from '../i18n/format-core-message';
import { AppSettingsSchema, type AppSettings } from '../../common/settings-api';
import { writeFileAtomic } from '../fs/write-file-atomic';

/** settings.json in the data folder: the few choices that belong to the folder, not to one project. */
export function createAppSettingsFile(dataDir: string) {
  const path = join(dataDir, 'settings.json');

  const read = async (): Promise<AppSettings> => {
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (text === null) return {};
    const parsed = AppSettingsSchema.safeParse(parseJson(text));
    if (!parsed.success) throw coreError('internal', 'settings.file-invalid', { path });
    return parsed.data;
  };

  const update = async (change: Partial<AppSettings>): Promise<AppSettings> => {
    const settings = { ...(await read()), ...change };
    await writeFileAtomic(path, `${JSON.stringify(settings, null, 2)}\n`);
    return settings;
  };

  return { path, read, update };
}

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};
