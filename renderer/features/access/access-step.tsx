import { useShallow } from 'zustand/react/shallow';
import { selectFactsRunning, selectHostsForPlan } from '../../store/access-slice';
import { useAirspray } from '../../store/store-context';
import { AlertIcon, CheckIcon } from '../../ui/icons';
import { CredentialForm } from './credential-form';
import { CredentialList } from './credential-list';
import { HostCard } from './host-card';
import { ChangedKeyAlerts, UnknownKeysPanel } from './host-key-panels';
import { ProgressStatus } from '../../ui/progress-status';
import { TextAreaField } from '../../ui/text-field';
import './access.css';
import { ErrorText } from '../../ui/error-text';

/** Credential profiles, then facts and pre-flight checks for the hosts Discover found (or typed ones). */
export function AccessStep() {
  return (
    <div className="access-step">
      <p className="lead">
        Reach the hosts over SSH with a credential profile, decide which host keys to trust, and read each host&rsquo;s
        facts and pre-flight checks before anything is installed.
      </p>

      <section aria-labelledby="profiles-title">
        <h2 id="profiles-title" className="section-title">
          Credential profiles
        </h2>
        <div className="credentials">
          <CredentialForm />
          <CredentialList />
        </div>
      </section>

      <section aria-labelledby="hosts-title">
        <h2 id="hosts-title" className="section-title">
          Hosts
        </h2>
        <HostsForm />
        <FactsProgress />
        <ChangedKeyAlerts />
        <UnknownKeysPanel />
        <HostResults />
      </section>
    </div>
  );
}

const hostsHint =
  'Filled in by Discover’s Continue to Access; or type addresses (10.0.0.11, or 10.0.0.11:2222 for another port), separated by spaces, commas or new lines.';

function HostsForm() {
  const { text, error, factsError, running, profile } = useAirspray(
    useShallow((state) => ({
      text: state.accessHostsText,
      error: state.accessHostsError,
      factsError: state.factsError,
      running: selectFactsRunning(state),
      profile: state.credentials.find((candidate) => candidate.id === state.selectedCredentialId)?.label ?? null,
    })),
  );
  const setText = useAirspray((state) => state.setAccessHostsText);
  const collectFacts = useAirspray((state) => state.collectFacts);

  return (
    <form
      className="hosts-form"
      aria-label="Collect facts"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void collectFacts();
      }}
    >
      <TextAreaField
        label="Hosts to reach"
        error={error}
        hint={hostsHint}
        inputClassName="input textarea input--mono"
        value={text}
        placeholder="10.0.0.11 10.0.0.12"
        onChange={setText}
      />
      <div className="hosts-form__actions">
        <button type="submit" className="btn btn--primary" disabled={running}>
          Collect facts
        </button>
        <span className="small muted">{profile ? `As profile “${profile}”` : 'Add or pick a profile first'}</span>
      </div>
      <ErrorText message={factsError} />
    </form>
  );
}

function FactsProgress() {
  const run = useAirspray((state) => state.factsRun);
  const counts = useAirspray(
    useShallow((state) => ({
      withFacts: state.hostAccess.filter((host) => host.outcome?.state === 'ok').length,
      unknownKey: state.hostAccess.filter(
        (host) => host.outcome?.state === 'failed' && host.outcome.kind === 'host-key-unknown',
      ).length,
      failed: state.hostAccess.filter(
        (host) => host.outcome?.state === 'failed' && host.outcome.kind !== 'host-key-unknown',
      ).length,
    })),
  );
  if (!run) return null;
  const hosts = (count: number) => `${count} ${count === 1 ? 'host' : 'hosts'}`;
  const outcome = [
    `${counts.withFacts} with facts`,
    ...(counts.unknownKey > 0 ? [`${counts.unknownKey} with an unknown host key`] : []),
    ...(counts.failed > 0 ? [`${counts.failed} failed`] : []),
  ].join(', ');
  const text =
    run.phase === 'finished'
      ? `Done: ${run.done} of ${hosts(run.total)}; ${outcome}`
      : `Collecting facts: ${run.done} of ${hosts(run.total)} done`;
  return (
    <ProgressStatus className="facts-progress" label="Facts progress" value={run.done} max={run.total} text={text} />
  );
}

function HostResults() {
  const hosts = useAirspray((state) => state.hostAccess);
  if (hosts.length === 0) return null;
  return (
    <>
      <ul className="host-cards" aria-label="Host facts">
        {hosts.map((host) => (
          <HostCard key={host.address} host={host} />
        ))}
      </ul>
      <UseHostsBar />
    </>
  );
}

function UseHostsBar() {
  const { chosen, using, result, projectName } = useAirspray(
    useShallow((state) => ({
      chosen: selectHostsForPlan(state).length,
      using: state.usingHosts,
      result: state.useHostsResult,
      projectName: state.currentProject?.name ?? null,
    })),
  );
  const addHostsToPlan = useAirspray((state) => state.addHostsToPlan);
  const anyAnswered = useAirspray((state) => state.hostAccess.some((host) => host.outcome?.state === 'ok'));
  if (!anyAnswered) return null;
  return (
    <div className="use-hosts">
      <div className="use-hosts__text">
        <p>
          <strong>
            {projectName ? `Put the ticked hosts into ${projectName}` : 'Open a project to keep these hosts'}
          </strong>
        </p>
        <p className="small muted">
          Hosts whose checks all pass or only warn are ticked; a host with a failed check stays out unless you tick it.
          Each goes in with its facts (OS, architecture, CPUs, memory, addresses); the Roles step shows them.
        </p>
        {result && (
          <p
            className={result.kind === 'ok' ? 'use-hosts__ok' : 'field-error'}
            role={result.kind === 'ok' ? 'status' : 'alert'}
          >
            {result.kind === 'ok' ? <CheckIcon /> : <AlertIcon />} {result.text}
          </p>
        )}
      </div>
      <button
        type="button"
        className="btn btn--primary"
        disabled={using || chosen === 0 || !projectName}
        onClick={() => void addHostsToPlan()}
      >
        Use these hosts ({chosen})
      </button>
    </div>
  );
}
