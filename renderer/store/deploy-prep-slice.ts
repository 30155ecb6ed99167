import type { Api, ApiResult } from '../../electron/common/api';
import type { PushEvent } from '../../electron/common/deploy-api';
import { ApiCallError } from '../api/api-call-error';
import type { SliceCreator } from './airspray-state';
import { fieldErrorOf, type FieldError } from './field-error';
import { applyPushEvent, cancelPush, idlePush, startPush, type PushState } from './push-state';
import { isRefusal, isStillOpen, openProjectId, sshCallParams, type SshCallParams } from './session-slice';
import { formatIn } from '../i18n/english-intl';

export type KeyBootstrapResult = ApiResult<'deploy.bootstrapKeys'>;
export type OfflineServicesResult = ApiResult<'deploy.checkServices'>;
export type PushProgress = NonNullable<PushEvent['progress']>;
export type PushResult = NonNullable<PushEvent['result']>;

/** Where one checklist item stands: what the operator sees beside it. */
export type ChecklistState = 'pending' | 'working' | 'done' | 'failed';

export interface DeployKeysState {
  state: ChecklistState;
  result: KeyBootstrapResult | null;
  /** The key logged in to every host (services answered from each) without a bootstrap in this window. */
  provenByServices: boolean;
  error: FieldError | null;
}

export type BundlePushState = PushState<PushProgress, PushResult>;

export interface OfflineServicesState {
  state: ChecklistState;
  /** What is being done: a check, or writing and starting the units. */
  action: 'check' | 'start' | null;
  result: OfflineServicesResult | null;
  checkedAt: string | null;
  error: FieldError | null;
}

export interface DeployPrepSlice {
  /** The project the three items below belong to. */
  deployPrepProjectId: string | null;
  deployKeys: DeployKeysState;
  bundlePush: BundlePushState;
  offlineServices: OfflineServicesState;
  /** Resets the items when another project is open, then checks the services once (cheap; never pushes). */
  enterDeployStep(): Promise<void>;
  bootstrapDeployKeys(): Promise<void>;
  pushBundle(): Promise<void>;
  cancelBundlePush(): Promise<void>;
  startOfflineServices(): Promise<void>;
  checkOfflineServices(): Promise<void>;
  /** Follows `deploy.pushProgress` for the open project (a push started before a reload too) until called. */
  watchBundlePush(): () => void;
}

const initialKeys: DeployKeysState = { state: 'pending', result: null, provenByServices: false, error: null };
const initialPush: BundlePushState = idlePush;
const initialServices: OfflineServicesState = {
  state: 'pending',
  action: null,
  result: null,
  checkedAt: null,
  error: null,
};
/** The three items not started: the state before the Deploy step, and again when another project is open. */
const initialItems = { deployKeys: initialKeys, bundlePush: initialPush, offlineServices: initialServices };

/** The core's answer when the project has no deploy key yet: the key item is pending, not failed. */
const isNoKeyYet = (error: unknown) => error instanceof ApiCallError && error.code === 'no_deploy_key';

export function createDeployPrepSlice(api: Api): SliceCreator<DeployPrepSlice> {
  return (set, get) => {
    /** Params for every deploy call, or the reason none can be made. */
    const params = (): SshCallParams | FieldError =>
      sshCallParams(get()) ?? { message: formatIn(get().locale, 'session.openProjectFirst') };
    const stillOn = (id: string) => isStillOpen(get(), id) && get().deployPrepProjectId === id;

    const applyServices = (result: OfflineServicesResult, action: string) => {
      // Reports from every host mean the deploy key logged in to each of them.
      const everyHostAnswered = result.reports
        .slice(1)
        .every((report) => report.checks.every((check) => !check.detail.startsWith('no SSH session')));
      const keys = get().deployKeys;
      set(
        {
          offlineServices: {
            state: result.ok ? 'done' : 'failed',
            action: null,
            result,
            checkedAt: new Date().toISOString(),
            error: null,
          },
          ...(keys.state === 'pending' && everyHostAnswered
            ? { deployKeys: { ...keys, state: 'done', provenByServices: true } }
            : {}),
        },
        false,
        action,
      );
    };

    /** `onEntry`: the check made on opening the step; a refusal is shown but leaves the item to do, not failed. */
    const runServices = async (action: 'check' | 'start', onEntry = false) => {
      const request = params();
      if (isRefusal(request)) {
        set(
          { offlineServices: { ...get().offlineServices, state: 'failed', error: request } },
          false,
          'deploy/servicesRefused',
        );
        return;
      }
      set(
        { offlineServices: { ...get().offlineServices, state: 'working', action, error: null } },
        false,
        `deploy/${action}Services`,
      );
      try {
        const result = await api.call(action === 'start' ? 'deploy.startServices' : 'deploy.checkServices', request);
        if (stillOn(request.projectId)) applyServices(result, `deploy/${action}ServicesDone`);
      } catch (error) {
        if (!stillOn(request.projectId)) return;
        if (isNoKeyYet(error)) {
          set(
            { offlineServices: { ...initialServices }, deployKeys: { ...get().deployKeys, state: 'pending' } },
            false,
            'deploy/noKeyYet',
          );
          return;
        }
        set(
          {
            offlineServices: {
              ...get().offlineServices,
              state: onEntry ? 'pending' : 'failed',
              action: null,
              error: fieldErrorOf(error, get().locale),
            },
          },
          false,
          `deploy/${action}ServicesFailed`,
        );
      }
    };

    const onPushEvent = (event: PushEvent) => {
      if (!stillOn(event.projectId)) return;
      const { push, ended } = applyPushEvent(get().bundlePush, event, get().locale);
      set({ bundlePush: push }, false, `deploy/${ended}`);
    };

    return {
      deployPrepProjectId: null,
      ...initialItems,

      enterDeployStep: async () => {
        const id = openProjectId(get());
        if (!id) return;
        if (get().deployPrepProjectId !== id) {
          // Another project's key has another passphrase.
          get().setDeployKeyPassphrase('');
          set({ deployPrepProjectId: id, ...initialItems }, false, 'deploy/project');
        }
        const { offlineServices, selectedCredentialId } = get();
        if (selectedCredentialId && offlineServices.checkedAt === null && offlineServices.state === 'pending')
          await runServices('check', true);
      },

      bootstrapDeployKeys: async () => {
        const request = params();
        if (isRefusal(request)) {
          set({ deployKeys: { ...get().deployKeys, state: 'failed', error: request } }, false, 'deploy/keysRefused');
          return;
        }
        set({ deployKeys: { ...get().deployKeys, state: 'working', error: null } }, false, 'deploy/keys');
        try {
          const result = await api.call('deploy.bootstrapKeys', request);
          if (!stillOn(request.projectId)) return;
          const ok = result.hosts.every((host) => host.ok);
          set(
            { deployKeys: { state: ok ? 'done' : 'failed', result, provenByServices: false, error: null } },
            false,
            'deploy/keysDone',
          );
        } catch (error) {
          if (stillOn(request.projectId))
            set(
              { deployKeys: { ...get().deployKeys, state: 'failed', error: fieldErrorOf(error, get().locale) } },
              false,
              'deploy/keysFailed',
            );
        }
      },

      pushBundle: async () => {
        const request = params();
        if (isRefusal(request)) {
          set({ bundlePush: { ...get().bundlePush, state: 'failed', error: request } }, false, 'deploy/pushRefused');
          return;
        }
        await startPush(
          () => api.call('deploy.pushBundle', request),
          initialPush,
          () => get().bundlePush,
          (bundlePush, action) => set({ bundlePush }, false, `deploy/${action}`),
          () => stillOn(request.projectId),
        );
      },

      cancelBundlePush: () =>
        cancelPush(
          api,
          () => get().bundlePush,
          (bundlePush, action) => set({ bundlePush }, false, `deploy/${action}`),
        ),

      startOfflineServices: () => runServices('start'),
      checkOfflineServices: () => runServices('check'),

      watchBundlePush: () => api.subscribe('deploy.pushProgress', onPushEvent),
    };
  };
}
