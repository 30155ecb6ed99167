import { useId } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { RunRecord } from '../../../electron/common/run';
import type { ChecklistState } from '../../store/deploy-prep-slice';
import { selectRunningRun } from '../../store/runs-slice';
import { useAirspray } from '../../store/store-context';
import { ChecklistItem, mainButtonClass, selectClusterRunNumber, selectNextChecklistItem } from './checklist-item';
import { parseExtraVars } from './extra-vars';

/** Extra variables for cluster.yml (advanced), KEY=VALUE lines. */
export function ExtraVarsField({ value, error, onChange }: { value: string; error: string | null; onChange(value: string): void }) {
  const id = useId();
  return (
    <>
      <label className="field-label run-target__spaced" htmlFor={id}>
        Extra variables
      </label>
      <textarea
        id={id}
        className="input run-extra-vars"
        rows={3}
        value={value}
        spellCheck={false}
        placeholder="KEY=VALUE, one per line"
        aria-invalid={error ? true : undefined}
        onChange={(event) => onChange(event.target.value)}
      />
      {error ? <p className="field-error">{error}</p> : <p className="field-hint">Values that read as JSON keep their type: x=false is the boolean.</p>}
    </>
  );
}

function stateOf(run: RunRecord | undefined): ChecklistState {
  if (!run) return 'pending';
  if (run.state === 'running') return 'working';
  return run.state === 'succeeded' ? 'done' : 'failed';
}

/** Step 4: kubespray's cluster.yml on the deploy node; its state is the newest cluster.yml run's. */
export function ClusterRunItem({ extraVarsText, onExtraVarsError }: { extraVarsText: string; onExtraVarsError(message: string): void }) {
  const number = useAirspray(selectClusterRunNumber);
  const next = useAirspray((state) => selectNextChecklistItem(state) === number);
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
        <button type="button" className={mainButtonClass(next)} disabled={starting || Boolean(running) || !hasDeployNode} onClick={runCluster}>
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
