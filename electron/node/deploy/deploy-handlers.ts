import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { ApiEventName, ApiEventPayload } from '../../common/api';
import type { deployApiMethods } from '../../common/deploy-api';
import { AirsprayError } from '../../common/errors';
import { hostKeyStoreFor } from '../access/access-handlers';
import { openKeySession } from './key-session';
import type { CoreLog } from '../core-log';
import type { CredentialVault } from '../access/credential-vault';
import type { ApiHandlers } from '../api/dispatch-api-call';
import type { BundleLocation } from '../bundles/find-bundles';
import type { ProjectStore } from '../projects/project-store';
import { planHosts, resolveDeployContext } from './deploy-context';
import type { DeployKeyStore } from './deploy-key-store';
import { pushProjectImages } from './harbor/push-images';
import { trustHarborCa } from './harbor/trust-ca';
import {
  checkProjectServices,
  pushJournalFileName,
  pushProjectBundle,
  startProjectServices,
  type KeySession,
} from './deploy-operations';
import { bootstrapDeployKey } from './key-bootstrap';
import { pointPackageSources, restorePackageSources } from './package-sources';
import { coreError } from '../i18n/format-core-message';

export interface DeployDependencies {
  dataDir: string;
  projects: ProjectStore;
  vault: CredentialVault;
  bundleLocations: readonly BundleLocation[];
  /** Shared with the runs, which log in with the key the bootstrap made (a memory-only key lives in this store). */
  keys: DeployKeyStore;
  emit: <E extends ApiEventName>(event: E, payload: ApiEventPayload<E>) => void;
  log: CoreLog;
}

type PushEventName = 'deploy.pushProgress' | 'deploy.imagePushProgress';
/**
 * A push event without its ids (the casts below: TypeScript cannot narrow a payload union over a generic event name).
 */
type PushUpdate<E extends PushEventName> = Omit<ApiEventPayload<E>, 'pushId' | 'projectId'>;

/** Pushes that run on after their call answered, each reporting through its event until it ends, cancellable by id. */
class BackgroundPushes {
  private readonly pushes = new Map<string, AbortController>();

  constructor(private readonly emit: DeployDependencies['emit']) {}

  /**
   * Starts a push that reports through `event` until it ends: cancellable by its id, one per project in `running`.
   * `start` throws at once for a request it refuses, before anything is registered.
   */
  start<E extends PushEventName>(
    projectId: string,
    running: Set<string>,
    event: E,
    start: (
      signal: AbortSignal,
      onProgress: (progress: NonNullable<ApiEventPayload<E>['progress']>) => void,
    ) => Promise<NonNullable<ApiEventPayload<E>['result']>>,
  ): { pushId: string } {
    const pushId = randomUUID();
    const controller = new AbortController();
    const report = (update: PushUpdate<E>) => this.emit(event, { pushId, projectId, ...update } as ApiEventPayload<E>);
    const pushing = start(controller.signal, (progress) => report({ state: 'running', progress } as PushUpdate<E>));
    this.pushes.set(pushId, controller);
    running.add(projectId);
    void pushing
      .then(
        (result) => report({ state: 'finished', result } as PushUpdate<E>),
        (error: unknown) =>
          report({
            state: controller.signal.aborted ? 'cancelled' : 'failed',
            error: {
              message: (error as Error).message,
              ...(error instanceof AirsprayError && error.field ? { field: error.field } : {}),
              ...(error instanceof AirsprayError && error.i18n ? { i18n: error.i18n } : {}),
            },
          } as PushUpdate<E>),
      )
      .finally(() => {
        this.pushes.delete(pushId);
        running.delete(projectId);
      });
    return { pushId };
  }

  cancel(pushId: string): { cancelled: boolean } {
    const controller = this.pushes.get(pushId);
    controller?.abort();
    return { cancelled: controller !== undefined };
  }
}

/** The deploy key onto the plan's hosts (or the named ones), made first when the project has none. */
async function bootstrapKeys(
  deps: DeployDependencies,
  { projectId, credentialId, keyPassphrase, hosts: only }: Parameters<ApiHandlers['deploy.bootstrapKeys']>[0],
): ReturnType<ApiHandlers['deploy.bootstrapKeys']> {
  const project = await deps.projects.open(projectId);
  if (project.cluster.hosts.length === 0) throw coreError('invalid_params', 'deploy.no-hosts', {}, 'hosts');
  const unknown = only?.find((name) => !project.cluster.hosts.some((host) => host.name === name));
  if (unknown !== undefined) throw coreError('invalid_params', 'deploy.host-not-in-plan', { host: unknown }, 'hosts');
  const targets = only ? project.cluster.hosts.filter((host) => only.includes(host.name)) : project.cluster.hosts;
  const credential = await deps.vault.get(credentialId);
  const { key, created } = await deps.keys.getOrCreate(projectId, project.name, keyPassphrase);
  // Host keys must already be accepted on the Access step: the bootstrap never records a new one.
  const hosts = await bootstrapDeployKey(
    targets.map((host) => ({ name: host.name, address: host.address })),
    { credential, key, hostKeys: hostKeyStoreFor(deps.dataDir, projectId) },
  );
  return { publicKey: key.publicKey, fingerprint: key.fingerprint, protection: key.protection, created, hosts };
}

/** The Deploy step's preparation: key bootstrap, bundle push with progress events and cancel, offline services. */
/** One push of each kind per project: a second would race the first over the same files. */
function refuseSecondPush(running: ReadonlySet<string>, projectId: string, what: 'bundle' | 'images'): void {
  if (running.has(projectId)) throw coreError('already_running', 'deploy.push-running', { what }, 'projectId');
}

export function createDeployHandlers(deps: DeployDependencies): Pick<ApiHandlers, keyof typeof deployApiMethods> {
  const { keys } = deps;
  const background = new BackgroundPushes(deps.emit);
  /** One push per project at a time: two would write the same files. */
  const pushingProjects = new Set<string>();
  const pushingImages = new Set<string>();

  const keySession = async (
    projectId: string,
    credentialId: string,
    keyPassphrase: string | undefined,
  ): Promise<KeySession> =>
    openKeySession(keys, deps.dataDir, projectId, await deps.vault.get(credentialId), keyPassphrase);
  const contextOf = async (projectId: string) =>
    resolveDeployContext(await deps.projects.open(projectId), {
      dataDir: deps.dataDir,
      bundleLocations: deps.bundleLocations,
    });

  return {
    'deploy.bootstrapKeys': (params) => bootstrapKeys(deps, params),

    'deploy.pushBundle': async ({ projectId, credentialId, keyPassphrase }) => {
      refuseSecondPush(pushingProjects, projectId, 'bundle');
      const context = await contextOf(projectId);
      const session = await keySession(projectId, credentialId, keyPassphrase);
      return background.start(projectId, pushingProjects, 'deploy.pushProgress', (signal, onProgress) =>
        pushProjectBundle(context, session, {
          signal,
          onProgress,
          log: deps.log,
          journalPath: join(deps.projects.projectFolder(projectId), pushJournalFileName),
        }),
      );
    },

    'deploy.pushImages': async ({ projectId, harborPassword }) => {
      refuseSecondPush(pushingImages, projectId, 'images');
      const context = await contextOf(projectId);
      return background.start(projectId, pushingImages, 'deploy.imagePushProgress', (signal, onProgress) =>
        pushProjectImages(context, harborPassword, { signal, onProgress }),
      );
    },

    'deploy.trustHarborCa': async ({ projectId, credentialId, keyPassphrase }) =>
      trustHarborCa(await contextOf(projectId), await keySession(projectId, credentialId, keyPassphrase)),

    'deploy.cancelPush': async ({ pushId }) => background.cancel(pushId),

    'deploy.pointPackageSources': async ({ projectId, credentialId, keyPassphrase, hosts }) =>
      pointPackageSources(await contextOf(projectId), await keySession(projectId, credentialId, keyPassphrase), hosts),

    'deploy.restorePackageSources': async ({ projectId, credentialId, keyPassphrase, hosts }) =>
      restorePackageSources(
        planHosts(await deps.projects.open(projectId)),
        await keySession(projectId, credentialId, keyPassphrase),
        hosts,
      ),

    'deploy.startServices': async ({ projectId, credentialId, keyPassphrase }) =>
      startProjectServices(await contextOf(projectId), await keySession(projectId, credentialId, keyPassphrase)),

    'deploy.checkServices': async ({ projectId, credentialId, keyPassphrase }) =>
      checkProjectServices(await contextOf(projectId), await keySession(projectId, credentialId, keyPassphrase)),
  };
}
