import { FormattedMessage, useIntl } from 'react-intl';
import { useShallow } from 'zustand/react/shallow';
import { selectFactsRunning, selectHostsForPlan } from '../../store/access-slice';
import { useAirspray } from '../../store/store-context';
import { AlertIcon, CheckIcon } from '../../ui/icons';
import { CredentialForm } from './credential-form';
import { CredentialList } from './credential-list';
import { HostCardList } from './host-card-list';
import { ChangedKeyAlerts, KeyListOutcome, UnknownKeysPanel } from './host-key-panels';
import { ProgressStatus } from '../../ui/progress-status';
import { TextAreaField } from '../../ui/text-field';
import './access.css';
import { ErrorText } from '../../ui/error-text';
import { ActionForm } from '../../ui/action-form';
import { Note } from '../../ui/note';

/** Credential profiles, then facts and pre-flight checks for the hosts Discover found (or typed ones). */
export function AccessStep() {
  return (
    <div className="access-step">
      <p className="lead">
        <FormattedMessage id="access.lead" />
      </p>

      <section aria-labelledby="profiles-title">
        <h2 id="profiles-title" className="section-title">
          <FormattedMessage id="access.profiles.title" />
        </h2>
        <div className="credentials">
          <CredentialForm />
          <CredentialList />
        </div>
      </section>

      <section aria-labelledby="hosts-title">
        <h2 id="hosts-title" className="section-title">
          <FormattedMessage id="access.hosts.title" />
        </h2>
        <HostsForm />
        <FactsProgress />
        <ChangedKeyAlerts />
        <KeyListOutcome />
        <UnknownKeysPanel />
        <HostResults />
      </section>
    </div>
  );
}

function HostsForm() {
  const intl = useIntl();
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
    <ActionForm className="hosts-form" labelId="access.hosts.collect" onSubmit={() => void collectFacts()}>
      <TextAreaField
        label={intl.formatMessage({ id: 'access.hosts.label' })}
        error={error}
        hint={intl.formatMessage({ id: 'access.hosts.hint' })}
        inputClassName="input textarea input--mono"
        value={text}
        placeholder="10.0.0.11 10.0.0.12"
        onChange={setText}
      />
      <div className="hosts-form__actions">
        <button type="submit" className="btn btn--primary" disabled={running}>
          <FormattedMessage id="access.hosts.collect" />
        </button>
        <span className="small muted">
          {profile ? (
            <FormattedMessage id="access.hosts.asProfile" values={{ profile }} />
          ) : (
            <FormattedMessage id="access.hosts.noProfile" />
          )}
        </span>
      </div>
      <ErrorText message={factsError} />
    </ActionForm>
  );
}

function FactsProgress() {
  const intl = useIntl();
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
  const text = intl.formatMessage(
    { id: run.phase === 'finished' ? 'access.progress.finished' : 'access.progress.running' },
    { done: run.done, total: run.total, ...counts },
  );
  const label = intl.formatMessage({ id: 'access.progress.label' });
  return <ProgressStatus className="facts-progress" label={label} value={run.done} max={run.total} text={text} />;
}

function HostResults() {
  const hosts = useAirspray((state) => state.hostAccess);
  if (hosts.length === 0) return null;
  return (
    <>
      <HostCardList hosts={hosts} />
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
            {projectName ? (
              <FormattedMessage id="access.use.into" values={{ project: projectName }} />
            ) : (
              <FormattedMessage id="access.use.noProject" />
            )}
          </strong>
        </p>
        <Note id="access.use.hint" small />
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
        <FormattedMessage id="access.use.button" values={{ count: chosen }} />
      </button>
    </div>
  );
}
