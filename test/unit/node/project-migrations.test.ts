import { describe, expect, it } from 'vitest';
import { defaultClusterSettings } from '../../../electron/common/cluster-plan';
import { ProjectDocumentSchema } from '../../../electron/common/project';
import type { AirsprayError } from '../../../electron/common/errors';
import { migrateProjectDocument } from '../../../electron/node/projects/project-migrations';

describe('migrateProjectDocument', () => {
  it('applies each migration in order up to the target version', () => {
    const migrations = {
      0: (doc: Record<string, unknown>) => ({ ...doc, title: doc.label }),
      1: (doc: Record<string, unknown>) => ({ ...doc, name: String(doc.title).toLowerCase() }),
    };
    expect(migrateProjectDocument({ schemaVersion: 0, label: 'Lab' }, migrations, 2)).toEqual({
      schemaVersion: 2,
      label: 'Lab',
      title: 'Lab',
      name: 'lab',
    });
  });

  it('returns a current document unchanged', () => {
    const doc = { schemaVersion: 2, name: 'x' };
    expect(migrateProjectDocument(doc)).toEqual(doc);
  });

  it('refuses a document from a newer Airspray, a missing version and a gap in the migrations', () => {
    const refusal = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return (error as AirsprayError).i18n;
      }
      throw new Error('the document was accepted');
    };
    expect(refusal(() => migrateProjectDocument({ schemaVersion: 9 }))).toMatchObject({
      id: 'project.schema-too-new',
      params: { version: 9 },
    });
    expect(refusal(() => migrateProjectDocument({ name: 'x' }))?.id).toBe('project.schema-version-missing');
    expect(refusal(() => migrateProjectDocument([1, 2]))?.id).toBe('project.file-not-object');
    expect(refusal(() => migrateProjectDocument({ schemaVersion: 0 }, {}, 1))).toEqual({
      id: 'project.migration-missing',
      params: { from: 0, to: 1 },
    });
  });
});

describe('project schema 1 to 2', () => {
  it('adds an empty cluster plan with kubespray defaults and the project name as cluster name', () => {
    const v1 = {
      schemaVersion: 1,
      id: '7d4f8a34-8a0e-4d8f-9a43-0f6f5f0d2c11',
      name: 'prod-dc1',
      createdAt: '2025-11-20T10:00:00.000Z',
      updatedAt: '2025-11-20T10:00:00.000Z',
      revision: 3,
      wizard: { step: 'roles' },
    };
    const migrated = ProjectDocumentSchema.parse(migrateProjectDocument(v1));
    expect(migrated).toMatchObject({ schemaVersion: 2, revision: 3, wizard: { step: 'roles' } });
    expect(migrated.cluster).toEqual({
      hosts: [],
      deployNode: null,
      bundle: null,
      settings: defaultClusterSettings('prod-dc1'),
    });
    expect(migrated.cluster.settings).toMatchObject({
      podCidr: '10.233.64.0/18',
      serviceCidr: '10.233.0.0/18',
      nodePrefix: 24,
      networkPlugin: 'calico',
    });
  });
});
