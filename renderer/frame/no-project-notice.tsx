import { FormattedMessage } from 'react-intl';
import { useShallow } from 'zustand/react/shallow';
import { useAirspray } from '../store/store-context';
import { InfoIcon } from '../ui/icons';
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
    <div className="callout callout--info">
      <InfoIcon />
      <div className="callout__body">
        <p className="callout__title">
          <FormattedMessage id="frame.noProject.title" />
        </p>
        <p>
          <FormattedMessage id="frame.noProject.body" values={{ hasProjects: String(hasProjects) }} />
        </p>
        {!pickerOpen && <NewProjectForm variant="inline" />}
      </div>
      {hasProjects && (
        <button type="button" className="btn" onClick={() => setProjectPickerOpen(true)}>
          <FormattedMessage id="frame.noProject.open" />
        </button>
      )}
    </div>
  );
}
