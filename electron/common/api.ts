import { z } from 'zod';
import { CoreMessageSchema } from './core-messages';
import { apiErrorCodes } from './errors';
import { BundleSearchResultSchema } from './bundle';
import { accessApiEvents, accessApiMethods } from './access-api';
import { bundleApiEvents, bundleApiMethods } from './bundle-api';
import { deployApiEvents, deployApiMethods } from './deploy-api';
import { downloadsApiMethods } from './downloads-api';
import { runsApiEvents, runsApiMethods } from './runs-api';
import { clusterApiEvents, clusterApiMethods } from './cluster-api';
import { certsApiMethods } from './certs-api';
import { etcdApiMethods } from './etcd-api';
import { upgradeApiEvents, upgradeApiMethods } from './upgrade';
import { nodeLifecycleApiEvents, nodeLifecycleApiMethods } from './node-lifecycle';
import { healthApiMethods } from './health-api';
import { inventoryApiMethods } from './inventory-api';
import { settingsApiMethods } from './settings-api';
import {
  ClusterNameSchema,
  ProjectDocumentSchema,
  ProjectIdSchema,
  ProjectRefSchema,
  ProjectSummarySchema,
} from './project';
import { wizardStepIds } from './wizard';

const NoParams = z.strictObject({});

/**
 * The one API contract. Both transports (Electron IPC, WebSocket) carry exactly these methods and events;
 * `exposeAs` is the named function the preload script puts on `window.airspray`.
 */
export const apiMethods = {
  'app.info': {
    exposeAs: 'getAppInfo',
    params: NoParams,
    result: z.object({
      name: z.string(),
      version: z.string(),
      shell: z.enum(['desktop', 'browser']),
      platform: z.string(),
      dataDir: z.string(),
      dataDirSource: z.enum(['option', 'portable', 'appimage', 'user-data']),
    }),
  },
  'bundles.list': {
    exposeAs: 'listBundles',
    params: NoParams,
    result: BundleSearchResultSchema,
  },
  'projects.list': {
    exposeAs: 'listProjects',
    params: NoParams,
    result: z.array(ProjectSummarySchema),
  },
  'projects.create': {
    exposeAs: 'createProject',
    params: z.strictObject({ name: ClusterNameSchema }),
    result: ProjectDocumentSchema,
  },
  'projects.open': {
    exposeAs: 'openProject',
    params: ProjectRefSchema,
    result: ProjectDocumentSchema,
  },
  'projects.setStep': {
    exposeAs: 'setProjectStep',
    params: z.strictObject({
      id: ProjectIdSchema,
      step: z.enum(wizardStepIds),
      /** The revision the caller last saw; a mismatch means another window saved first. */
      revision: z.number().int().nonnegative(),
    }),
    result: ProjectDocumentSchema,
  },
  ...inventoryApiMethods,
  ...bundleApiMethods,
  ...accessApiMethods,
  ...runsApiMethods,
  ...deployApiMethods,
  ...clusterApiMethods,
  ...certsApiMethods,
  ...etcdApiMethods,
  ...upgradeApiMethods,
  ...nodeLifecycleApiMethods,
  ...healthApiMethods,
  ...settingsApiMethods,
  ...downloadsApiMethods,
} as const;

/** Server-to-UI event streams. */
export const apiEvents = {
  'projects.changed': {
    subscribeAs: 'onProjectsChanged',
    payload: z.object({ projects: z.array(ProjectSummarySchema) }),
  },
  ...bundleApiEvents,
  ...accessApiEvents,
  ...runsApiEvents,
  ...deployApiEvents,
  ...clusterApiEvents,
  ...upgradeApiEvents,
  ...nodeLifecycleApiEvents,
} as const;

export type ApiMethodName = keyof typeof apiMethods;
export type ApiEventName = keyof typeof apiEvents;
export type ApiParams<M extends ApiMethodName> = z.input<(typeof apiMethods)[M]['params']>;
export type ApiResult<M extends ApiMethodName> = z.output<(typeof apiMethods)[M]['result']>;
export type ApiEventPayload<E extends ApiEventName> = z.output<(typeof apiEvents)[E]['payload']>;

export const apiMethodNames = Object.keys(apiMethods) as ApiMethodName[];
export const apiEventNames = Object.keys(apiEvents) as ApiEventName[];

export function isApiMethodName(value: unknown): value is ApiMethodName {
  return typeof value === 'string' && Object.hasOwn(apiMethods, value);
}

export const ApiErrorSchema = z.object({
  code: z.enum(apiErrorCodes),
  message: z.string(),
  field: z.string().optional(),
  /** The message by core id and values, when the core built it from its catalog; `message` is its English. */
  i18n: CoreMessageSchema.optional(),
});
export type ApiErrorBody = z.infer<typeof ApiErrorSchema>;

/** What every call answers, over either transport. */
export type ApiReply<T = unknown> = { ok: true; result: T } | { ok: false; error: ApiErrorBody };

/** The interface the renderer codes against; each transport implements it. */
export interface Api {
  call<M extends ApiMethodName>(method: M, params: ApiParams<M>): Promise<ApiResult<M>>;
  subscribe<E extends ApiEventName>(event: E, listener: (payload: ApiEventPayload<E>) => void): () => void;
}

/** Names of the functions the preload script exposes, derived from the contract. */
export type BridgeFunctionName = (typeof apiMethods)[ApiMethodName]['exposeAs'];
export type BridgeSubscriptionName = (typeof apiEvents)[ApiEventName]['subscribeAs'];

type MethodByBridgeName<N extends BridgeFunctionName> = {
  [M in ApiMethodName]: (typeof apiMethods)[M]['exposeAs'] extends N ? M : never;
}[ApiMethodName];
type EventBySubscriptionName<N extends BridgeSubscriptionName> = {
  [E in ApiEventName]: (typeof apiEvents)[E]['subscribeAs'] extends N ? E : never;
}[ApiEventName];

/** The shape of `window.airspray` in the desktop shell. */
export type AirsprayBridge = {
  readonly [N in BridgeFunctionName]: (
    params: ApiParams<MethodByBridgeName<N>>,
  ) => Promise<ApiReply<ApiResult<MethodByBridgeName<N>>>>;
} & {
  readonly [N in BridgeSubscriptionName]: (
    listener: (payload: ApiEventPayload<EventBySubscriptionName<N>>) => void,
  ) => () => void;
};

/** IPC channel names: one per method and event, all under one prefix so the main process can refuse anything else. */
export const ipcChannelPrefix = 'airspray:';
export const ipcMethodChannel = (method: ApiMethodName) => `${ipcChannelPrefix}call:${method}`;
export const ipcEventChannel = (event: ApiEventName) => `${ipcChannelPrefix}event:${event}`;

/** WebSocket envelope (browser mode). */
export const wsSubprotocol = 'airspray.v1';
export const wsTokenProtocolPrefix = 'airspray.token.';
export const wsMaxMessageBytes = 1024 * 1024;
export const WsRequestSchema = z.strictObject({
  id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  method: z.string().max(100),
  params: z.unknown(),
});
export type WsRequest = z.infer<typeof WsRequestSchema>;
export type WsServerMessage =
  | ({ kind: 'reply'; id: number } & ApiReply)
  | { kind: 'event'; event: ApiEventName; payload: unknown }
  | { kind: 'error'; error: ApiErrorBody };
