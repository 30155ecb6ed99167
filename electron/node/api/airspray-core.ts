import { apiEvents, type ApiEventName, type ApiEventPayload } from '../../common/api';
import type { DownloadRequest } from '../../common/downloads-api';
import { createAccessHandlers } from '../access/access-handlers';
import type { SecretSealer } from '../access/credential-vault';
import { createBundleHandlers } from '../bundles/bundle-handlers';
import { findBundles, type BundleLocation } from '../bundles/find-bundles';
import type { ClusterAccessService } from '../cluster/cluster-access';
import { createCertsHandlers } from '../certs/certs-handlers';
import { createEtcdHandlers } from '../etcd/etcd-handlers';
import { createHealthHandlers } from '../health/health-handlers';
import { createClusterHandlers } from '../cluster/cluster-handlers';
import type { ResolvedDataDir } from '../data-dir';
import { createDeployHandlers } from '../deploy/deploy-handlers';
import {
  createDownloadHandlers,
  DownloadTickets,
  type ChooseSavePath,
  type DownloadFile,
  type OpenDownload,
} from '../downloads/downloads';
import { openDownload } from '../downloads/open-download';
import { createInventoryHandlers } from '../inventory/inventory-handlers';
import { createProcedureHandlers } from '../runs/procedure-handlers';
import { NodeLifecycleService } from '../runs/node-lifecycle-service';
import type { RunService } from '../runs/run-service';
import { createRunsHandlers } from '../runs/runs-handlers';
import { UpgradeService } from '../upgrade/upgrade-service';
import { createServices, type AirsprayServices } from '../services';
import { reportLanguage, type ReportLanguage } from '../reports/report-strings';
import { createAppSettingsFile } from '../settings/app-settings-file';
import type { ApiHandlers } from './dispatch-api-call';

export type CoreEventListener = <E extends ApiEventName>(event: E, payload: ApiEventPayload<E>) => void;

export interface AirsprayCore {
  handlers: ApiHandlers;
  /** Browser mode: the file a `downloads.link` ticket stands for, once; undefined when used or expired. */
  takeDownload(ticket: string): Promise<DownloadFile | undefined>;
  /** Every transport forwards these events to its UIs; returns an unsubscribe. */
  onEvent(listener: CoreEventListener): () => void;
}

export interface CoreOptions {
  shell: 'desktop' | 'browser';
  version: string;
  dataDir: ResolvedDataDir;
  bundleLocations: readonly BundleLocation[];
  /** The desktop shell's save dialog (exports, reports); browser mode has none and downloads instead. */
  chooseSavePath?: ChooseSavePath;
  /** The desktop shell's OS keychain (safeStorage); without it credential profiles stay in memory only. */
  secretSealer?: SecretSealer;
}

/** Hands each core event, its payload checked against the contract first, to every transport that listens. */
function createEventHub(): { emit: CoreEventListener; onEvent: AirsprayCore['onEvent'] } {
  const listeners = new Set<CoreEventListener>();
  const emit = <E extends ApiEventName>(event: E, payload: ApiEventPayload<E>) => {
    const checked = apiEvents[event].payload.parse(payload) as ApiEventPayload<E>;
    for (const listener of listeners) listener(event, checked);
  };
  return {
    emit,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The stores, and the services that outlive a call, as the core's handlers use them. */
interface CoreServices extends Omit<AirsprayServices, 'runs' | 'cluster'> {
  runs: RunService;
  cluster: ClusterAccessService;
  upgrades: UpgradeService;
  lifecycle: NodeLifecycleService;
  /** Tells every window the project list changed. */
  announceProjects(): Promise<void>;
}

/** Starts the long-lived services, each telling the windows what changed through `emit`. */
function startServices(options: CoreOptions, emit: CoreEventListener): CoreServices {
  const services = createServices({ ...options, dataDir: options.dataDir.dir });
  const { dataDir, bundleLocations, projects, keys, log } = services;
  const announceProjects = async () => emit('projects.changed', { projects: await projects.list() });
  const cluster = services.cluster({
    onUpdated: (projectId, access) => emit('cluster.accessUpdated', { projectId, access }),
  });
  const runs = services.runs({
    listener: {
      output: (projectId, runId, offset, chunk) =>
        emit('runs.output', { projectId, runId, offset, length: chunk.length, data: chunk.toString('base64') }),
      grew: (projectId, runId, offset, length, complete) =>
        emit('runs.output', { projectId, runId, offset, length, ...(complete ? { complete } : {}) }),
      updated: (run) => emit('runs.updated', run),
      planChanged: () => void announceProjects(),
    },
    onSucceeded: (run, session) => cluster.afterRun(run, session),
    // Opening run after run from the history reuses the login to the deploy node instead of a new handshake each.
    keepConnectionsMs: 20_000,
  });

  const upgrades = new UpgradeService({
    dataDir,
    projects,
    bundleLocations,
    keys,
    runs,
    log,
    onUpdated: (record) => emit('upgrade.updated', record),
    onPlanChanged: () => void announceProjects(),
  });

  const lifecycle = new NodeLifecycleService({
    projects,
    runs,
    onUpdated: (record) => emit('nodes.updated', record),
  });
  return { ...services, announceProjects, cluster, runs, upgrades, lifecycle };
}

type AppMethod =
  | 'app.info'
  | 'settings.get'
  | 'settings.setLocale'
  | 'bundles.list'
  | 'projects.list'
  | 'projects.create'
  | 'projects.open'
  | 'projects.setStep';

/** The few handlers that live in the core itself: the app, its settings, the bundle list and the projects. */
function appHandlers(
  options: CoreOptions,
  { dataDir, bundleLocations, projects, announceProjects }: CoreServices,
  settings: ReturnType<typeof createAppSettingsFile>,
): Pick<ApiHandlers, AppMethod> {
  return {
    'app.info': async () => ({
      name: 'Airspray',
      version: options.version,
      shell: options.shell,
      platform: process.platform,
      dataDir,
      dataDirSource: options.dataDir.source,
    }),
    'settings.get': () => settings.read(),
    'settings.setLocale': ({ locale }) => settings.update({ locale }),
    'bundles.list': () => findBundles(bundleLocations),
    'projects.list': () => projects.list(),
    'projects.create': async ({ name }) => {
      const project = await projects.create(name);
      await announceProjects();
      return project;
    },
    'projects.open': ({ id }) => projects.open(id),
    'projects.setStep': async ({ id, step, revision }) => {
      const project = await projects.setStep(id, step, revision);
      await announceProjects();
      return project;
    },
  };
}

/** Reports and exports: how a window gets a file, in the language last chosen in it. */
interface CoreDownloads {
  open: OpenDownload;
  tickets: DownloadTickets;
  language: () => Promise<ReportLanguage>;
}

/** Every feature folder's handler group, given the services it works with. */
function featureHandlers(
  options: CoreOptions,
  core: CoreServices,
  emit: CoreEventListener,
  downloads: CoreDownloads,
): Omit<ApiHandlers, AppMethod> {
  const { dataDir, bundleLocations, projects, vault, keys, log, runs, cluster, upgrades, lifecycle } = core;
  const saveDialog = options.chooseSavePath ? { chooseSavePath: options.chooseSavePath } : {};
  return {
    ...createInventoryHandlers({
      projects,
      bundleLocations,
      dataDir,
      version: options.version,
      announceProjects: core.announceProjects,
      ...saveDialog,
    }),
    ...createAccessHandlers({ dataDir, projects, vault, emit }),
    ...createRunsHandlers({ runs, vault }),
    ...createDownloadHandlers({ open: downloads.open, tickets: downloads.tickets, ...saveDialog }),
    ...createDeployHandlers({ dataDir, projects, vault, bundleLocations, keys, emit, log }),
    ...createClusterHandlers({ dataDir, cluster, vault, keys }),
    ...createCertsHandlers({ dataDir, projects, vault, keys }),
    ...createEtcdHandlers({ dataDir, projects, vault, keys }),
    ...createProcedureHandlers({ lifecycle, upgrades, vault, log }),
    ...createHealthHandlers({ dataDir, projects, vault, keys, runs, cluster, language: downloads.language }),
    ...createBundleHandlers({
      dataDir,
      bundleLocations,
      emitProgress: (progress) => emit('bundles.verifyProgress', progress),
    }),
  };
}

/** The shell-independent application: the desktop shell and `airspray serve` both wrap one of these. */
export function createAirsprayCore(options: CoreOptions): AirsprayCore {
  const events = createEventHub();
  const core = startServices(options, events.emit);
  const settings = createAppSettingsFile(core.dataDir);
  // Reports made from the window speak the language last chosen in it; English where none was.
  const language = async () => reportLanguage((await settings.read()).locale ?? 'en');
  const open = async (request: DownloadRequest) => openDownload(core.runs, request, await language());
  const tickets = new DownloadTickets();
  const handlers: ApiHandlers = {
    ...appHandlers(options, core, settings),
    ...featureHandlers(options, core, events.emit, { open, tickets, language }),
  };
  return {
    handlers,
    takeDownload: async (ticket) => {
      const request = tickets.take(ticket);
      return request ? open(request) : undefined;
    },
    onEvent: events.onEvent,
  };
}
