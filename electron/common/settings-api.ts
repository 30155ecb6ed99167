import { z } from 'zod';

/** The languages the window speaks (renderer/i18n/locales.ts names them). */
export const AppLocaleSchema = z.enum(['en', 'zh-CN']);
export type AppLocale = z.infer<typeof AppLocaleSchema>;

/** What a data folder remembers beside its projects, whichever window (desktop or `serve`) opens it. */
export const AppSettingsSchema = z.strictObject({
  /** The language last chosen in the picker; absent until one is, so a first start follows the browser or OS. */
  locale: AppLocaleSchema.optional(),
});
export type AppSettings = z.infer<typeof AppSettingsSchema>;

export const settingsApiMethods = {
  'settings.get': {
    exposeAs: 'getSettings',
    params: z.strictObject({}),
    result: AppSettingsSchema,
  },
  'settings.setLocale': {
    exposeAs: 'setLocale',
    params: z.strictObject({ locale: AppLocaleSchema }),
    result: AppSettingsSchema,
  },
} as const;
