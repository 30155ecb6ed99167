import type { inventoryApiMethods } from '../../common/inventory-api';
import { planFindingMessageId } from '../../common/plan-validation';
import { checkProjectDownloads } from './download-check-service';
import { validateExtraVariables } from './extra-variables';
import { coreError } from '../i18n/format-core-message';
import type { ApiHandlers } from '../api/dispatch-api-call';
import type { BundleLocation } from '../bundles/find-bundles';
import { saveThroughDialog, type ChooseSavePath } from '../downloads/downloads';
import { writeFileAtomic } from '../fs/write-file-atomic';
import type { ProjectStore } from '../projects/project-store';
import {
  archiveFileName,
  describeChosenBundle,
  exportArchive,
  importIntoProject,
  importUploadIntoProject,
  planFindings,
  previewInventory,
  previewUploadImport,
  replaceHosts,
} from './inventory-service';

export interface InventoryHandlerOptions {
  projects: ProjectStore;
  bundleLocations: readonly BundleLocation[];
  /** Where the operator's trusted publisher keys are, to read the chosen bundle's signed manifest. */
  dataDir: string;
  version: string;
  /** The desktop shell's save dialog; absent in browser mode, where the page downloads the archive instead. */
  chooseSavePath?: ChooseSavePath;
  /** Tells every window the project list changed. */
  announceProjects: () => Promise<void>;
}

type InventoryHandlers = Pick<ApiHandlers, keyof typeof inventoryApiMethods>;

/** The roles, settings and inventory methods of the core. */
export function createInventoryHandlers(options: InventoryHandlerOptions): InventoryHandlers {
  const { projects, version } = options;
  const saved = async <T>(result: Promise<T>) => {
    const value = await result;
    await options.announceProjects();
    return value;
  };
  return {
    'projects.setHosts': ({ id, revision, hosts }) =>
      saved(projects.update(id, revision, (project) => replaceHosts(project, hosts))),
    'projects.savePlan': ({ id, revision, hosts, deployNode, settings }) => {
      // project.json is plain text: a secret typed into the expert variables is refused before it is written.
      const secret = validateExtraVariables(settings.extraVarsYaml).find(
        (finding) => finding.rule === 'extra-vars-secret',
      );
      if (secret)
        throw coreError('invalid_params', planFindingMessageId(secret.rule), secret.params, 'settings.extraVarsYaml');
      return saved(
        projects.update(id, revision, (project) => ({
          ...project,
          cluster: { ...project.cluster, hosts, deployNode, settings },
        })),
      );
    },
    'projects.chooseBundle': async ({ id, revision, bundlePath }) => {
      const bundle = bundlePath === null ? null : await describeChosenBundle(options.bundleLocations, bundlePath);
      return saved(
        projects.update(id, revision, (project) => ({ ...project, cluster: { ...project.cluster, bundle } })),
      );
    },
    'inventory.validate': async ({ id }) => ({ findings: planFindings(await projects.open(id)) }),
    'inventory.checkDownloads': async ({ id }) =>
      checkProjectDownloads(await projects.open(id), {
        dataDir: options.dataDir,
        bundleLocations: options.bundleLocations,
      }),
    'inventory.preview': async ({ id }) => previewInventory(projects, await projects.open(id), version),
    'inventory.exportArchive': async ({ id, format }) => {
      const archive = await exportArchive(projects, await projects.open(id), format, version);
      return { fileName: archive.fileName, base64: archive.data.toString('base64') };
    },
    'inventory.saveArchive': ({ id, format }) =>
      saveThroughDialog(options.chooseSavePath, { use: 'inventory.exportArchive', field: 'format' }, async () => {
        const project = await projects.open(id);
        return {
          suggestedName: archiveFileName(project, format),
          write: async (target) =>
            writeFileAtomic(target, (await exportArchive(projects, project, format, version)).data, 0o644),
        };
      }),
    'inventory.import': async ({ id, revision, path }) =>
      saved(importIntoProject(projects, await projects.open(id), path, revision)),
    'inventory.previewImportFiles': async ({ id, files }) => previewUploadImport(await projects.open(id), files),
    'inventory.importFiles': async ({ id, revision, files }) =>
      saved(importUploadIntoProject(projects, await projects.open(id), files, revision)),
  };
}
