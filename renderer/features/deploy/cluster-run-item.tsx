import { FormattedMessage, useIntl } from 'react-intl';
import { useShallow } from 'zustand/react/shallow';
import type { RunRecord } from '../../../electron/common/run';
import type { ChecklistState } from '../../store/deploy-prep-slice';
import { selectRunningRun } from '../../store/runs-slice';
import { useAirspray } from '../../store/store-context';
import { formatDateTime } from '../../ui/format-date-time';
import { ChecklistItem, MainButton, selectClusterRunNumber } from './checklist-item';
import { parseExtraVars } from './extra-vars';
import { ActionRow } from '../../ui/action-row';

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
  const intl = useIntl();
  const number = useAirspray(selectClusterRunNumber);
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
    const extraVars = parseExtraVars(extraVarsText, intl);
    if (typeof extraVars === 'string') return onExtraVarsError(extraVars);
    void startRun({ playbook: 'cluster.yml', ...(Object.keys(extraVars).length > 0 ? { extraVars } : {}) });
  };
  const fieldless = startError && startError.field !== 'kubesprayDir';
  const summary = lastClusterRun
    ? intl.formatMessage(
        { id: 'deploy.cluster.lastRun' },
        { state: lastClusterRun.state, started: formatDateTime(lastClusterRun.startedAt, intl.locale) },
      )
    : intl.formatMessage({ id: 'deploy.cluster.about' });
  const title = intl.formatMessage({ id: 'deploy.cluster.run' }, { playbook: 'cluster.yml' });

  return (
    <ChecklistItem
      number={number}
      titleId="deploy.cluster.run"
      titleValues={{ playbook: 'cluster.yml' }}
      state={stateOf(lastClusterRun)}
      summary={summary}
    >
      <ActionRow
        className="checklist-item__actions"
        note={running && <FormattedMessage id="deploy.cluster.oneAtATime" values={{ playbook: running.playbook }} />}
      >
        <MainButton number={number} disabled={starting || Boolean(running) || !hasDeployNode} onClick={runCluster}>
          {title}
        </MainButton>
      </ActionRow>
      {fieldless && (
        <p className="field-error" role="alert">
          {startError.message}
        </p>
      )}
    </ChecklistItem>
  );
}
