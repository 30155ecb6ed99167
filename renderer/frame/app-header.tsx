import { LogoMark } from '../ui/icons';
import { ConnectionIndicator } from './connection-indicator';
import { LanguagePicker } from './language-picker';
import { ProjectPicker } from './project-picker';
import { ThemeToggle } from './theme-toggle';

export function AppHeader() {
  return (
    <header className="app-header">
      <div className="app-header__brand">
        <LogoMark className="app-header__logo" />
        <span className="app-header__name">Airspray</span>
      </div>
      <span className="app-header__divider" aria-hidden="true" />
      <ProjectPicker />
      <div className="app-header__end">
        <ConnectionIndicator />
        <LanguagePicker />
        <ThemeToggle />
      </div>
    </header>
  );
}
