import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { hostKeyStoreFor } from './access/access-handlers';
import { CredentialVault, type SecretSealer } from './access/credential-vault';
import { bundleLocations } from './bundles/bundle-locations';
import type { BundleLocation } from './bundles/find-bundles';
import { ClusterAccessService, type ClusterAccessOptions } from './cluster/cluster-access';
import { FileCoreLog, type CoreLog } from './core-log';
import { defaultUserDataDir, resolveDataDir, type ResolvedDataDir } from './data-dir';
import { DeployKeyStore } from './deploy/deploy-key-store';
import { checkProjectDownloads } from './inventory/download-check-service';
import { ProjectStore } from './projects/project-store';
import type { CheckDownloads } from './runs/download-gate';
import { RunService, type RunServiceOptions } from './runs/run-service';
import type { HostKeyStore } from './ssh/host-key-store';

/** Where a shell keeps its state and where it looks for bundles. */
export interface AirsprayPlaces {
  dataDir: ResolvedDataDir;
  bundleLocations: readonly BundleLocation[];
}

/**
 * `--data-dir` and `--bundles-dir` as every shell takes them. `userDataDir` is the shell's own fallback: the desktop
 * passes Electron's, the CLI and browser mode take the platform's.
 */
export async function resolvePlaces(options: {
  dataDir?: string;
  bundlesDirs?: readonly string[];
  userDataDir?: string;
}): Promise<AirsprayPlaces> {
  const dataDir = await resolveDataDir({
    optionDir: options.dataDir,
    env: process.env,
    userDataDir: options.userDataDir ?? defaultUserDataDir(process.env, homedir(), process.platform),
  });
  const optionDirs = (options.bundlesDirs ?? []).map((dir) => resolve(dir));
  return { dataDir, bundleLocations: bundleLocations({ env: process.env, dataDir: dataDir.dir, optionDirs }) };
}

/** The stores and services the core and every CLI command are made of, over one data folder. */
export interface AirsprayServices {
  dataDir: string;
  bundleLocations: readonly BundleLocation[];
  projects: ProjectStore;
  /** The operator's saved login profiles; the CLI reads its logins from files and leaves this empty. */
  vault: CredentialVault;
  keys: DeployKeyStore;
  log: CoreLog;
  /** A project's own known_hosts (the data folder's without a project), honouring the operator's ~/.ssh one. */
  hostKeys(projectId: string | undefined): HostKeyStore;
  /** The desktop and server follow runs for many views; a CLI command follows one run to its end. */
  runs(options: Pick<RunServiceOptions, 'listener' | 'onSucceeded' | 'keepConnectionsMs'>): RunService;
  cluster(options?: Pick<ClusterAccessOptions, 'onUpdated'>): ClusterAccessService;
}

export interface ServicesOptions {
  dataDir: string;
  bundleLocations: readonly BundleLocation[];
  version: string;
  /** The desktop shell's OS keychain; without it profiles stay in memory and deploy keys need a passphrase. */
  secretSealer?: SecretSealer;
}

export function createServices(options: ServicesOptions): AirsprayServices {
  const { dataDir, secretSealer } = options;
  const projects = new ProjectStore(dataDir);
  const vault = new CredentialVault(dataDir, secretSealer);
  const log = new FileCoreLog(dataDir, () => vault.secretsHeld());
  const keys = new DeployKeyStore((projectId) => projects.projectFolder(projectId), secretSealer);
  const checkDownloads: CheckDownloads = (project, extraVars) =>
    checkProjectDownloads(project, { dataDir, bundleLocations: options.bundleLocations }, extraVars);
  return {
    dataDir,
    bundleLocations: options.bundleLocations,
    projects,
    vault,
    keys,
    log,
    hostKeys: (projectId) => hostKeyStoreFor(dataDir, projectId),
    runs: (extra) =>
      new RunService({ dataDir, projects, version: options.version, keys, log, checkDownloads, ...extra }),
    cluster: (extra) =>
      new ClusterAccessService({ projects, ...(secretSealer ? { sealer: secretSealer } : {}), ...extra }),
  };
}
