import type { ReactNode } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import type { MessageId } from '../../i18n/catalogs';
import type { PushState } from '../../store/push-state';
import { ByteProgress } from './byte-progress';
import { ChecklistError } from './checklist-item';

type BytePush = PushState<{ bytesDone: number; bytesTotal: number }, unknown>;

/**
 * A push's main button (a submit button when `onPush` is left out, for a push started by its form) and, while it
 * runs, its cancel.
 */
export function PushButtons({
  push,
  className,
  labelId,
  onPush,
  cancel,
}: {
  push: BytePush;
  className: string;
  /** The button's text until the push is done; then it pushes again. */
  labelId: MessageId;
  onPush?: () => void;
  cancel: () => Promise<void>;
}) {
  const working = push.state === 'working';
  return (
    <>
      <button type={onPush ? 'button' : 'submit'} className={className} disabled={working} onClick={onPush}>
        <FormattedMessage id={push.state === 'done' ? 'deploy.push.again' : labelId} />
      </button>
      {working && <CancelPushButton push={push} cancel={cancel} />}
    </>
  );
}

/** Cancels a running push; off until the push has its id, and while the cancel is on its way. */
function CancelPushButton({
  push,
  cancel,
}: {
  push: { pushId: string | null; cancelling: boolean };
  cancel: () => Promise<void>;
}) {
  return (
    <button
      type="button"
      className="btn btn--ghost"
      disabled={push.cancelling || !push.pushId}
      onClick={() => void cancel()}
    >
      <FormattedMessage id="deploy.push.cancel" />
    </button>
  );
}

/** A push's fixed words: its progress bar's accessible name, the line before its first progress, and after a cancel. */
export interface PushWords {
  progressLabel: MessageId;
  starting: MessageId;
  cancelled: MessageId;
}

/**
 * Below a push's buttons: its progress while it runs, what it left (`children`), the note when it was cancelled, and
 * its error.
 */
export function PushStatus<Progress extends { bytesDone: number; bytesTotal: number }>({
  push,
  words,
  describe,
  children,
}: {
  push: PushState<Progress, unknown>;
  words: PushWords;
  describe: (progress: Progress) => string;
  children?: ReactNode;
}) {
  const intl = useIntl();
  const working = push.state === 'working';
  return (
    <>
      {working && (
        <ByteProgress
          label={intl.formatMessage({ id: words.progressLabel })}
          bytesDone={push.progress?.bytesDone}
          bytesTotal={push.progress?.bytesTotal}
          text={push.progress ? describe(push.progress) : intl.formatMessage({ id: words.starting })}
        />
      )}
      {!working && children}
      {push.cancelled && !working && (
        <p className="small muted" role="status">
          <FormattedMessage id={words.cancelled} />
        </p>
      )}
      <ChecklistError error={push.error} />
    </>
  );
}
