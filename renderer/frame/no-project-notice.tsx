import { FormattedMessage } from 'react-intl';
import { useShallow } from 'zustand/react/shallow';
import { useAirspray } from '../store/store-context';
import { Callout } from '../ui/callout';
import { NewProjectForm } from './new-project-form';

/**
 * Without an open project the wizard still works but keeps nothing, so offer to create one right here.
 * The form steps aside while the project picker is open, so the page never holds two "Cluster name" inputs.
 */
export function NoProjectNotice() {
  const { show, pickerOpen, hasProjects } = useAirspray(
    useShallow((state) => ({
      show: state.connection.status === 'open' && state.currentProject === null,
      pickerOpen: state.projectPickerOpen,
      hasProjects: state.projects.length > 0,
    })),
  );
  const setProjectPickerOpen = useAirspray((state) => state.setProjectPickerOpen);
  if (!show) return null;
  return (
    <Callout
      tone="info"
      title={<FormattedMessage id="frame.noProject.title" />}
      action={
        hasProjects && (
          <button type="button" className="btn" onClick={() => setProjectPickerOpen(true)}>
            <FormattedMessage id="frame.noProject.open" />
          </button>
        )
      }
    >
      <p>
        <FormattedMessage id="frame.noProject.body" values={{ hasProjects: String(hasProjects) }} />
      </p>
      {!pickerOpen && <NewProjectForm variant="inline" />}
    </Callout>
  );
}
