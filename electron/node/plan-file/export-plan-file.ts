import { Document, isMap, isScalar, isSeq } from 'yaml';
import { planFileJsonSchema, planFileVersion, type PlanFile, type PlanFileHostKey } from '../../common/plan-file';
import { hostRoles } from '../../common/cluster-plan';
import type { ProjectDocument } from '../../common/project';
import type { ProjectStore } from '../projects/project-store';
import { projectKnownHostsFile } from '../ssh/host-key-store';
import { fingerprintOf } from '../ssh/known-hosts';
import { readProjectHostKeys } from './project-host-keys';

/**
 * The schema file an export writes beside the plan, named in its first line so editors check the file as it is typed.
 */
export const planFileSchemaFileName = `airspray-plan-v${planFileVersion}.schema.json`;

/** The JSON Schema as the file beside an export (and docs/) holds it. */
export const planFileSchemaText = () => `${JSON.stringify(planFileJsonSchema(), null, 2)}\n`;

/** The plan of a project as a plan file holds it: no facts (discovery finds them again), no secrets, keys as pinned. */
export function planFileOf(
  project: Pick<ProjectDocument, 'name' | 'cluster' | 'login'>,
  hostKeys: readonly PlanFileHostKey[],
): PlanFile {
  const { cluster } = project;
  const hostNames = new Set(cluster.hosts.map((host) => host.name));
  const roles = Object.fromEntries(
    hostRoles.map((role) => [role, cluster.hosts.filter((host) => host.roles[role]).map((host) => host.name)]),
  );
  return {
    planFileVersion,
    project: project.name,
    ...(cluster.bundle
      ? { bundle: { id: cluster.bundle.bundleId, manifestSha256: cluster.bundle.manifestSha256 } }
      : {}),
    // A deploy node whose host went away means nothing, and the file would be refused with it.
    ...(cluster.deployNode !== null && hostNames.has(cluster.deployNode) ? { deployNode: cluster.deployNode } : {}),
    ...(project.login ? { login: project.login } : {}),
    hosts: cluster.hosts.map((host) => ({ name: host.name, address: host.address, port: 22 })),
    roles: roles as PlanFile['roles'],
    settings: cluster.settings,
    hostKeys: [...hostKeys],
  };
}

/**
 * YAML text of a plan file: the editor's schema line, a short header, a blank line between sections, fingerprints
 * beside keys.
 */
export function renderPlanFile(plan: PlanFile, schemaReference = planFileSchemaFileName): string {
  const document = new Document(plan);
  document.commentBefore = [
    ` yaml-language-server: $schema=${schemaReference}`,
    ` Airspray plan file${plan.project ? ` of project "${plan.project}"` : ''}: apply it with "airspray apply FILE" (docs/plan-file.md).`,
    ' It holds no secrets: login names a key file and the environment variables that hold passwords.',
  ].join('\n');
  if (isMap(document.contents)) {
    for (const pair of document.contents.items.slice(1)) if (isScalar(pair.key)) pair.key.spaceBefore = true;
  }
  const keys = document.get('hostKeys');
  if (isSeq(keys)) {
    keys.items.forEach((item, index) => {
      const hostKey = plan.hostKeys[index];
      if (hostKey && isMap(item)) item.commentBefore = ` ${fingerprintOf(Buffer.from(hostKey.key, 'base64'))}`;
    });
  }
  return document.toString({ lineWidth: 0 });
}

/** A project's plan file text, with what a plan file cannot carry from its known_hosts counted for a note. */
export async function exportProjectPlan(projects: ProjectStore, dataDir: string, projectName: string) {
  const project = await projects.findByName(projectName);
  const hostKeys = await readProjectHostKeys(projectKnownHostsFile(dataDir, project.id));
  const plan = planFileOf(project, hostKeys.keys);
  return {
    project,
    plan,
    text: renderPlanFile(plan),
    linesLeftOut: hostKeys.otherLines.filter((line) => !line.trim().startsWith('#')).length,
  };
}
