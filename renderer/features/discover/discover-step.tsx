import type { FormEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
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
  const intl = useIntl();
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
        <FormattedMessage id="discover.lead" />
      </p>

      <form
        className="sweep-form"
        aria-label={intl.formatMessage({ id: 'discover.form.label' })}
        noValidate
        onSubmit={submit}
      >
        <TextField
          className="sweep-form__targets"
          label={intl.formatMessage({ id: 'discover.targets.label' })}
          value={targets}
          onChange={actions.setTargets}
          placeholder="10.0.0.0/24 10.0.1.10-10.0.1.50 db-1"
          error={targetsError}
          hint={intl.formatMessage({ id: 'discover.targets.hint' })}
        />
        <TextField
          className="sweep-form__ports"
          label={intl.formatMessage({ id: 'discover.ports.label' })}
          value={ports}
          onChange={actions.setPorts}
          inputMode="numeric"
          error={portsError}
          hint={intl.formatMessage({ id: 'discover.ports.hint' })}
        />
        <div className="sweep-form__actions">
          <button type="submit" className="btn btn--primary" disabled={running}>
            <FormattedMessage id="discover.start" />
          </button>
          <button type="button" className="btn" disabled={!running} onClick={() => void actions.cancel()}>
            <FormattedMessage id="discover.cancel" />
          </button>
        </div>
      </form>

      {suggestions.length > 0 && (
        <div className="sweep-suggestions">
          <span className="muted small">
            <FormattedMessage id="discover.suggestions" />
          </span>
          {suggestions.map((suggestion) => (
            <button
              key={`${suggestion.interfaceName}-${suggestion.cidr}`}
              type="button"
              className="suggestion"
              aria-label={intl.formatMessage(
                { id: 'discover.suggestion.add' },
                { cidr: suggestion.cidr, interfaceName: suggestion.interfaceName },
              )}
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
            <p className="callout__title">
              <FormattedMessage id="discover.notStarted" />
            </p>
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
  const intl = useIntl();
  const sweep = useAirspray((state) => state.sweep);
  if (sweep.phase === 'idle') return null;
  const { scanned, total, found, ratePerSecond: rate, etaSeconds: eta } = sweep;
  const status = intl.formatMessage({ id: `discover.progress.${sweep.phase}` }, { scanned, total, found });
  // While running, the pace and the time left follow the core's figures for the last few seconds.
  const statusText =
    sweep.phase !== 'running' || !rate
      ? status
      : intl.formatMessage({ id: eta ? 'discover.sweep.pace' : 'discover.sweep.rate' }, { status, rate, eta });
  return (
    <ProgressStatus
      className="sweep-progress"
      label={intl.formatMessage({ id: 'discover.progress.label' })}
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
        <FormattedMessage id="discover.continue.ticked" values={{ count: selected.length }} />
      </p>
      <button type="button" className="btn btn--primary" disabled={selected.length === 0} onClick={continueToAccess}>
        <FormattedMessage id="discover.continue.button" />
        <ArrowRightIcon />
      </button>
    </div>
  );
}
