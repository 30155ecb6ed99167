import { useEffect, type ReactNode } from 'react';
import { IntlProvider } from 'react-intl';
import { useAirspray } from '../store/store-context';
import { catalogs } from './catalogs';
import { richTextElements } from './rich-text';

/** Messages, numbers and dates below it in the store's language; the page's lang follows (fonts, screen readers). */
export function I18nProvider({ children }: { children: ReactNode }) {
  const locale = useAirspray((state) => state.locale);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  return (
    <IntlProvider
      locale={locale}
      defaultLocale="en"
      messages={catalogs[locale]}
      defaultRichTextElements={richTextElements}
    >
      {children}
    </IntlProvider>
  );
}
