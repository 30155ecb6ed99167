import { useIntl, type IntlShape } from 'react-intl';
import { useShallow } from 'zustand/react/shallow';
import type { MessageId } from '../../i18n/catalogs';
import type { PushProgress, PushResult } from '../../store/deploy-prep-slice';
import { useAirspray } from '../../store/store-context';
import { formatBytes } from '../../../electron/common/format-bytes';
import { ChecklistItem, selectBundleServed, useMainButtonClass } from './checklist-item';
import { PushButtons, PushStatus, type PushWords } from './push-controls';
import { describeBytesDone, describeSpeed } from './push-progress-text';

const phaseText: Record<Exclude<PushProgress['phase'], 'checking'>, MessageId> = {
  sending: 'deploy.bundle.phase.sending',
  verifying: 'deploy.bundle.phase.verifying',
  done: 'deploy.push.phase.finishing',
};

function describePush(intl: IntlShape, progress: PushProgress): string {
  if (progress.phase === 'checking')
    return intl.formatMessage({ id: 'deploy.bundle.checking' }, { files: progress.filesTotal });
  return [
    intl.formatMessage({ id: phaseText[progress.phase] }),
    describeBytesDone(intl, progress),
    intl.formatMessage({ id: 'deploy.bundle.files' }, { done: progress.filesDone, total: progress.filesTotal }),
    ...describeSpeed(intl, progress),
    intl.formatMessage({ id: 'deploy.bundle.reconnects' }, { count: progress.reconnects }),
  ].join(' · ');
}

const describeResult = (intl: IntlShape, result: PushResult): string =>
  intl.formatMessage(
    { id: 'deploy.bundle.result' },
    {
      sent: result.filesSent,
      bytes: formatBytes(result.bytesSent, intl.locale),
      skipped: result.filesSkipped,
      total: result.filesTotal,
      reconnects: result.reconnects,
      seconds: result.seconds,
    },
  );

/** What the progress bar and the notes below the buttons say. */
const pushWords: PushWords = {
  progressLabel: 'deploy.bundle.progress',
  starting: 'deploy.bundle.starting',
  cancelled: 'deploy.bundle.cancelled',
};

/** Step 2: the verified bundle sent to the deploy node, only what differs, with progress, cancel and the outcome. */
export function BundlePushItem() {
  const intl = useIntl();
  const mainButton = useMainButtonClass(2);
  const { push, bundleId, deployNode } = useAirspray(
    useShallow((state) => ({
      push: state.bundlePush,
      bundleId: state.currentProject?.cluster.bundle?.bundleId,
      deployNode: state.currentProject?.cluster.deployNode,
    })),
  );
  const pushBundle = useAirspray((state) => state.pushBundle);
  const cancel = useAirspray((state) => state.cancelBundlePush);
  const served = useAirspray(selectBundleServed);
  const summary = push.result
    ? intl.formatMessage({ id: 'deploy.bundle.in' }, { destination: push.result.destination })
    : !bundleId
      ? intl.formatMessage({ id: 'deploy.bundle.noBundle' })
      : served
        ? intl.formatMessage({ id: 'deploy.bundle.served' })
        : intl.formatMessage(
            { id: 'deploy.bundle.todo' },
            { bundle: bundleId, hasNode: Boolean(deployNode), node: deployNode ?? '' },
          );

  return (
    <ChecklistItem number={2} titleId="deploy.bundle.title" state={push.state} summary={summary}>
      <div className="checklist-item__actions">
        <PushButtons
          push={push}
          className={mainButton}
          labelId="deploy.bundle.push"
          onPush={() => void pushBundle()}
          cancel={cancel}
        />
      </div>
      <PushStatus push={push} words={pushWords} describe={(progress) => describePush(intl, progress)}>
        {push.result && (
          <p className="small" role="status">
            {describeResult(intl, push.result)}
          </p>
        )}
      </PushStatus>
    </ChecklistItem>
  );
}
