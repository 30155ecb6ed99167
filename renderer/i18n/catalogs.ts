import en from './en.json';
import type { AppLocale } from './locales';
import zhCN from './zh-CN.json';

/** A message id: a key of the English catalog, which every other catalog must match (test/unit/renderer/i18n). */
export type MessageId = keyof typeof en;

export const catalogs: Record<AppLocale, Record<MessageId, string>> = { en, 'zh-CN': zhCN };

// react-intl's ids are checked against the English catalog: an id that is not there fails the type check.
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- react-intl reads its id type from this global namespace
  namespace FormatjsIntl {
    interface Message {
      ids: MessageId;
    }
  }
}
