import { useId, useState } from 'react';
import { FormattedMessage, useIntl, type IntlShape } from 'react-intl';
import { useShallow } from 'zustand/react/shallow';
import type { MessageId } from '../../i18n/catalogs';
import { selectHarborPush, type ImagePushProgress, type ImagePushResult } from '../../store/harbor-deploy-slice';
import { useAirspray } from '../../store/store-context';
import { formatBytes } from '../../../electron/common/format-bytes';
import { ChecklistItem, useMainButtonClass } from './checklist-item';
import './harbor.css';
import { PushButtons, PushStatus, type PushWords } from './push-controls';
import { describeBytesDone, describeSpeed } from './push-progress-text';
import { Callout } from '../../ui/callout';

const phaseText: Record<ImagePushProgress['phase'], MessageId> = {
  checking: 'deploy.harborPush.phase.checking',
  pushing: 'deploy.harborPush.phase.pushing',
  done: 'deploy.push.phase.finishing',
};

function describeProgress(intl: IntlShape, progress: ImagePushProgress): string {
  return [
    intl.formatMessage({ id: phaseText[progress.phase] }),
    describeBytesDone(intl, progress),
    intl.formatMessage(
      { id: 'deploy.harborPush.blobs' },
      { done: progress.blobsDone, total: progress.blobsTotal, skipped: progress.blobsSkipped },
    ),
    intl.formatMessage({ id: 'deploy.harborPush.images' }, { done: progress.imagesDone, total: progress.imagesTotal }),
    ...describeSpeed(intl, progress),
  ].join(' · ');
}

const describeResult = (intl: IntlShape, result: ImagePushResult): string =>
  intl.formatMessage(
    { id: 'deploy.harborPush.result' },
    {
      images: result.images.length,
      registry: result.registry,
      blobsSent: result.blobsSent,
      bytes: formatBytes(result.bytesSent, intl.locale),
      blobsSkipped: result.blobsSkipped,
      blobsMounted: result.blobsMounted,
      manifestsSent: result.manifestsSent,
      manifestsSkipped: result.manifestsSkipped,
      seconds: result.seconds,
    },
  );

/** What the progress bar and the notes below the buttons say. */
const pushWords: PushWords = {
  progressLabel: 'deploy.harborPush.progress',
  starting: 'deploy.harborPush.starting',
  cancelled: 'deploy.harborPush.cancelled',
};

/**
 * For Harbor plans: the bundle's images pushed from here into Harbor, with the operator's password for this push only.
 */
export function HarborPushItem({ number }: { number: number }) {
  const intl = useIntl();
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
  const user = { hasUser: Boolean(registry.username), user: registry.username ?? '' };
  const summary = push.result
    ? describeResult(intl, push.result)
    : intl.formatMessage(
        { id: 'deploy.harborPush.into' },
        { registry: `${registry.address}/${registry.project}`, ...user },
      );

  return (
    <ChecklistItem number={number} titleId="deploy.harborPush.title" state={push.state} summary={summary}>
      <form
        className="checklist-item__actions harbor-push__form"
        onSubmit={(event) => {
          event.preventDefault();
          start();
        }}
      >
        <label className="field-label harbor-push__label" htmlFor={passwordId}>
          <FormattedMessage id="deploy.harborPush.password" values={user} />
        </label>
        <input
          id={passwordId}
          className="input harbor-push__password"
          type="password"
          autoComplete="off"
          value={password}
          disabled={working}
          aria-invalid={push.error?.field === 'harborPassword' ? true : undefined}
          placeholder={intl.formatMessage({ id: 'deploy.harborPush.passwordPlaceholder' })}
          onChange={(event) => setPassword(event.target.value)}
        />
        <PushButtons push={push} className={mainButton} labelId="deploy.harborPush.push" cancel={cancel} />
      </form>
      <PushStatus push={push} words={pushWords} describe={(progress) => describeProgress(intl, progress)}>
        {push.result && !push.result.anonymousPull && (
          <Callout tone="attention" className="harbor-push__warning" role="alert">
            <FormattedMessage id="deploy.harborPush.notPublic" values={{ project: registry.project }} />
          </Callout>
        )}
      </PushStatus>
    </ChecklistItem>
  );
}
