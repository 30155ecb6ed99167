import { describe, expect, it } from 'vitest';
import type { ProjectDocument } from '../../../electron/common/project';
import { ApiCallError } from '../../../renderer/api/api-call-error';
import { coreCatalogs } from '../../../renderer/i18n/catalogs';
import { createAirsprayStore } from '../../../renderer/store/create-airspray-store';
import { selectPlan, selectSavedHosts } from '../../../renderer/store/plan-slice';
import { host } from '../../support/cluster-plans';
import { projectDocument, ScriptedApi, settle } from './scripted-api';

/**
 * A server stand-in keeping one project, refusing stale revisions as the contract says, and slow enough to overlap
 * edits.
 */
function apiWithProject(initial: ProjectDocument) {
  let saved = initial;
  let release: () => void = () => undefined;
  const api = new ScriptedApi()
    .on('projects.open', () => saved)
    .on('projects.savePlan', async ({ revision, hosts, deployNode, settings }) => {
      await new Promise<void>((resolve) => (release = resolve));
      if (revision !== saved.revision) throw new ApiCallError('stale_revision', 'Another window saved first.');
      saved = { ...saved, revision: saved.revision + 1, cluster: { ...saved.cluster, hosts, deployNode, settings } };
      return saved;
    });
  return {
    api,
    saved: () => saved,
    release: () => release(),
    bumpRevision: () => (saved = { ...saved, revision: saved.revision + 1 }),
  };
}

describe('plan slice', () => {
  it('gives the same empty host list on every read while no project is open, so a view reading it renders once', () => {
    const store = createAirsprayStore(new ScriptedApi());
    expect(selectSavedHosts(store.getState())).toEqual([]);
    expect(selectSavedHosts(store.getState())).toBe(selectSavedHosts(store.getState()));
  });

  it('shows edits at once, saves them in the background and folds edits made during a save into one more save', async () => {
    const server = apiWithProject(projectDocument({ revision: 2 }));
    const store = createAirsprayStore(server.api);
    await store.getState().openProject(projectDocument().id);

    store.getState().editPlan((plan) => ({ ...plan, hosts: [host(1, 'cew')] }));
    store.getState().editPlan((plan) => ({ ...plan, hosts: [...plan.hosts, host(2, 'w')] }));
    store.getState().editPlan((plan) => ({ ...plan, deployNode: 'node1' }));
    expect(selectPlan(store.getState())?.hosts.map((entry) => entry.name)).toEqual(['node1', 'node2']);
    expect(selectPlan(store.getState())).toBe(selectPlan(store.getState()));

    for (let round = 0; round < 2; round += 1) {
      await settle();
      server.release();
      await settle();
    }
    expect(server.api.callsOf('projects.savePlan')).toHaveLength(2);
    expect(server.saved().cluster.deployNode).toBe('node1');
    expect(server.saved().cluster.hosts).toHaveLength(2);
    expect(store.getState().currentProject?.revision).toBe(4);
    expect(store.getState().planSaving).toBe(false);
  });

  it('puts its edits on top when another save went first', async () => {
    const server = apiWithProject(projectDocument({ revision: 2 }));
    const store = createAirsprayStore(server.api);
    await store.getState().openProject(projectDocument().id);
    server.bumpRevision();
    store.getState().editPlan((plan) => ({ ...plan, settings: { ...plan.settings, kubeProxyMode: 'iptables' } }));
    await settle();
    server.release();
    await settle();
    server.release();
    await settle();
    expect(server.saved().cluster.settings.kubeProxyMode).toBe('iptables');
    expect(store.getState().planSaveError).toBeNull();
  });

  it('shows the newest preview when an older request answers after it', async () => {
    const preview = (mode: string) => ({
      files: [
        {
          path: 'group_vars/k8s_cluster/k8s-cluster.yml',
          content: `kube_proxy_mode: ${mode}\n`,
          previous: null,
          status: 'new' as const,
        },
      ],
      lastExportAt: null,
      findings: [],
    });
    const answers: ((mode: string) => void)[] = [];
    const api = new ScriptedApi()
      .on('projects.open', () => projectDocument())
      .on(
        'inventory.preview',
        () => new Promise<ReturnType<typeof preview>>((resolve) => answers.push((mode) => resolve(preview(mode)))),
      );
    const store = createAirsprayStore(api);
    await store.getState().openProject(projectDocument().id);
    const older = store.getState().loadPreview();
    const newer = store.getState().loadPreview();
    answers[1]!('iptables');
    await newer;
    answers[0]!('ipvs');
    await older;
    expect(store.getState().inventoryPreview?.files[0]?.content).toBe('kube_proxy_mode: iptables\n');
    expect(store.getState().previewStatus).toBe('loaded');
  });

  it("says a refusal the core sent by id in the window's language, and in English as it came", async () => {
    const english = 'The bundle is not signed: manifest.json.sig is missing.';
    const api = new ScriptedApi()
      .on('projects.open', () => projectDocument({ revision: 1 }))
      .refuses(
        'projects.chooseBundle',
        new ApiCallError('invalid_params', english, 'bundlePath', { id: 'bundle.unsigned', params: {} }),
      );
    const store = createAirsprayStore(api);
    await store.getState().openProject('p1');
    await store.getState().chooseBundle('/media/stick/bundles/b1');
    expect(store.getState().bundleChoiceError).toBe(english);
    store.setState({ locale: 'zh-CN' });
    await store.getState().chooseBundle('/media/stick/bundles/b1');
    expect(store.getState().bundleChoiceError).toBe(coreCatalogs['zh-CN']['bundle.unsigned']);
  });
});
