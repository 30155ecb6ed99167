import { useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { selectHarborPush, type ImagePushProgress, type ImagePushResult } from '../../store/harbor-deploy-slice';
import { useAirspray } from '../../store/store-context';
import { AlertIcon } from '../../ui/icons';
import { formatBytes } from '../../../electron/common/format-bytes';
import { formatEta } from '../bundle/format-verification';
import { ChecklistItem, useMainButtonClass } from './checklist-item';
import './harbor.css';
import { PushButtons, PushStatus, type PushWords } from './push-controls';

const phaseText: Record<ImagePushProgress['phase'], string> = {
  checking: 'Asking Harbor what it has',
  pushing: 'Pushing',
  done: 'Finishing',
};

function describeProgress(progress: ImagePushProgress): string {
  return [
    phaseText[progress.phase],
    `${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)}`,
    `blobs ${progress.blobsDone} of ${progress.blobsTotal} (${progress.blobsSkipped} already there or mounted)`,
    `images ${progress.imagesDone} of ${progress.imagesTotal}`,
    `${formatBytes(progress.rateBytesPerSecond)}/s`,
    formatEta(progress.etaSeconds),
  ].join(' · ');
}

function describeResult(result: ImagePushResult): string {
  return (
    `${result.images.length} images in ${result.registry}: ${result.blobsSent} blobs sent (${formatBytes(result.bytesSent)}), ` +
    `${result.blobsSkipped} already there, ${result.blobsMounted} mounted from another repository; ` +
    `${result.manifestsSent} manifests sent, ${result.manifestsSkipped} already there; ${result.seconds.toFixed(1)} s.`
  );
}

/** What the progress bar and the notes below the buttons say. */
const pushWords: PushWords = {
  progressLabel: 'Image push progress',
  starting: 'Logging in…',
  cancelled: 'Push cancelled: what reached Harbor stays, and the next push skips it.',
};

/**
 * For Harbor plans: the bundle's images pushed from here into Harbor, with the operator's password for this push only.
 */
export function HarborPushItem({ number }: { number: number }) {
  const passwordId = useId();
  // Held by this field only until the push starts: never in the store, never kept after the call.
  const [password, setPassword] = useState('');
  const mainButton = useMainButtonClass(number);
  const push = useAirspray(useShallow(selectHarborPush));
  const registry = useAirspray((state) => state.currentProject?.cluster.settings.registry);
  const pushImages = useAirspray((state) => state.pushImagesToHarbor);
  const cancel = useAirspray((state) => state.cancelHarborPush);
  if (registry?.kind !== 'harbor') return null;
  const working = push.state === 'working';
  const start = () => {
    void pushImages(password);
    setPassword('');
  };
  const summary = push.result
    ? describeResult(push.result)
    : `Into ${registry.address}/${registry.project}${registry.username ? ` as ${registry.username}` : ''}: blobs Harbor has already are skipped, shared ones mounted.`;

  return (
    <ChecklistItem number={number} title="Push images to Harbor" state={push.state} summary={summary}>
      <form
        className="checklist-item__actions harbor-push__form"
        onSubmit={(event) => {
          event.preventDefault();
          start();
        }}
      >
        <label className="field-label harbor-push__label" htmlFor={passwordId}>
          Harbor password{registry.username ? ` of ${registry.username}` : ''}
        </label>
        <input
          id={passwordId}
          className="input harbor-push__password"
          type="password"
          autoComplete="off"
          value={password}
          disabled={working}
          aria-invalid={push.error?.field === 'harborPassword' ? true : undefined}
          placeholder="used for this push only"
          onChange={(event) => setPassword(event.target.value)}
        />
        <PushButtons push={push} className={mainButton} label="Push images" cancel={cancel} />
      </form>
      <PushStatus push={push} words={pushWords} describe={describeProgress}>
        {push.result && !push.result.anonymousPull && (
          <div className="callout callout--attention harbor-push__warning" role="alert">
            <AlertIcon />
            <div className="callout__body">
              Harbor refuses pulls without a login, so the nodes will fail to pull these images: make the project{' '}
              <strong>{registry.project}</strong> public in Harbor (Projects → {registry.project} → Configuration →
              Public). Kubespray 2.23 could only hand containerd a password in plain text in the inventory, which
              Airspray never writes.
            </div>
          </div>
        )}
      </PushStatus>
    </ChecklistItem>
  );
}
