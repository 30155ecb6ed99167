import { describe, expect, it } from 'vitest';
import type { ProjectDocument } from '../../../electron/common/project';
import { ApiCallError } from '../../../renderer/api/api-call-error';
import { createAirsprayStore } from '../../../renderer/store/create-airspray-store';
import { projectDocument, ScriptedApi, settle } from './scripted-api';

/** A server stand-in that keeps one project and refuses writes carrying a stale revision, as the contract says. */
function apiWithProject(initial: ProjectDocument) {
  let saved = initial;
  const api = new ScriptedApi()
    .on('projects.open', () => saved)
    .on('projects.setStep', ({ step, revision }) => {
      if (revision !== saved.revision) throw new ApiCallError('stale_revision', 'Another window saved first.');
      saved = { ...saved, revision: saved.revision + 1, wizard: { step } };
      return saved;
    });
  return { api, saved: () => saved, bumpRevision: () => (saved = { ...saved, revision: saved.revision + 1 }) };
}

/** A store with a project open whose every step save the API refuses with `error`. */
async function openWhereSavingFails(error: ApiCallError) {
  const project = projectDocument();
  const api = new ScriptedApi().on('projects.open', () => project).refuses('projects.setStep', error);
  const store = createAirsprayStore(api);
  await store.getState().openProject(project.id);
  return { api, store };
}

describe('projects slice', () => {
  it('opening a project restores its saved step', async () => {
    const { api } = apiWithProject(projectDocument({ revision: 4, wizard: { step: 'settings' } }));
    const store = createAirsprayStore(api);
    expect(await store.getState().openProject(projectDocument().id)).toBe(true);
    expect(store.getState().step).toBe('settings');
    expect(store.getState().currentProject?.revision).toBe(4);
    expect(api.callsOf('projects.setStep')).toEqual([]);
  });

  it('keeps and saves a step clicked while the project was opening', async () => {
    const project = projectDocument({ revision: 2, wizard: { step: 'discover' } });
    const { api, saved } = apiWithProject(project);
    const store = createAirsprayStore(api);
    const opening = store.getState().openProject(project.id);
    store.getState().goToStep('operate');
    expect(await opening).toBe(true);
    await settle();

    expect(store.getState().step).toBe('operate');
    expect(api.callsOf('projects.setStep')).toEqual([{ id: project.id, step: 'operate', revision: 2 }]);
    expect(saved().wizard.step).toBe('operate');
  });

  it('saves each step change with the revision it last saw', async () => {
    const project = projectDocument({ revision: 7 });
    const { api, saved } = apiWithProject(project);
    const store = createAirsprayStore(api);
    await store.getState().openProject(project.id);

    store.getState().goNext();
    await settle();
    store.getState().goNext();
    await settle();

    expect(api.callsOf('projects.setStep')).toEqual([
      { id: project.id, step: 'discover', revision: 7 },
      { id: project.id, step: 'access', revision: 8 },
    ]);
    expect(saved().wizard.step).toBe('access');
    expect(store.getState().currentProject?.revision).toBe(9);
    expect(store.getState().stepSaving).toBe(false);
    expect(store.getState().stepSaveError).toBeNull();
  });

  it('folds quick step changes into one save of the latest step after the one in flight', async () => {
    const project = projectDocument();
    const { api, saved } = apiWithProject(project);
    const store = createAirsprayStore(api);
    await store.getState().openProject(project.id);

    store.getState().goNext();
    store.getState().goNext();
    store.getState().goNext();
    await settle();

    expect(api.callsOf('projects.setStep').map((call) => [call.step, call.revision])).toEqual([
      ['discover', 0],
      ['roles', 1],
    ]);
    expect(saved().wizard.step).toBe('roles');
  });

  it('after a stale revision re-reads the project and saves on top of the newer revision', async () => {
    const project = projectDocument({ revision: 2 });
    const { api, saved, bumpRevision } = apiWithProject(project);
    const store = createAirsprayStore(api);
    await store.getState().openProject(project.id);
    bumpRevision(); // another window saved meanwhile

    store.getState().goToStep('review');
    await settle();

    expect(api.callsOf('projects.setStep').map((call) => call.revision)).toEqual([2, 3]);
    expect(saved().wizard.step).toBe('review');
    expect(store.getState().currentProject?.revision).toBe(4);
    expect(store.getState().stepSaveError).toBeNull();
  });

  it('retries only a stale revision: another conflict is reported once, never repeated', async () => {
    const { api, store } = await openWhereSavingFails(
      new ApiCallError('conflict', 'The project folder is locked by another program.'),
    );

    store.getState().goToStep('review');
    await settle();

    expect(api.callsOf('projects.setStep')).toHaveLength(1);
    expect(store.getState().stepSaveError).toMatch(/locked by another program/);
  });

  it('reports a failed save and keeps the step the user chose', async () => {
    const { store } = await openWhereSavingFails(
      new ApiCallError('internal', 'Disk full: free space in the data folder.'),
    );

    store.getState().goNext();
    await settle();

    expect(store.getState().step).toBe('discover');
    expect(store.getState().stepSaveError).toContain('Disk full: free space in the data folder.');
    expect(store.getState().currentProject?.revision).toBe(0);
  });

  it('shows the API validation error for the cluster name and opens nothing', async () => {
    const api = new ScriptedApi().refuses(
      'projects.create',
      new ApiCallError('invalid_params', 'Cluster name may hold only lowercase letters.', 'name'),
    );
    const store = createAirsprayStore(api);

    expect(await store.getState().createProject('Prod DC')).toBe(false);

    expect(api.callsOf('projects.create')).toEqual([{ name: 'Prod DC' }]);
    expect(store.getState().createProjectError).toEqual({
      message: 'Cluster name may hold only lowercase letters.',
      field: 'name',
    });
    expect(store.getState().currentProject).toBeNull();
    expect(store.getState().creatingProject).toBe(false);
  });

  it('opens a created project, closes the picker and refreshes the list', async () => {
    const created = projectDocument({ name: 'edge-1' });
    const api = new ScriptedApi()
      .on('projects.create', () => created)
      .on('projects.list', () => [{ id: created.id, name: created.name, updatedAt: created.updatedAt }]);
    const store = createAirsprayStore(api);
    store.getState().setProjectPickerOpen(true);

    expect(await store.getState().createProject('edge-1')).toBe(true);
    await settle();

    expect(store.getState().currentProject?.name).toBe('edge-1');
    expect(store.getState().projectPickerOpen).toBe(false);
    expect(store.getState().projects.map((project) => project.name)).toEqual(['edge-1']);
  });

  it('follows projects.changed while watching, and stops after', () => {
    const api = new ScriptedApi();
    const store = createAirsprayStore(api);
    const stop = store.getState().watchProjects();
    const summary = { id: projectDocument().id, name: 'prod-dc1', updatedAt: '2025-11-21T09:00:00.000Z' };

    api.emit('projects.changed', { projects: [summary] });
    expect(store.getState().projects).toEqual([summary]);

    stop();
    api.emit('projects.changed', { projects: [] });
    expect(store.getState().projects).toEqual([summary]);
  });
});
