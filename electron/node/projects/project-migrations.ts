import { emptyClusterPlan } from '../../common/cluster-plan';
import { currentProjectSchemaVersion } from '../../common/project';
import { coreError } from '../i18n/format-core-message';

/**
 * Upgrades a document from the version it is keyed by to the next one. Add an entry whenever the schema version goes
 * up.
 */
export type ProjectMigration = (document: Record<string, unknown>) => Record<string, unknown>;
export type ProjectMigrations = Readonly<Record<number, ProjectMigration>>;

export const projectMigrations: ProjectMigrations = {
  /** Version 2 adds the cluster plan: no hosts yet, kubespray's default settings, the project name as cluster name. */
  1: (document) => ({
    ...document,
    cluster: emptyClusterPlan(typeof document.name === 'string' ? document.name : undefined),
  }),
};

/** Brings a stored document up to `targetVersion` step by step; refuses documents from a newer Airspray. */
export function migrateProjectDocument(
  raw: unknown,
  migrations: ProjectMigrations = projectMigrations,
  targetVersion: number = currentProjectSchemaVersion,
): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw coreError('bad_request', 'project.file-not-object');
  }
  let document = raw as Record<string, unknown>;
  const version = document.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    throw coreError('bad_request', 'project.schema-version-missing', {}, 'schemaVersion');
  }
  if (version > targetVersion) {
    throw coreError('unsupported', 'project.schema-too-new', { version, supported: targetVersion }, 'schemaVersion');
  }
  for (let from = version; from < targetVersion; from += 1) {
    const migrate = migrations[from];
    if (!migrate) {
      throw coreError('unsupported', 'project.migration-missing', { from, to: from + 1 }, 'schemaVersion');
    }
    document = { ...migrate(document), schemaVersion: from + 1 };
  }
  return document;
}
