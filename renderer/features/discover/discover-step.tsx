import type { FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAirspray } from '../../store/store-context';
import { selectSelectedHosts, selectSweepRunning } from '../../store/discovery-slice';
import { AlertIcon, ArrowRightIcon, PlusIcon } from '../../ui/icons';
import { TextField } from '../../ui/text-field';
import { SweepResultsTable } from './sweep-results-table';
import { ProgressStatus } from '../../ui/progress-status';
import './discover.css';

/** Sweeps what the operator typed for SSH, streaming each address's answer into a table. */
export function DiscoverStep() {
  const { targets, ports, suggestions, error, running } = useAirspray(
    useShallow((state) => ({
      targets: state.discoveryTargets,
      ports: state.discoveryPorts,
      suggestions: state.targetSuggestions,
      error: state.sweepError,
      running: selectSweepRunning(state),
    })),
  );
  const actions = useAirspray(
    useShallow((state) => ({
      setTargets: state.setDiscoveryTargets,
      setPorts: state.setDiscoveryPorts,
      addTarget: state.addDiscoveryTarget,
      start: state.startSweep,
      cancel: state.cancelSweep,
    })),
  );
  const targetsError = error?.field === 'targets' ? error.message : null;
  const portsError = error?.field === 'ports' ? error.message : null;
  const otherError = error && !targetsError && !portsError ? error.message : null;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void actions.start();
  }

  return (
    <div className="discover-step">
      <p className="lead">
        Sweep the LAN for machines that answer SSH. Nothing is sent until you press Start sweep, and only to the
        addresses you type.
      </p>

      <form className="sweep-form" aria-label="Sweep" noValidate onSubmit={submit}>
        <TextField
          className="sweep-form__targets"
          label="Targets"
          value={targets}
          onChange={actions.setTargets}
          placeholder="10.0.0.0/24 10.0.1.10-10.0.1.50 db-1"
          error={targetsError}
          hint="CIDR blocks, ranges (10.0.0.10-10.0.0.50), addresses or host names, separated by spaces or commas."
        />
        <TextField
          className="sweep-form__ports"
          label="Ports"
          value={ports}
          onChange={actions.setPorts}
          inputMode="numeric"
          error={portsError}
          hint="SSH port; several with commas."
        />
        <div className="sweep-form__actions">
          <button type="submit" className="btn btn--primary" disabled={running}>
            Start sweep
          </button>
          <button type="button" className="btn" disabled={!running} onClick={() => void actions.cancel()}>
            Cancel sweep
          </button>
        </div>
      </form>

      {suggestions.length > 0 && (
        <div className="sweep-suggestions">
          <span className="muted small">This machine&rsquo;s networks:</span>
          {suggestions.map((suggestion) => (
            <button
              key={`${suggestion.interfaceName}-${suggestion.cidr}`}
              type="button"
              className="suggestion"
              aria-label={`Add ${suggestion.cidr} (${suggestion.interfaceName})`}
              onClick={() => actions.addTarget(suggestion.cidr)}
            >
              <PlusIcon width="12" height="12" />
              <span className="suggestion__cidr">{suggestion.cidr}</span>
              <span className="suggestion__interface">{suggestion.interfaceName}</span>
            </button>
          ))}
        </div>
      )}

      {otherError && (
        <div className="callout callout--danger" role="alert">
          <AlertIcon />
          <div className="callout__body">
            <p className="callout__title">The sweep did not start</p>
            <p>{otherError}</p>
          </div>
        </div>
      )}

      <SweepProgressBar />
      <SweepResultsTable />
      <ContinueToAccess />
    </div>
  );
}

function SweepProgressBar() {
  const sweep = useAirspray((state) => state.sweep);
  if (sweep.phase === 'idle') return null;
  const statusText = {
    starting: 'Starting the sweep…',
    running: `Sweeping: ${sweep.scanned} of ${sweep.total} addresses, ${sweep.found} with SSH`,
    finished: `Sweep finished: ${sweep.scanned} addresses, ${sweep.found} with SSH`,
    cancelled: `Sweep cancelled after ${sweep.scanned} of ${sweep.total} addresses, ${sweep.found} with SSH`,
  }[sweep.phase];
  return (
    <ProgressStatus
      className="sweep-progress"
      label="Sweep progress"
      value={sweep.scanned}
      max={sweep.total}
      text={statusText}
    />
  );
}

function ContinueToAccess() {
  const selected = useAirspray(useShallow(selectSelectedHosts));
  const continueToAccess = useAirspray((state) => state.continueToAccess);
  const anySsh = useAirspray((state) => state.sweep.found > 0);
  if (!anySsh) return null;
  return (
    <div className="discover-continue">
      <p className="muted">
        {selected.length === 0
          ? 'Tick the hosts to reach on the Access step.'
          : `${selected.length} ${selected.length === 1 ? 'host' : 'hosts'} ticked: the Access step collects their facts.`}
      </p>
      <button type="button" className="btn btn--primary" disabled={selected.length === 0} onClick={continueToAccess}>
        Continue to Access
        <ArrowRightIcon />
      </button>
    </div>
  );
}
