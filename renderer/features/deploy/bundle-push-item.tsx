import { useShallow } from 'zustand/react/shallow';
import type { PushProgress, PushResult } from '../../store/deploy-prep-slice';
import { useAirspray } from '../../store/store-context';
import { formatBytes } from '../../../electron/common/format-bytes';
import { formatEta } from '../bundle/format-verification';
import { ChecklistItem, selectBundleServed, useMainButtonClass } from './checklist-item';
import { PushButtons, PushStatus, type PushWords } from './push-controls';

const phaseText: Record<Exclude<PushProgress['phase'], 'checking'>, string> = {
  sending: 'Sending',
  verifying: 'Checking sha256 on the deploy node',
  done: 'Finishing',
};

function describePush(progress: PushProgress): string {
  if (progress.phase === 'checking') return `Comparing ${progress.filesTotal} files with what the deploy node holds…`;
  const parts = [
    phaseText[progress.phase],
    `${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)}`,
    `${progress.filesDone} of ${progress.filesTotal} files`,
    `${formatBytes(progress.rateBytesPerSecond)}/s`,
    formatEta(progress.etaSeconds),
    `${progress.reconnects} ${progress.reconnects === 1 ? 'reconnect' : 'reconnects'}`,
  ];
  return parts.join(' · ');
}

function describeResult(result: PushResult): string {
  const sent =
    result.filesSent === 0 ? 'Nothing to send' : `Sent ${result.filesSent} files (${formatBytes(result.bytesSent)})`;
  const reconnects =
    result.reconnects > 0 ? `, ${result.reconnects} ${result.reconnects === 1 ? 'reconnect' : 'reconnects'}` : '';
  return `${sent}; ${result.filesSkipped} of ${result.filesTotal} already there with the same sha256${reconnects}; ${result.seconds.toFixed(1)} s.`;
}

/** What the progress bar and the notes below the buttons say. */
const pushWords: PushWords = {
  progressLabel: 'Push progress',
  starting: 'Starting: comparing with what the deploy node holds…',
  cancelled: 'Push cancelled: what reached the node stays, and the next push resumes from it.',
};

/** Step 2: the verified bundle sent to the deploy node, only what differs, with progress, cancel and the outcome. */
export function BundlePushItem() {
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
    ? `In ${push.result.destination}.`
    : !bundleId
      ? 'No bundle chosen: pick one on the Settings step.'
      : served
        ? 'Not pushed from this window, but the deploy node serves this bundle (see the service check). Push again to compare every file: an unchanged bundle takes about a second.'
        : `${bundleId} to ${deployNode ?? 'the deploy node'}: only files not there with the same sha256 travel; a dropped link resumes at the byte.`;

  return (
    <ChecklistItem number={2} title="Bundle pushed to the deploy node" state={push.state} summary={summary}>
      <div className="checklist-item__actions">
        <PushButtons
          push={push}
          className={mainButton}
          label="Push the bundle"
          onPush={() => void pushBundle()}
          cancel={cancel}
        />
      </div>
      <PushStatus push={push} words={pushWords} describe={describePush}>
        {push.result && (
          <p className="small" role="status">
            {describeResult(push.result)}
          </p>
        )}
      </PushStatus>
    </ChecklistItem>
  );
}
