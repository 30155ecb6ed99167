import {
  defaultClusterSettings,
  emptyClusterPlan,
  hostRoles,
  type ChosenBundle,
  type ClusterPlan,
  type HostRoles,
} from '../../common/cluster-plan';
import { joinValues } from '../../common/core-messages';
import type { PlanFile, PlanFileHostKey } from '../../common/plan-file';
import type { ProjectDocument } from '../../common/project';
import { findBundles, type BundleLocation } from '../bundles/find-bundles';
import { describeChosenBundle } from '../inventory/inventory-service';
import type { ProjectStore } from '../projects/project-store';
import { projectKnownHostsFile } from '../ssh/host-key-store';
import { planFileOf } from './export-plan-file';
import type { ParsedPlanFile } from './parse-plan-file';
import { describePlanChanges } from './plan-file-changes';
import { readProjectHostKeys, writeProjectHostKeys, type ProjectHostKeys } from './project-host-keys';
import { coreError } from '../i18n/format-core-message';

export interface PlanApplyContext {
  projects: ProjectStore;
  dataDir: string;
  bundleLocations: readonly BundleLocation[];
}

/** What applying a plan file would do, worked out before anything is written. */
export interface PreparedPlanApply {
  projectName: string;
  /** The project as read, whose revision the save must still find; null when the apply creates it. */
  current: ProjectDocument | null;
  cluster: ClusterPlan;
  login: PlanFile['login'];
  hostKeys: ProjectHostKeys;
  /** The known_hosts as read: accepting a key does not bump the revision, so the save checks this too. */
  storedKeys: ProjectHostKeys;
  /** One line per change, empty when the project already matches the file. */
  changes: string[];
}

async function projectNamed(projects: ProjectStore, name: string): Promise<ProjectDocument | null> {
  const match = (await projects.list()).find((project) => project.name === name);
  return match ? projects.open(match.id) : null;
}

/** The project's bundle must be the file's; a project without one takes the file's from the bundle folders. */
async function bundleFor(
  parsed: ParsedPlanFile,
  projectName: string,
  current: ProjectDocument | null,
  locations: readonly BundleLocation[],
): Promise<ChosenBundle | null> {
  const wanted = parsed.plan.bundle;
  const have = current?.cluster.bundle ?? null;
  if (have) {
    const same =
      wanted?.id === have.bundleId &&
      (wanted.manifestSha256 === undefined || wanted.manifestSha256 === have.manifestSha256);
    if (same) return have;
    throw coreError(
      'conflict',
      'planFile.bundle-differs',
      {
        where: parsed.where(['bundle', 'id']),
        made: !wanted ? 'none' : wanted.manifestSha256 ? 'manifest' : 'id',
        wanted: wanted?.id ?? '',
        wantedManifest: wanted?.manifestSha256?.slice(0, 12) ?? '',
        project: projectName,
        have: have.bundleId,
        haveManifest: have.manifestSha256.slice(0, 12),
      },
      'bundle',
    );
  }
  if (!wanted) return null;
  const { bundles, searchedFolders } = await findBundles(locations);
  const found = bundles.filter(
    (bundle) => bundle.manifest.state === 'readable' && bundle.manifest.header.bundleId === wanted.id,
  );
  const described = await Promise.all(found.map((bundle) => describeChosenBundle(locations, bundle.path)));
  const chosen = described.find(
    (bundle) => wanted.manifestSha256 === undefined || bundle.manifestSha256 === wanted.manifestSha256,
  );
  if (chosen) return chosen;
  throw coreError(
    'not_found',
    'planFile.bundle-not-found',
    {
      where: parsed.where(['bundle', 'id']),
      bundle: wanted.id,
      foundCount: found.length,
      found: joinValues(found.map((bundle) => bundle.path)),
      searchedCount: searchedFolders.length,
      searched: joinValues(searchedFolders.map((folder) => folder.path)),
    },
    'bundle',
  );
}

/**
 * The project's cluster plan as the file says it; discovered facts stay with a host whose name and address are
 * unchanged.
 */
function clusterOf(
  plan: PlanFile,
  projectName: string,
  current: ProjectDocument | null,
  bundle: ChosenBundle | null,
): ClusterPlan {
  const previous = new Map((current?.cluster.hosts ?? []).map((host) => [host.name, host]));
  const rolesOf = (name: string) =>
    Object.fromEntries(hostRoles.map((role) => [role, plan.roles[role].includes(name)])) as HostRoles;
  return {
    hosts: plan.hosts.map((host) => {
      const facts = previous.get(host.name)?.address === host.address ? previous.get(host.name)?.facts : undefined;
      return { name: host.name, address: host.address, roles: rolesOf(host.name), ...(facts ? { facts } : {}) };
    }),
    deployNode: plan.deployNode ?? null,
    settings: { ...defaultClusterSettings(projectName), ...plan.settings },
    bundle,
  };
}

/** Port 22 is the default: a key pinned with "port: 22" and one without are the same key. */
const normalizedKey = ({ port, ...hostKey }: PlanFileHostKey): PlanFileHostKey =>
  port === undefined || port === 22 ? hostKey : { ...hostKey, port };

/** Reads the project (if there is one), checks the bundle, and lists what the file changes. Writes nothing. */
export async function preparePlanApply(
  parsed: ParsedPlanFile,
  context: PlanApplyContext,
  projectOption?: string,
): Promise<PreparedPlanApply> {
  const projectName = projectOption ?? parsed.plan.project;
  if (!projectName)
    throw coreError('invalid_params', 'planFile.project-missing', { where: parsed.where([]) }, 'project');
  const current = await projectNamed(context.projects, projectName);
  const bundle = await bundleFor(parsed, projectName, current, context.bundleLocations);
  const cluster = clusterOf(parsed.plan, projectName, current, bundle);
  const storedKeys = current
    ? await readProjectHostKeys(projectKnownHostsFile(context.dataDir, current.id))
    : { keys: [], otherLines: [] };
  const hostKeys = { keys: parsed.plan.hostKeys.map(normalizedKey), otherLines: storedKeys.otherLines };
  const before = planFileOf(current ?? { name: projectName, cluster: emptyClusterPlan(projectName) }, storedKeys.keys);
  const after = planFileOf({ name: projectName, cluster, login: parsed.plan.login }, hostKeys.keys);
  const changes = describePlanChanges(before, after);
  return {
    projectName,
    current,
    cluster,
    login: parsed.plan.login,
    hostKeys,
    storedKeys,
    changes: current ? changes : [`create project ${projectName}`, ...changes],
  };
}

/**
 * Saves a prepared apply: creates the project if it was missing, then updates it only if it (and its known_hosts) is
 * still as the changes were worked out from (a concurrent writer's save is never overwritten), then its known_hosts.
 */
export async function savePlanApply(
  prepared: PreparedPlanApply,
  context: PlanApplyContext,
): Promise<ProjectDocument | null> {
  if (prepared.changes.length === 0) return prepared.current;
  if (prepared.current) {
    const keysNow = await readProjectHostKeys(projectKnownHostsFile(context.dataDir, prepared.current.id));
    if (JSON.stringify(keysNow) !== JSON.stringify(prepared.storedKeys)) {
      throw coreError('conflict', 'planFile.host-keys-changed', { project: prepared.projectName }, 'hostKeys');
    }
  }
  const target = prepared.current ?? (await context.projects.create(prepared.projectName));
  const saved = await context.projects.update(target.id, target.revision, ({ login: _previous, ...project }) => ({
    ...project,
    cluster: prepared.cluster,
    ...(prepared.login ? { login: prepared.login } : {}),
  }));
  await writeProjectHostKeys(projectKnownHostsFile(context.dataDir, saved.id), prepared.hostKeys);
  return saved;
}
