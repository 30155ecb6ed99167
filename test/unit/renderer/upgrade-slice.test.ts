import { describe, expect, it } from 'vitest';
import type { UpgradeOptions, UpgradeRecord } from '../../../electron/common/upgrade';
import { createAirsprayStore } from '../../../renderer/store/create-airspray-store';
import { projectDocument, ScriptedApi } from './scripted-api';

const project = projectDocument();
const from = { bundleId: 'old', kubesprayVersion: '2.23.3', kubernetesVersion: '1.27.10' };
const to = { bundleId: 'next', kubesprayVersion: '2.23.3', kubernetesVersion: '1.28.6' };
const options: UpgradeOptions = {
  current: from,
  choices: [{ allowed: true, to }],
  last: null,
};
const record = (state: UpgradeRecord['state']): UpgradeRecord => ({
  id: 'u-1',
  projectId: project.id,
  from,
  to,
  pauseBetweenNodes: true,
  startedAt: '2026-01-01T00:00:00.000Z',
  done: [],
  steps: [],
  state,
});

describe('upgrade slice', () => {
  it('starts the chosen upgrade with the selected profile and follows it through upgrade.updated', async () => {
    const api = new ScriptedApi().on('upgrade.options', () => options).on('upgrade.start', () => record('running'));
    const store = createAirsprayStore(api);
    store.setState({ currentProject: project, selectedCredentialId: 'cred-1' });
    await store.getState().loadUpgradeOptions();
    const unwatch = store.getState().watchUpgrades();
    await store.getState().startUpgrade({ bundleId: 'next', pauseBetweenNodes: true });
    expect(api.callsOf('upgrade.start')).toEqual([
      { projectId: project.id, credentialId: 'cred-1', bundleId: 'next', pauseBetweenNodes: true },
    ]);
    expect(store.getState().upgradeOptions?.last?.state).toBe('running');
    api.emit('upgrade.updated', { ...record('paused'), message: 'Paused after kube_control_plane:etcd; next: lab3.' });
    expect(store.getState().upgradeOptions?.last).toMatchObject({ state: 'paused', message: /next: lab3/ });
    unwatch();
  });

  it('keeps a refusal to show beside the buttons', async () => {
    const api = new ScriptedApi().on('upgrade.start', () => {
      throw Object.assign(new Error('Kubernetes 1.27.10 → 1.29.0 skips a minor release'), { field: 'bundleId' });
    });
    const store = createAirsprayStore(api);
    store.setState({ currentProject: project, selectedCredentialId: 'cred-1' });
    await store.getState().startUpgrade({ bundleId: 'far', pauseBetweenNodes: false });
    expect(store.getState().upgradeError?.message).toMatch(/1\.27\.10 → 1\.29\.0 skips/);
  });
});
