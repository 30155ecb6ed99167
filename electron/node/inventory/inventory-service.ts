import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import {
  networkPlugins,
  noRoles,
  type ChosenBundle,
  type ClusterHost,
  type HostInput,
} from '../../common/cluster-plan';
import type { InventoryFilePreview, InventoryUpload, ReportedPlanFinding } from '../../common/inventory-api';
import { hasBlockingFindings, validatePlan } from '../../common/plan-validation';
import type { ProjectDocument } from '../../common/project';
import { findBundles, type BundleLocation } from '../bundles/find-bundles';
import { writeFileAtomic } from '../fs/write-file-atomic';
import { coreError, withEnglishMessage } from '../i18n/format-core-message';
import type { ProjectStore } from '../projects/project-store';
import type { RecoverGroups } from '../../common/recover-control-plane';
import { validateExtraVariables } from './extra-variables';
import { archiveInventory, readInventorySource, writeInventoryFolder, type ExportFormat } from './inventory-files';
import { inventorySourceFromUpload } from './inventory-upload';
import { inventoryToPlan, type ImportedPlan } from './parse-inventory';
import { renderInventory, type InventoryFile } from './render-inventory';

/** Every rule: the shared ones (also run live in the UI) and the expert-YAML ones that need a parser. */
export function planFindings(project: ProjectDocument): ReportedPlanFinding[] {
  const { cluster } = project;
  return [...validatePlan(cluster), ...validateExtraVariables(cluster.settings.extraVarsYaml)].map(withEnglishMessage);
}

export function renderProjectInventory(
  project: ProjectDocument,
  generatorVersion: string,
  recover?: RecoverGroups,
): InventoryFile[] {
  return renderInventory(project.cluster, { generatorVersion, ...(recover ? { recover } : {}) });
}

/** What a run records as its inventory: equal digests, the same files. */
export function inventoryDigestOf(files: readonly InventoryFile[]): string {
  return createHash('sha256')
    .update(files.map((file) => `${file.path}\0${file.content}\0`).join(''))
    .digest('hex');
}

const LastExportSchema = z.object({
  exportedAt: z.iso.datetime(),
  files: z.array(z.object({ path: z.string(), content: z.string() })),
});
type LastExport = z.infer<typeof LastExportSchema>;

const lastExportPath = (store: ProjectStore, id: string) => join(store.projectFolder(id), 'last-export.json');

async function readLastExport(store: ProjectStore, id: string): Promise<LastExport | null> {
  try {
    const parsed = LastExportSchema.safeParse(JSON.parse(await readFile(lastExportPath(store, id), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    // No export yet, or an unreadable record: the preview then shows every file as new.
    return null;
  }
}

/** What an export writes, file by file, against the last export. */
export async function previewInventory(store: ProjectStore, project: ProjectDocument, generatorVersion: string) {
  const files = renderProjectInventory(project, generatorVersion);
  const last = await readLastExport(store, project.id);
  const previous = new Map((last?.files ?? []).map((file) => [file.path, file.content]));
  const previews: InventoryFilePreview[] = files.map((file) => {
    const before = previous.get(file.path) ?? null;
    return {
      path: file.path,
      content: file.content,
      previous: before,
      status: before === null ? 'new' : before === file.content ? 'unchanged' : 'changed',
    };
  });
  for (const [path, content] of previous) {
    if (!files.some((file) => file.path === path))
      previews.push({ path, content: '', previous: content, status: 'removed' });
  }
  return { files: previews, lastExportAt: last?.exportedAt ?? null, findings: planFindings(project) };
}

/** Renders the export, refusing while any error finding stands, and remembers it for the next preview's diff. */
async function exportableFiles(
  store: ProjectStore,
  project: ProjectDocument,
  generatorVersion: string,
  now: Date,
): Promise<InventoryFile[]> {
  const errors = planFindings(project).filter((finding) => finding.severity === 'error');
  if (hasBlockingFindings(errors)) {
    const list = errors.map((finding) => `  - ${finding.message}`).join('\n');
    throw coreError(
      'bad_request',
      'inventory.plan-has-errors',
      { project: project.name, count: errors.length, errors: list },
      errors[0]!.field,
    );
  }
  const files = renderProjectInventory(project, generatorVersion);
  const record: LastExport = { exportedAt: now.toISOString(), files };
  await writeFileAtomic(lastExportPath(store, project.id), `${JSON.stringify(record, null, 2)}\n`);
  return files;
}

export const archiveFileName = (project: ProjectDocument, format: Exclude<ExportFormat, 'folder'>) =>
  `${project.name}-inventory.${format}`;

export async function exportArchive(
  store: ProjectStore,
  project: ProjectDocument,
  format: Exclude<ExportFormat, 'folder'>,
  generatorVersion: string,
  now = new Date(),
): Promise<{ fileName: string; data: Buffer }> {
  const files = await exportableFiles(store, project, generatorVersion, now);
  return {
    fileName: archiveFileName(project, format),
    data: await archiveInventory(files, format, `${project.name}-inventory`),
  };
}

/** Writes the export to `out`: the inventory folder itself, or one archive file. */
export async function exportToPath(
  store: ProjectStore,
  project: ProjectDocument,
  format: ExportFormat,
  out: string,
  generatorVersion: string,
): Promise<InventoryFile[]> {
  if (format === 'folder') {
    const files = await exportableFiles(store, project, generatorVersion, new Date());
    await writeInventoryFolder(files, out);
    return files;
  }
  const files = await exportableFiles(store, project, generatorVersion, new Date());
  await writeFileAtomic(out, await archiveInventory(files, format, `${project.name}-inventory`), 0o644);
  return files;
}

/**
 * Replaces the project's hosts, roles, deploy node and settings with an existing inventory's; the bundle choice stays.
 */
export async function importIntoProject(
  store: ProjectStore,
  project: ProjectDocument,
  path: string,
  revision = project.revision,
) {
  const source = await readInventorySource(path);
  const imported = keepProjectOnlySettings(
    inventoryToPlan(source, { clusterName: project.name, previousHosts: project.cluster.hosts }),
    project,
  );
  const saved = await store.update(project.id, revision, (current) => ({
    ...current,
    cluster: { ...imported.plan, bundle: current.cluster.bundle },
  }));
  return { project: saved, notes: imported.notes };
}

/** What importing uploaded files would make of the project's plan, without saving it. */
export function previewUploadImport(project: ProjectDocument, files: InventoryUpload): ImportedPlan {
  const imported = inventoryToPlan(inventorySourceFromUpload(files), {
    clusterName: project.name,
    previousHosts: project.cluster.hosts,
  });
  return keepProjectOnlySettings(imported, project);
}

/** An inventory holds kubespray's settings only: Airspray's own (how many etcd backups to keep) stay the project's. */
function keepProjectOnlySettings(imported: ImportedPlan, project: ProjectDocument): ImportedPlan {
  const { etcdBackupsKept } = project.cluster.settings;
  if (etcdBackupsKept === undefined) return imported;
  return { ...imported, plan: { ...imported.plan, settings: { ...imported.plan.settings, etcdBackupsKept } } };
}

/** As importIntoProject, from files uploaded by the page instead of a path on this machine. */
export async function importUploadIntoProject(
  store: ProjectStore,
  project: ProjectDocument,
  files: InventoryUpload,
  revision: number,
) {
  const imported = previewUploadImport(project, files);
  const saved = await store.update(project.id, revision, (current) => ({
    ...current,
    cluster: { ...imported.plan, bundle: current.cluster.bundle },
  }));
  return { project: saved, notes: imported.notes };
}

/** New host list: roles carry over by name, the deploy node is dropped if its host went away. */
export function replaceHosts(project: ProjectDocument, inputs: readonly HostInput[]): ProjectDocument {
  const previous = new Map(project.cluster.hosts.map((host) => [host.name, host]));
  const hosts: ClusterHost[] = inputs.map((input) => ({
    ...input,
    roles: input.roles ?? previous.get(input.name)?.roles ?? { ...noRoles },
  }));
  const deployNode = hosts.some((host) => host.name === project.cluster.deployNode) ? project.cluster.deployNode : null;
  return { ...project, cluster: { ...project.cluster, hosts, deployNode } };
}

const ManifestExtrasSchema = z.object({
  networkPlugins: z.array(z.string()).optional(),
  operatingSystems: z
    .array(z.object({ id: z.string().max(50), version: z.string().max(30) }))
    .max(100)
    .optional(),
  architectures: z.array(z.string().max(20)).max(10).optional(),
});

/** Snapshots the chosen bundle into the plan, with the digest of its manifest for export headers. */
export async function describeChosenBundle(
  locations: readonly BundleLocation[],
  bundlePath: string,
): Promise<ChosenBundle> {
  const { bundles } = await findBundles(locations);
  const bundle = bundles.find((candidate) => candidate.path === bundlePath);
  if (!bundle) throw coreError('not_found', 'inventory.bundle-not-found', { path: bundlePath }, 'bundlePath');
  if (bundle.manifest.state !== 'readable') {
    throw coreError(
      'bad_request',
      'inventory.bundle-unreadable',
      { path: bundlePath, problem: bundle.manifest.problem },
      'bundlePath',
    );
  }
  const text = await readFile(join(bundle.path, 'manifest.json'));
  const extras = ManifestExtrasSchema.safeParse(JSON.parse(text.toString('utf8')));
  const plugins = extras.success
    ? extras.data.networkPlugins?.filter((name): name is (typeof networkPlugins)[number] =>
        (networkPlugins as readonly string[]).includes(name),
      )
    : undefined;
  return {
    bundleId: bundle.manifest.header.bundleId,
    kubesprayVersion: bundle.manifest.header.kubespray.version,
    kubernetesVersions: bundle.manifest.header.kubernetesVersions,
    ...(plugins ? { networkPlugins: plugins } : {}),
    ...(extras.success && extras.data.operatingSystems ? { operatingSystems: extras.data.operatingSystems } : {}),
    ...(extras.success && extras.data.architectures ? { architectures: extras.data.architectures } : {}),
    manifestSha256: createHash('sha256').update(text).digest('hex'),
  };
}
