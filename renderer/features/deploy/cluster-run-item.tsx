import { useShallow } from 'zustand/react/shallow';
import type { RunRecord } from '../../../electron/common/run';
import type { ChecklistState } from '../../store/deploy-prep-slice';
import { selectRunningRun } from '../../store/runs-slice';
import { useAirspray } from '../../store/store-context';
import { ChecklistItem, selectClusterRunNumber, useMainButtonClass } from './checklist-item';
import { parseExtraVars } from './extra-vars';

function stateOf(run: RunRecord | undefined): ChecklistState {
  if (!run) return 'pending';
  if (run.state === 'running') return 'working';
  return run.state === 'succeeded' ? 'done' : 'failed';
}

/** Step 4: kubespray's cluster.yml on the deploy node; its state is the newest cluster.yml run's. */
export function ClusterRunItem({
  extraVarsText,
  onExtraVarsError,
}: {
  extraVarsText: string;
  onExtraVarsError(message: string): void;
}) {
  const number = useAirspray(selectClusterRunNumber);
  const mainButton = useMainButtonClass(number);
  const { starting, startError, running, lastClusterRun, hasDeployNode } = useAirspray(
    useShallow((state) => ({
      starting: state.runStarting,
      startError: state.runStartError,
      running: selectRunningRun(state),
      lastClusterRun: state.runs.find((run) => run.playbook === 'cluster.yml'),
      hasDeployNode: Boolean(state.currentProject?.cluster.deployNode),
    })),
  );
  const startRun = useAirspray((state) => state.startRun);
  const runCluster = () => {
    const extraVars = parseExtraVars(extraVarsText);
    if (typeof extraVars === 'string') return onExtraVarsError(extraVars);
    void startRun({ playbook: 'cluster.yml', ...(Object.keys(extraVars).length > 0 ? { extraVars } : {}) });
  };
  const fieldless = startError && startError.field !== 'kubesprayDir';
  const summary = lastClusterRun
    ? `Last run ${lastClusterRun.state}, started ${new Date(lastClusterRun.startedAt).toLocaleString()}; it goes on if this window closes.`
    : 'ansible-playbook cluster.yml on the deploy node in a unit of its own: closing this window does not stop it.';

  return (
    <ChecklistItem number={number} title="Run cluster.yml" state={stateOf(lastClusterRun)} summary={summary}>
      <div className="checklist-item__actions">
        <button
          type="button"
          className={mainButton}
          disabled={starting || Boolean(running) || !hasDeployNode}
          onClick={runCluster}
        >
          Run cluster.yml
        </button>
        {running && <span className="small muted">{running.playbook} is running: one run at a time per cluster.</span>}
      </div>
      {fieldless && (
        <p className="field-error" role="alert">
          {startError.message}
        </p>
      )}
    </ChecklistItem>
  );
}
