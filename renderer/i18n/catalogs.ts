import { coreMessages, type CoreMessageId } from '../../electron/common/core-messages';
import coreZhCN from './core-zh-CN.json';
import en from './en.json';
import type { AppLocale } from './locales';
import zhCN from './zh-CN.json';

/**
 * A message id: a key of the English catalogs, the window's (en.json) and the core's
 * (electron/common/core-messages.ts), which every other catalog must match (test/unit/renderer/i18n).
 */
export type MessageId = keyof typeof en | CoreMessageId;

export const catalogs: Record<AppLocale, Record<MessageId, string>> = {
  en: { ...en, ...coreMessages },
  'zh-CN': { ...zhCN, ...coreZhCN },
};

/** Each language's catalog of the core's messages alone: its ids must not collide with the window's. */
export const coreCatalogs: Record<AppLocale, Record<CoreMessageId, string>> = { en: coreMessages, 'zh-CN': coreZhCN };

// react-intl's ids are checked against the English catalog: an id that is not there fails the type check.
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- react-intl reads its id type from this global namespace
  namespace FormatjsIntl {
    interface Message {
      ids: MessageId;
    }
  }
}
