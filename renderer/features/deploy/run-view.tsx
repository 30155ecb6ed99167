import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useShallow } from 'zustand/react/shallow';
import type { RunRecord, RunState } from '../../../electron/common/run';
import type { MessageId } from '../../i18n/catalogs';
import { useAirspray } from '../../store/store-context';
import { selectShownRun } from '../../store/runs-slice';
import { RunDigestPanel } from './run-digest-panel';
import { RunTerminal } from './run-terminal';
import { ErrorText } from '../../ui/error-text';
import { formatDateTime } from '../../ui/format-date-time';
import { ConfirmRow } from '../../ui/confirm-row';

const stateText: Record<RunState, MessageId> = {
  running: 'run.state.running',
  succeeded: 'run.state.succeeded',
  failed: 'run.state.failed',
  cancelled: 'run.state.cancelled',
  refused: 'run.state.refused',
  lost: 'run.state.lost',
};

export function RunStateBadge({ state }: { state: RunState }) {
  return (
    <span className={`badge run-state run-state--${state}`}>
      <FormattedMessage id={stateText[state]} />
    </span>
  );
}

function CancelControl({ run }: { run: RunRecord }) {
  const [confirming, setConfirming] = useState(false);
  const { cancelling, cancelError } = useAirspray(
    useShallow((state) => ({ cancelling: state.cancellingRunId === run.id, cancelError: state.cancelError })),
  );
  const cancelRun = useAirspray((state) => state.cancelRun);
  if (run.state !== 'running') return null;
  return (
    <div className="run-cancel">
      {confirming ? (
        <ConfirmRow
          className="run-cancel__confirm"
          labelId="run.cancel.label"
          question={<FormattedMessage id="run.cancel.question" values={{ playbook: run.playbook }} />}
          confirmId="run.cancel.stop"
          keepId="run.cancel.keep"
          tone="danger"
          disabled={cancelling}
          onConfirm={() => void cancelRun(run.id).then(() => setConfirming(false))}
          onKeep={() => setConfirming(false)}
        />
      ) : (
        <button type="button" className="btn" onClick={() => setConfirming(true)}>
          <FormattedMessage id="run.cancel.button" />
        </button>
      )}
      <ErrorText message={cancelError} />
    </div>
  );
}

/**
 * Attaches `run` again when it is still going on the deploy node but this window is not following it (after a reload,
 * a restart or a lost link), with the selected profile: a refused attach is tried again when another is picked.
 */
function useFollowRun(run: RunRecord | undefined) {
  const attached = useAirspray((state) => state.attachedRunIds);
  const credentialId = useAirspray((state) => state.selectedCredentialId);
  const attachRun = useAirspray((state) => state.attachRun);
  const runId = run?.id;
  const running = run?.state === 'running';

  // A layout effect, so the request leaves before the terminal's own effect sets xterm up (children's effects run
  // first).
  useLayoutEffect(() => {
    if (runId && running && !attached.includes(runId)) void attachRun(runId);
  }, [runId, running, attached, credentialId, attachRun]);
}

/**
 * Brings a run that starts, or is picked up while it runs, onto the screen: the operator came to watch it, and xterm
 * paints nothing while its terminal is scrolled out of view. A finished run shown on opening a step stays where it is.
 */
function useScrollToLiveRun(section: RefObject<HTMLElement | null>, run: RunRecord | undefined) {
  const runId = run?.id;
  const running = run?.state === 'running';
  useEffect(() => {
    if (runId && running) section.current?.scrollIntoView({ block: 'nearest' });
  }, [section, runId, running]);
}

/** The run the steps show: its terminal and summary, followed live while it runs. */
export function RunView() {
  const intl = useIntl();
  const run = useAirspray(selectShownRun);
  const attachError = useAirspray((state) => state.attachError);
  const section = useRef<HTMLElement>(null);
  useFollowRun(run);
  useScrollToLiveRun(section, run);

  if (!run) return null;
  const running = run.state === 'running';
  return (
    <section ref={section} className="run-view" aria-label={intl.formatMessage({ id: 'run.label' }, { id: run.id })}>
      <header className="run-view__header">
        <div>
          <h2 className="section-title">
            {run.playbook} <RunStateBadge state={run.state} />
          </h2>
          <p className="small muted">
            <FormattedMessage
              id="run.started"
              values={{
                started: formatDateTime(run.startedAt, intl.locale),
                user: run.startedBy,
                node: run.deployNode,
                hasEnd: Boolean(run.finishedAt),
                ended: run.finishedAt ? formatDateTime(run.finishedAt, intl.locale) : '',
                hasExit: run.exitCode !== undefined,
                exitCode: run.exitCode ?? '',
              }}
            />
          </p>
          <code className="run-view__command">{run.commandLine}</code>
        </div>
        <CancelControl run={run} />
      </header>
      {attachError && running && (
        <p className="field-error" role="alert">
          {attachError}
        </p>
      )}
      <div className="run-view__body">
        <RunTerminal key={run.id} runId={run.id} logBytes={running ? 0 : run.logBytes} />
        <RunDigestPanel digest={run.digest} running={running} />
      </div>
    </section>
  );
}
