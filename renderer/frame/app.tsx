import { AppHeader } from './app-header';
import { AppInfoPanel } from './app-info-panel';
import { ConnectionBanner } from './connection-banner';
import { NoProjectNotice } from './no-project-notice';
import { SkipLink } from './skip-link';
import { StepFooter } from './step-footer';
import { StepNav } from './step-nav';
import { StepView } from './step-view';
import { useWizardShortcuts } from './use-wizard-shortcuts';
import './frame.css';

const contentId = 'content';

/** The wizard frame: header, step navigation, the current step, and Back / Next. */
export function App() {
  useWizardShortcuts();
  return (
    <div className="app">
      <SkipLink targetId={contentId} />
      <AppHeader />
      <div className="app__body">
        <aside className="sidebar">
          <StepNav />
          <AppInfoPanel />
        </aside>
        <div className="workspace">
          <main id={contentId} className="workspace__main" tabIndex={-1}>
            <div className="workspace__inner">
              <ConnectionBanner />
              <NoProjectNotice />
              <StepView />
            </div>
          </main>
          <StepFooter />
        </div>
      </div>
    </div>
  );
}
