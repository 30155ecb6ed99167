import { FormattedMessage } from 'react-intl';
import { useShallow } from 'zustand/react/shallow';
import { selectRunningRun } from '../../store/runs-slice';
import { useAirspray } from '../../store/store-context';

/** An action's start, off while a run is starting or running (one run at a time). */
export function StartButton({ label, disabled, onClick }: { label: string; disabled?: boolean; onClick(): void }) {
  const { starting, running } = useAirspray(
    useShallow((state) => ({ starting: state.runStarting, running: selectRunningRun(state) })),
  );
  return (
    <div className="plan-toolbar">
      <button
        type="button"
        className="btn btn--primary"
        disabled={starting || Boolean(running) || disabled}
        onClick={onClick}
      >
        {label}
      </button>
      {running && (
        <span className="small muted">
          <FormattedMessage id="operate.start.oneAtATime" values={{ playbook: running.playbook }} />
        </span>
      )}
    </div>
  );
}
