import { useLayoutEffect, useRef } from 'react';
import { useAirspray } from '../store/store-context';
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
  const step = useAirspray((state) => state.step);
  const contentRef = useRef<HTMLElement>(null);
  // Each step opens at its top, not where the previous step was scrolled to. Braces: Chromium's scrollTo returns a
  // promise, and React would call a returned value as the effect's cleanup ("is not a function" on the next step).
  useLayoutEffect(() => {
    contentRef.current?.scrollTo({ top: 0 });
  }, [step]);
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
          <main id={contentId} ref={contentRef} className="workspace__main" tabIndex={-1}>
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
