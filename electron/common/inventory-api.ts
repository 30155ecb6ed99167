import { z } from 'zod';
import { CoreMessageParamsSchema } from './core-messages';
import { ClusterHostSchema, ClusterSettingsSchema, HostInputSchema } from './cluster-plan';
import { DownloadCheckSchema } from './download-check';
import { planRuleIds } from './plan-validation';
import { ProjectDocumentSchema, ProjectIdSchema, ProjectRefSchema } from './project';

const Revision = z.number().int().nonnegative();

export const PlanFindingSchema = z.object({
  rule: z.enum(planRuleIds),
  severity: z.enum(['error', 'warning']),
  host: z.string().optional(),
  field: z.string().optional(),
  /** The values of core message `plan.<rule>`, which the window formats in its language. */
  params: CoreMessageParamsSchema,
  /** The same message in English, for the CLI, `--json` and scripts. */
  message: z.string(),
});
/** A plan finding as the core reports it: `PlanFinding` with its English message. */
export type ReportedPlanFinding = z.infer<typeof PlanFindingSchema>;

export const InventoryFilePreviewSchema = z.object({
  path: z.string(),
  /** Empty for a file the last export had and this one drops. */
  content: z.string(),
  /** The file as last exported; null when it is new. */
  previous: z.string().nullable(),
  status: z.enum(['new', 'changed', 'unchanged', 'removed']),
});
export type InventoryFilePreview = z.infer<typeof InventoryFilePreviewSchema>;

export const ArchiveFormatSchema = z.enum(['zip', 'tar.gz']);
export type ArchiveFormat = z.infer<typeof ArchiveFormatSchema>;

/** Largest uploaded inventory file; the browser-mode socket closes on messages over 1 MiB. */
export const maxImportFileBytes = 256 * 1024;
const maxImportTotalBytes = 768 * 1024;

/**
 * Inventory files uploaded from the page: one `hosts.yaml`/`.yml` or `.ini` at the top, and group variables as
 * `group_vars/<group>.yml` or `group_vars/<group>/<name>.yml`.
 */
export const InventoryUploadSchema = z
  .array(
    z.strictObject({
      path: z
        .string()
        .max(300)
        .regex(
          /^(?:[^/\\]+\.(?:ya?ml|ini)|group_vars\/[A-Za-z_][A-Za-z0-9_-]*\.ya?ml|group_vars\/[A-Za-z_][A-Za-z0-9_-]*\/[^/\\]+\.ya?ml)$/,
          'Give an inventory file (hosts.yaml or .ini) or a group_vars/<group>/<name>.yml file.',
        ),
      content: z.string().max(maxImportFileBytes, `Each file must be at most ${maxImportFileBytes / 1024} KiB.`),
    }),
  )
  .min(1, 'Choose a hosts.yaml or .ini inventory file.')
  .max(64, 'Import at most 64 files at once.')
  .refine(
    (files) => files.reduce((sum, file) => sum + file.content.length, 0) <= maxImportTotalBytes,
    `The files together must be at most ${maxImportTotalBytes / 1024} KiB.`,
  );
export type InventoryUpload = z.infer<typeof InventoryUploadSchema>;

/** The roles, settings and inventory methods; api.ts spreads them into the one contract. */
export const inventoryApiMethods = {
  'projects.setHosts': {
    exposeAs: 'setProjectHosts',
    /**
     * Replaces the host list (discovery or typed in); a host keeping its name keeps its roles unless new ones are
     * given.
     */
    params: z.strictObject({ id: ProjectIdSchema, revision: Revision, hosts: z.array(HostInputSchema).max(1000) }),
    result: ProjectDocumentSchema,
  },
  'projects.savePlan': {
    exposeAs: 'saveProjectPlan',
    params: z.strictObject({
      id: ProjectIdSchema,
      revision: Revision,
      hosts: z.array(ClusterHostSchema).max(1000),
      deployNode: z.string().nullable(),
      settings: ClusterSettingsSchema,
    }),
    result: ProjectDocumentSchema,
  },
  'projects.chooseBundle': {
    exposeAs: 'chooseProjectBundle',
    /** A folder `bundles.list` returned, or null to clear the choice. */
    params: z.strictObject({ id: ProjectIdSchema, revision: Revision, bundlePath: z.string().max(4096).nullable() }),
    result: ProjectDocumentSchema,
  },
  'inventory.validate': {
    exposeAs: 'validateInventory',
    params: ProjectRefSchema,
    result: z.object({ findings: z.array(PlanFindingSchema) }),
  },
  /** What kubespray would download for the plan, checked against the chosen bundle (Review & export). */
  'inventory.checkDownloads': {
    exposeAs: 'checkInventoryDownloads',
    params: ProjectRefSchema,
    result: DownloadCheckSchema,
  },
  'inventory.preview': {
    exposeAs: 'previewInventory',
    params: ProjectRefSchema,
    result: z.object({
      files: z.array(InventoryFilePreviewSchema),
      lastExportAt: z.iso.datetime().nullable(),
      findings: z.array(PlanFindingSchema),
    }),
  },
  'inventory.exportArchive': {
    exposeAs: 'exportInventoryArchive',
    /** Browser mode: the archive comes back for the page to offer as a download. */
    params: z.strictObject({ id: ProjectIdSchema, format: ArchiveFormatSchema }),
    result: z.object({ fileName: z.string(), base64: z.string() }),
  },
  'inventory.saveArchive': {
    exposeAs: 'saveInventoryArchive',
    /** Desktop shell: asks where to save with the system dialog, then writes the archive there. */
    params: z.strictObject({ id: ProjectIdSchema, format: ArchiveFormatSchema }),
    result: z.object({ savedTo: z.string().nullable() }),
  },
  'inventory.import': {
    exposeAs: 'importInventory',
    /** `path` on the machine running Airspray: a folder, a hosts.yaml or an .ini file. */
    params: z.strictObject({ id: ProjectIdSchema, revision: Revision, path: z.string().min(1).max(4096) }),
    result: z.object({ project: ProjectDocumentSchema, notes: z.array(z.string()) }),
  },
  'inventory.previewImportFiles': {
    exposeAs: 'previewInventoryImportFiles',
    /** What importing these uploaded files would make of the plan; nothing is saved. */
    params: z.strictObject({ id: ProjectIdSchema, files: InventoryUploadSchema }),
    result: z.object({
      plan: z.object({
        hosts: z.array(ClusterHostSchema),
        deployNode: z.string().nullable(),
        settings: ClusterSettingsSchema,
      }),
      notes: z.array(z.string()),
    }),
  },
  'inventory.importFiles': {
    exposeAs: 'importInventoryFiles',
    /**
     * Browser mode and the desktop alike: the operator's files come as content, not as a path on the core's machine.
     */
    params: z.strictObject({ id: ProjectIdSchema, revision: Revision, files: InventoryUploadSchema }),
    result: z.object({ project: ProjectDocumentSchema, notes: z.array(z.string()) }),
  },
} as const;
