import { createIntl } from 'react-intl';
import { catalogs } from './catalogs';

/** The English catalog outside React, for a caller that is not given the window's language (it reads English). */
export const englishIntl = createIntl({ locale: 'en', defaultLocale: 'en', messages: catalogs.en });
