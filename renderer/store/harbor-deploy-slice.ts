import type { Api, ApiResult } from '../../electron/common/api';
import type { ImagePushEvent } from '../../electron/common/deploy-api';
import type { SliceCreator } from './airspray-state';
import type { ChecklistState } from './deploy-prep-slice';
import { fieldErrorOf, type FieldError } from './field-error';
import { applyPushEvent, cancelPush, idlePush, startPush, type PushState } from './push-state';
import { isRefusal, isStillOpen, openProjectId, sshCallParams } from './session-slice';

export type ImagePushProgress = NonNullable<ImagePushEvent['progress']>;
export type ImagePushResult = NonNullable<ImagePushEvent['result']>;
export type CaTrustResult = ApiResult<'deploy.trustHarborCa'>;

export interface HarborPushState extends PushState<ImagePushProgress, ImagePushResult> {
  /** The project these belong to: another project's push is not shown. */
  projectId: string | null;
}

export interface HarborCaTrustState {
  projectId: string | null;
  state: ChecklistState;
  result: CaTrustResult | null;
  error: FieldError | null;
}

/**
 * The Deploy step's Harbor items: the bundle's images pushed into Harbor, and Harbor's CA in every host's trust store.
 */
export interface HarborDeploySlice {
  harborPush: HarborPushState;
  harborCaTrust: HarborCaTrustState;
  /** The password goes to this one call and is not kept. */
  pushImagesToHarbor(harborPassword: string): Promise<void>;
  cancelHarborPush(): Promise<void>;
  trustHarborCa(): Promise<void>;
  /** Follows `deploy.imagePushProgress` for the open project until called. */
  watchHarborPush(): () => void;
}

export const initialHarborPush: HarborPushState = { ...idlePush, projectId: null };
export const initialHarborCaTrust: HarborCaTrustState = {
  projectId: null,
  state: 'pending',
  result: null,
  error: null,
};

export function createHarborDeploySlice(api: Api): SliceCreator<HarborDeploySlice> {
  return (set, get) => {
    const onPushEvent = (event: ImagePushEvent) => {
      if (!isStillOpen(get(), event.projectId)) return;
      const push =
        get().harborPush.projectId === event.projectId
          ? get().harborPush
          : { ...initialHarborPush, projectId: event.projectId };
      const next = applyPushEvent(push, event, get().locale);
      set({ harborPush: next.push }, false, `harbor/${next.ended}`);
    };

    return {
      harborPush: initialHarborPush,
      harborCaTrust: initialHarborCaTrust,

      pushImagesToHarbor: async (harborPassword) => {
        const id = openProjectId(get());
        if (!id) return;
        await startPush(
          () => api.call('deploy.pushImages', { projectId: id, ...(harborPassword ? { harborPassword } : {}) }),
          { ...initialHarborPush, projectId: id },
          () => get().harborPush,
          (harborPush, action) => set({ harborPush }, false, `harbor/${action}`),
          () => get().harborPush.projectId === id,
        );
      },

      cancelHarborPush: () =>
        cancelPush(
          api,
          () => get().harborPush,
          (harborPush, action) => set({ harborPush }, false, `harbor/${action}`),
        ),

      trustHarborCa: async () => {
        const id = openProjectId(get());
        const params = sshCallParams(get());
        if (!id || !params) return;
        if (isRefusal(params)) {
          set(
            { harborCaTrust: { ...initialHarborCaTrust, projectId: id, state: 'failed', error: params } },
            false,
            'harbor/trustRefused',
          );
          return;
        }
        set({ harborCaTrust: { ...initialHarborCaTrust, projectId: id, state: 'working' } }, false, 'harbor/trust');
        try {
          const result = await api.call('deploy.trustHarborCa', params);
          set(
            { harborCaTrust: { projectId: id, state: result.ok ? 'done' : 'failed', result, error: null } },
            false,
            'harbor/trustDone',
          );
        } catch (error) {
          set(
            { harborCaTrust: { ...initialHarborCaTrust, projectId: id, state: 'failed', error: fieldErrorOf(error) } },
            false,
            'harbor/trustFailed',
          );
        }
      },

      watchHarborPush: () => api.subscribe('deploy.imagePushProgress', onPushEvent),
    };
  };
}

/** `value` when it belongs to the open project, else `initial`: another project's state is shown as not started. */
function ofOpenProject<T extends { projectId: string | null }>(
  value: T,
  initial: T,
  currentProject: { id: string } | null,
): T {
  return value.projectId !== null && value.projectId === currentProject?.id ? value : initial;
}

/** The open project's image push. */
export const selectHarborPush = (state: {
  currentProject: { id: string } | null;
  harborPush: HarborPushState;
}): HarborPushState => ofOpenProject(state.harborPush, initialHarborPush, state.currentProject);

export const selectHarborCaTrust = (state: {
  currentProject: { id: string } | null;
  harborCaTrust: HarborCaTrustState;
}): HarborCaTrustState => ofOpenProject(state.harborCaTrust, initialHarborCaTrust, state.currentProject);
