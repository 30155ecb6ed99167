import { z } from 'zod';
import { ClusterPlanSchema } from './cluster-plan';
import { CredentialReferenceSchema } from './credentials';
import { wizardStepIds } from './wizard';

export const currentProjectSchemaVersion = 2;

/** RFC 1123 label: kubespray uses the cluster name in DNS names and file paths. */
export const ClusterNameSchema = z
  .string()
  .trim()
  .min(1, 'Cluster name is empty: type a name such as "prod-dc1".')
  .max(63, 'Cluster name is longer than 63 characters: shorten it.')
  .regex(
    /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/,
    'Cluster name may hold only lowercase letters, digits and "-", and must start and end with a letter or digit (e.g. "prod-dc1").',
  );

export const ProjectIdSchema = z.uuid('Project id must be a UUID.');

/** The params of a method about one project and nothing more. */
export const ProjectRefSchema = z.strictObject({ id: ProjectIdSchema });

/** One cluster's saved state. Later capabilities add fields and bump the schema version with a migration. */
export const ProjectDocumentSchema = z.strictObject({
  schemaVersion: z.literal(currentProjectSchemaVersion),
  id: ProjectIdSchema,
  name: ClusterNameSchema,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** Increases by one on every save, so a stale writer can be refused. */
  revision: z.number().int().nonnegative(),
  wizard: z.strictObject({
    step: z.enum(wizardStepIds),
  }),
  /** Since version 2: hosts, roles, deploy node, settings and the chosen bundle. */
  cluster: ClusterPlanSchema,
  /** How to log in to the hosts, by reference (a key file, environment variable names): set from a plan file. */
  login: CredentialReferenceSchema.optional(),
});
export type ProjectDocument = z.infer<typeof ProjectDocumentSchema>;

export const ProjectSummarySchema = ProjectDocumentSchema.pick({ id: true, name: true, updatedAt: true });
export type ProjectSummary = z.infer<typeof ProjectSummarySchema>;
