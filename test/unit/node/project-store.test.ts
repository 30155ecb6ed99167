import { mkdtemp, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AirsprayError } from '../../../electron/common/errors';
import { ProjectStore } from '../../../electron/node/projects/project-store';

const newStore = async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'airspray-projects-'));
  return { dataDir, store: new ProjectStore(dataDir) };
};

describe('ProjectStore', () => {
  it('creates a project as a versioned JSON document and lists it', async () => {
    const { dataDir, store } = await newStore();
    const project = await store.create('prod-dc1');
    const onDisk = JSON.parse(await readFile(join(dataDir, 'projects', project.id, 'project.json'), 'utf8'));
    expect(onDisk).toMatchObject({ schemaVersion: 2, name: 'prod-dc1', revision: 0, wizard: { step: 'bundle' } });
    expect(await store.list()).toEqual([{ id: project.id, name: 'prod-dc1', updatedAt: project.updatedAt }]);
  });

  it('refuses a second project with the same cluster name, naming the field', async () => {
    const { store } = await newStore();
    await store.create('lab');
    await expect(store.create('lab')).rejects.toMatchObject({ code: 'conflict', field: 'name' });
  });

  it('saves the wizard step and bumps the revision; a stale revision is refused and loses nothing', async () => {
    const { store } = await newStore();
    const created = await store.create('lab');
    const saved = await store.setStep(created.id, 'roles', 0);
    expect(saved).toMatchObject({ revision: 1, wizard: { step: 'roles' } });
    await expect(store.setStep(created.id, 'deploy', 0)).rejects.toMatchObject({
      code: 'stale_revision',
      field: 'revision',
    });
    expect((await store.open(created.id)).wizard.step).toBe('roles');
  });

  it('renames under the revision, the cluster name following, and refuses a taken or malformed name', async () => {
    const { store } = await newStore();
    await store.create('dc2');
    const created = await store.create('dc1');
    const renamed = await store.rename(created.id, 'prod-dc1', 0);
    expect(renamed).toMatchObject({
      name: 'prod-dc1',
      revision: 1,
      cluster: { settings: { clusterName: 'prod-dc1' } },
    });
    await expect(store.rename(created.id, 'dc2', 1)).rejects.toMatchObject({ code: 'conflict', field: 'name' });
    await expect(store.rename(created.id, 'Prod_DC', 1)).rejects.toMatchObject({
      code: 'invalid_params',
      field: 'name',
    });
    await expect(store.rename(created.id, 'dc3', 0)).rejects.toMatchObject({
      code: 'stale_revision',
      field: 'revision',
    });
    expect((await store.open(created.id)).name).toBe('prod-dc1');
  });

  it("deletes a project's folder only at the revision the caller saw", async () => {
    const { dataDir, store } = await newStore();
    const created = await store.create('dc1');
    await store.setStep(created.id, 'roles', 0);
    await expect(store.delete(created.id, 0)).rejects.toMatchObject({ code: 'stale_revision', field: 'revision' });
    expect(await store.list()).toHaveLength(1);
    await store.delete(created.id, 1);
    expect(await store.list()).toEqual([]);
    expect(await readdir(join(dataDir, 'projects'))).toEqual([]);
  });

  it('serializes concurrent saves of one project', async () => {
    const { store } = await newStore();
    const created = await store.create('lab');
    const results = await Promise.allSettled([
      store.setStep(created.id, 'roles', 0),
      store.setStep(created.id, 'access', 0),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((await store.open(created.id)).revision).toBe(1);
  });

  it('reports a corrupt project file with its path, skips it in the list and leaves it on disk', async () => {
    const { dataDir, store } = await newStore();
    const good = await store.create('good');
    const badId = '00000000-0000-4000-8000-000000000000';
    const badFolder = join(dataDir, 'projects', badId);
    await mkdir(badFolder, { recursive: true });
    await writeFile(join(badFolder, 'project.json'), '{"schemaVersion": 1, "id": ');
    await expect(store.open(badId)).rejects.toMatchObject({ i18n: { id: 'project.file-not-json' } });
    expect((await store.list()).map((project) => project.id)).toEqual([good.id]);
    expect(await readdir(badFolder)).toEqual(['project.json']);
  });

  it('refuses an unknown id with not_found and a non-UUID id before touching the disk', async () => {
    const { store } = await newStore();
    await expect(store.open('11111111-1111-4111-8111-111111111111')).rejects.toBeInstanceOf(AirsprayError);
    await expect(store.open('../../etc/passwd')).rejects.toThrow();
  });
});
