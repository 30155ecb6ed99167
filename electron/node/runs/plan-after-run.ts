import { noRoles } from '../../common/cluster-plan';
import type { ProjectDocument } from '../../common/project';
import type { RunRecord } from '../../common/run';
import type { ProjectStore } from '../projects/project-store';

/** The nodes a remove-node.yml run named (`-e node=a,b`, as kubespray takes them). */
export function removedNodesOf(run: Pick<RunRecord, 'playbook' | 'options'>): string[] {
  const node = run.options?.extraVars?.node;
  if (run.playbook !== 'remove-node.yml' || typeof node !== 'string') return [];
  return node
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
}

/**
 * The plan without the removed nodes, so the next cluster.yml or scale.yml cannot deploy them again. The deploy
 * node stays (it serves the bundle) with no role left.
 */
export function planWithoutNodes(project: ProjectDocument, names: readonly string[]): ProjectDocument {
  const removed = new Set(names);
  const hosts = project.cluster.hosts
    .filter((host) => !removed.has(host.name) || host.name === project.cluster.deployNode)
    .map((host) => (removed.has(host.name) ? { ...host, roles: noRoles } : host));
  return { ...project, cluster: { ...project.cluster, hosts } };
}

/** After a successful remove-node.yml: the removed nodes leave the plan. Returns the names that left it. */
export async function removeNodesFromPlan(projects: ProjectStore, run: RunRecord): Promise<string[]> {
  const names = removedNodesOf(run);
  const project = await projects.open(run.projectId);
  const present = names.filter((name) => project.cluster.hosts.some((host) => host.name === name));
  if (present.length === 0) return [];
  await projects.update(project.id, project.revision, (current) => planWithoutNodes(current, present));
  return present;
}
