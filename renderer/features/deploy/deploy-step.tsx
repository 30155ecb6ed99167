import { useEffect, useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAirspray } from '../../store/store-context';
import { selectRunningRun } from '../../store/runs-slice';
import { AlertIcon, InfoIcon } from '../../ui/icons';
import { parseExtraVars } from './extra-vars';
import { RunTargetFields } from './run-target-fields';
import { RunView } from './run-view';
import '../plan/plan.css';
import './deploy.css';

/** Deploy preparation that the core can do but this step does not drive yet: said plainly, with the CLI that does it. */
const preparation = [
  { title: 'Deploy key on every host', cli: 'airspray deploy keys' },
  { title: 'Bundle pushed to the deploy node', cli: 'airspray deploy push' },
  { title: 'Registry and file server running on the deploy node', cli: 'airspray deploy services' },
];

/** Extra variables for cluster.yml (advanced), KEY=VALUE lines. */
function ExtraVarsField({ value, error, onChange }: { value: string; error: string | null; onChange(value: string): void }) {
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

/** Runs kubespray's cluster.yml on the deploy node and shows it live; a run that outlived this window is picked up again. */
export function DeployStep() {
  const { projectId, runsError, starting, startError, running, hasDeployNode } = useAirspray(
    useShallow((state) => ({
      projectId: state.currentProject?.id,
      runsError: state.runsError,
      starting: state.runStarting,
      startError: state.runStartError,
      running: selectRunningRun(state),
      hasDeployNode: Boolean(state.currentProject?.cluster.deployNode),
    })),
  );
  const loadRuns = useAirspray((state) => state.loadRuns);
  const startRun = useAirspray((state) => state.startRun);
  const [extraVarsText, setExtraVarsText] = useState('');
  const [extraVarsError, setExtraVarsError] = useState<string | null>(null);

  useEffect(() => {
    if (projectId) void loadRuns();
  }, [projectId, loadRuns]);

  const runCluster = () => {
    const extraVars = parseExtraVars(extraVarsText);
    if (typeof extraVars === 'string') {
      setExtraVarsError(extraVars);
      return;
    }
    void startRun({ playbook: 'cluster.yml', ...(Object.keys(extraVars).length > 0 ? { extraVars } : {}) });
  };
  const fieldless = startError && startError.field !== 'kubesprayDir';

  return (
    <div className="deploy-step">
      <p className="lead">
        Kubespray&apos;s cluster.yml runs on the deploy node in a unit of its own: closing this window, losing the link or
        a sleeping laptop does not stop it, and coming back shows the whole log.
      </p>

      <section className="panel deploy-checklist" aria-label="Deploy checklist">
        <ol>
          {preparation.map((item) => (
            <li key={item.title} className="deploy-checklist__item">
              <InfoIcon />
              <span>
                <strong>{item.title}</strong>
                <span className="small muted"> — not driven from this step yet; run <code>{item.cli}</code> from the command line.</span>
              </span>
            </li>
          ))}
          <li className="deploy-checklist__item deploy-checklist__item--here">
            <span className="deploy-checklist__number">4</span>
            <span>
              <strong>Run cluster.yml</strong>
              <span className="small muted"> — here.</span>
            </span>
          </li>
        </ol>
      </section>

      {!hasDeployNode && (
        <div className="callout callout--danger" role="alert">
          <AlertIcon />
          <div className="callout__body">No deploy node in the plan: choose one on the Roles step.</div>
        </div>
      )}

      <RunTargetFields extra={<ExtraVarsField value={extraVarsText} error={extraVarsError} onChange={(value) => { setExtraVarsText(value); setExtraVarsError(null); }} />} />

      <div className="plan-toolbar">
        <button type="button" className="btn btn--primary" disabled={starting || Boolean(running) || !hasDeployNode} onClick={runCluster}>
          Run cluster.yml
        </button>
        {running && <span className="small muted">{running.playbook} is running: one run at a time per cluster.</span>}
      </div>
      {fieldless && (
        <p className="field-error" role="alert">
          {startError.message}
        </p>
      )}
      {runsError && (
        <p className="field-error" role="alert">
          {runsError}
        </p>
      )}
      <RunView />
    </div>
  );
}
