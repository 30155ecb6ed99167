import { describe, expect, it } from 'vitest';
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
    const doc = { schemaVersion: 1, name: 'x' };
    expect(migrateProjectDocument(doc)).toEqual(doc);
  });

  it('refuses a document from a newer Airspray, a missing version and a gap in the migrations', () => {
    expect(() => migrateProjectDocument({ schemaVersion: 9 })).toThrow(/newer than this Airspray/);
    expect(() => migrateProjectDocument({ name: 'x' })).toThrow(/schemaVersion/);
    expect(() => migrateProjectDocument([1, 2])).toThrow(/JSON object/);
    expect(() => migrateProjectDocument({ schemaVersion: 0 }, {}, 1)).toThrow(/No migration from project schema version 0/);
  });
});
