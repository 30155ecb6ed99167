import type { ComponentProps } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useShallow } from 'zustand/react/shallow';
import { useAirspray } from '../../store/store-context';
import { selectSelectedHosts, selectSweepRunning, type TargetSuggestion } from '../../store/discovery-slice';
import { AlertIcon, ArrowRightIcon, PlusIcon } from '../../ui/icons';
import { TextField } from '../../ui/text-field';
import { ActionForm } from '../../ui/action-form';
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

  return (
    <div className="discover-step">
      <p className="lead">
        <FormattedMessage id="discover.lead" />
      </p>

      <ActionForm className="sweep-form" labelId="discover.form.label" onSubmit={() => void actions.start()}>
        <SweepField
          name="targets"
          value={targets}
          onChange={actions.setTargets}
          placeholder="10.0.0.0/24 10.0.1.10-10.0.1.50 db-1"
          error={targetsError}
        />
        <SweepField name="ports" value={ports} onChange={actions.setPorts} inputMode="numeric" error={portsError} />
        <div className="sweep-form__actions">
          <button type="submit" className="btn btn--primary" disabled={running}>
            <FormattedMessage id="discover.start" />
          </button>
          <button type="button" className="btn" disabled={!running} onClick={() => void actions.cancel()}>
            <FormattedMessage id="discover.cancel" />
          </button>
        </div>
      </ActionForm>

      {suggestions.length > 0 && <SweepSuggestions suggestions={suggestions} addTarget={actions.addTarget} />}

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

type SweepFieldProps = Omit<ComponentProps<typeof TextField>, 'className' | 'label' | 'hint'> & {
  name: 'targets' | 'ports';
};

/** One field of the sweep form: its class, label and hint follow from its name. */
function SweepField({ name, ...input }: SweepFieldProps) {
  const intl = useIntl();
  return (
    <TextField
      {...input}
      className={`sweep-form__${name}`}
      label={intl.formatMessage({ id: `discover.${name}.label` })}
      hint={intl.formatMessage({ id: `discover.${name}.hint` })}
    />
  );
}

/** This machine's own subnets, each a button that adds it to what to sweep. */
function SweepSuggestions({
  suggestions,
  addTarget,
}: {
  suggestions: TargetSuggestion[];
  addTarget: (cidr: string) => void;
}) {
  const intl = useIntl();
  return (
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
          onClick={() => addTarget(suggestion.cidr)}
        >
          <PlusIcon width="12" height="12" />
          <span className="suggestion__cidr">{suggestion.cidr}</span>
          <span className="suggestion__interface">{suggestion.interfaceName}</span>
        </button>
      ))}
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
