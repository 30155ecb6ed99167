import type { Api } from '../../electron/common/api';
import type { CoreMessage } from '../../electron/common/core-messages';
import { describeReported } from '../api/describe-error';
import type { AppLocale } from '../i18n/locales';
import type { ChecklistState } from './deploy-prep-slice';
import { fieldErrorOf, type FieldError } from './field-error';
import { formatIn } from '../i18n/english-intl';

/** A push on the Deploy step (the bundle to the deploy node, or the images into Harbor) as its item shows it. */
export interface PushState<Progress, Result> {
  state: ChecklistState;
  pushId: string | null;
  progress: Progress | null;
  result: Result | null;
  cancelled: boolean;
  cancelling: boolean;
  error: FieldError | null;
}

/** A push not started yet: every push's state starts from it. */
export const idlePush: PushState<never, never> = {
  state: 'pending',
  pushId: null,
  progress: null,
  result: null,
  cancelled: false,
  cancelling: false,
  error: null,
};

interface PushEventLike<Progress, Result> {
  pushId: string;
  state: 'running' | 'finished' | 'failed' | 'cancelled';
  progress?: Progress | undefined;
  result?: Result | undefined;
  error?: (FieldError & { i18n?: CoreMessage | undefined }) | undefined;
}

/**
 * The push after one of its events, and the action name for the store's log; a cancelled push is to do again. A
 * failure is said in `locale`.
 */
export function applyPushEvent<Progress, Result, Push extends PushState<Progress, Result>>(
  push: Push,
  event: PushEventLike<Progress, Result>,
  locale: AppLocale,
): { push: Push; ended: 'pushProgress' | 'pushFinished' | 'pushEnded' } {
  if (event.state === 'running') {
    return {
      push: { ...push, state: 'working', pushId: event.pushId, progress: event.progress ?? push.progress, error: null },
      ended: 'pushProgress',
    };
  }
  if (event.state === 'finished')
    return {
      push: { ...push, state: 'done', pushId: null, result: event.result ?? null, cancelling: false },
      ended: 'pushFinished',
    };
  const cancelled = event.state === 'cancelled';
  const error = cancelled ? null : failureOf(event.error, locale);
  return {
    push: { ...push, state: cancelled ? 'pending' : 'failed', pushId: null, cancelled, cancelling: false, error },
    ended: 'pushEnded',
  };
}

function failureOf(reported: PushEventLike<unknown, unknown>['error'], locale: AppLocale): FieldError {
  if (!reported) return { message: formatIn(locale, 'deploy.push.failedNoReason') };
  const message = describeReported(reported, locale);
  return reported.field === undefined ? { message } : { message, field: reported.field };
}

/**
 * Starts a push: working at once, with its id once the core answers (unless its events ended it by then), or failed
 * with the core's reason. `stillOn` says whether the push's project is still the open one.
 */
export async function startPush<Push extends PushState<unknown, unknown>>(
  begin: () => Promise<{ pushId: string }>,
  initial: Push,
  current: () => Push,
  write: (push: Push, action: string) => void,
  stillOn: () => boolean,
): Promise<void> {
  write({ ...initial, state: 'working' }, 'push');
  try {
    const { pushId } = await begin();
    if (stillOn() && current().state === 'working') write({ ...current(), pushId }, 'pushStarted');
  } catch (error) {
    if (stillOn()) write({ ...initial, state: 'failed', error: fieldErrorOf(error) }, 'pushFailed');
  }
}

/** Asks the core to cancel the push (its events then end it); `write` stores the push under an action name. */
export async function cancelPush<Push extends PushState<unknown, unknown>>(
  api: Api,
  current: () => Push,
  write: (push: Push, action: string) => void,
): Promise<void> {
  const { pushId } = current();
  if (!pushId) return;
  write({ ...current(), cancelling: true }, 'pushCancel');
  try {
    const { cancelled } = await api.call('deploy.cancelPush', { pushId });
    if (!cancelled) write({ ...current(), cancelling: false }, 'pushCancelLate');
  } catch (error) {
    write({ ...current(), cancelling: false, error: fieldErrorOf(error) }, 'pushCancelFailed');
  }
}
