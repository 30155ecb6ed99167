import { useAirspray } from '../store/store-context';
import { nextThemePreference, type ThemePreference } from '../store/theme-slice';
import { MonitorIcon, MoonIcon, SunIcon } from '../ui/icons';

const themeNames: Record<ThemePreference, string> = { system: 'System', light: 'Light', dark: 'Dark' };
const themeIcons = { system: MonitorIcon, light: SunIcon, dark: MoonIcon } satisfies Record<ThemePreference, unknown>;

/** Cycles system → light → dark; the label says both the current theme and what a press does. */
export function ThemeToggle() {
  const theme = useAirspray((state) => state.theme);
  const cycleTheme = useAirspray((state) => state.cycleTheme);
  const Icon = themeIcons[theme];
  return (
    <button
      type="button"
      className="btn btn--ghost"
      onClick={cycleTheme}
      aria-label={`Theme: ${themeNames[theme]}. Switch to ${themeNames[nextThemePreference(theme)]}`}
    >
      <Icon />
      <span aria-hidden="true">{themeNames[theme]}</span>
    </button>
  );
}
