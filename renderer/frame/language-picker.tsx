import { useIntl } from 'react-intl';
import { appLocales, isAppLocale, localeNames } from '../i18n/locales';
import { useAirspray } from '../store/store-context';

/** English / 简体中文: each name in its own language, so a reader finds theirs whichever is shown. */
export function LanguagePicker() {
  const intl = useIntl();
  const locale = useAirspray((state) => state.locale);
  const setLocale = useAirspray((state) => state.setLocale);
  return (
    <select
      className="input language-picker"
      aria-label={intl.formatMessage({ id: 'frame.language.label' })}
      value={locale}
      onChange={(event) => {
        if (isAppLocale(event.target.value)) setLocale(event.target.value);
      }}
    >
      {appLocales.map((option) => (
        <option key={option} value={option} lang={option}>
          {localeNames[option]}
        </option>
      ))}
    </select>
  );
}
