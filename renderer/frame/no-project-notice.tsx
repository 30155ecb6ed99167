import { useAirspray } from '../store/store-context';
import { InfoIcon } from '../ui/icons';

/** Without an open project the wizard still works, but nothing is kept; say so and offer the picker. */
export function NoProjectNotice() {
  const show = useAirspray((state) => state.connection.status === 'open' && state.currentProject === null);
  const setProjectPickerOpen = useAirspray((state) => state.setProjectPickerOpen);
  if (!show) return null;
  return (
    <div className="callout callout--info">
      <InfoIcon />
      <div className="callout__body">
        <p className="callout__title">No project open</p>
        <p>
          A project holds one cluster&apos;s plan and remembers where you are. Open one or create one to keep your
          progress.
        </p>
      </div>
      <button type="button" className="btn" onClick={() => setProjectPickerOpen(true)}>
        Open or create a project
      </button>
    </div>
  );
}
