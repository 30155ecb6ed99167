import { useIntl } from 'react-intl';
import type { MessageId } from '../i18n/catalogs';
import { useAirspray } from '../store/store-context';
import { nextThemePreference, type ThemePreference } from '../store/theme-slice';
import { MonitorIcon, MoonIcon, SunIcon } from '../ui/icons';

const themeNames: Record<ThemePreference, MessageId> = {
  system: 'frame.theme.system',
  light: 'frame.theme.light',
  dark: 'frame.theme.dark',
};
const themeIcons = { system: MonitorIcon, light: SunIcon, dark: MoonIcon } satisfies Record<ThemePreference, unknown>;

/** Cycles system → light → dark; the label says both the current theme and what a press does. */
export function ThemeToggle() {
  const intl = useIntl();
  const theme = useAirspray((state) => state.theme);
  const name = intl.formatMessage({ id: themeNames[theme] });
  const next = intl.formatMessage({ id: themeNames[nextThemePreference(theme)] });
  const cycleTheme = useAirspray((state) => state.cycleTheme);
  const Icon = themeIcons[theme];
  return (
    <button
      type="button"
      className="btn btn--ghost"
      onClick={cycleTheme}
      aria-label={intl.formatMessage({ id: 'frame.theme.label' }, { name, next })}
    >
      <Icon />
      <span aria-hidden="true">{name}</span>
    </button>
  );
}
