import { describe, expect, it } from 'vitest';
import { emptyClusterPlan, noRoles } from '../../../electron/common/cluster-plan';
import type { RunRecord } from '../../../electron/common/run';
import { ApiCallError } from '../../../renderer/api/api-call-error';
import { createAirsprayStore } from '../../../renderer/store/create-airspray-store';
import type { KeyBootstrapResult } from '../../../renderer/store/deploy-prep-slice';
import { projectDocument, ScriptedApi } from './scripted-api';

const project = projectDocument();
const host = (name: string, ok = true): KeyBootstrapResult['hosts'][number] => ({
  name,
  address: '10.0.0.14',
  ok,
  authorizedKey: ok ? 'added' : null,
  keyLogin: ok,
  sudo: ok ? 'works' : 'not-checked',
  ...(ok ? {} : { message: 'password login refused' }),
});
const keys = (hosts: KeyBootstrapResult['hosts']): KeyBootstrapResult => ({
  publicKey: 'ssh-ed25519 AAAA airspray-prod-dc1',
  fingerprint: 'SHA256:x',
  protection: 'passphrase',
  created: false,
  hosts,
});
const started = (limit: string): RunRecord => ({
  id: 'r-9',
  projectId: project.id,
  cluster: project.name,
  playbook: 'scale.yml',
  commandLine: `ansible-playbook scale.yml --limit ${limit}`,
  options: { playbook: 'scale.yml', limit },
  startedAt: '2025-11-20T10:09:00.000Z',
  startedBy: 'ops@laptop as ops',
  deployNode: '10.0.0.11',
  inventoryDigest: 'abc',
  state: 'running',
  logBytes: 0,
  digest: { tasksStarted: 0, hosts: {}, failures: [] },
});

function openStore(api: ScriptedApi, credential: string | null = 'cred-1') {
  const store = createAirsprayStore(api);
  store.setState({ currentProject: project, selectedCredentialId: credential, runsProjectId: project.id });
  return store;
}

describe('add nodes slice', () => {
  it('installs the deploy key on the new hosts only, then starts scale.yml limited to them', async () => {
    const order: string[] = [];
    const api = new ScriptedApi()
      .on('deploy.bootstrapKeys', ({ hosts }) => {
        order.push('keys');
        return keys((hosts ?? []).map((name) => host(name)));
      })
      .on('runs.start', ({ options }) => {
        order.push('run');
        return started(options.limit ?? '');
      });
    const store = openStore(api);
    store.getState().setDeployKeyPassphrase('correct horse');
    await store.getState().addNodesToCluster(['node4', 'node5']);
    expect(order).toEqual(['keys', 'run']);
    expect(api.callsOf('deploy.bootstrapKeys')).toEqual([
      { projectId: project.id, credentialId: 'cred-1', hosts: ['node4', 'node5'], keyPassphrase: 'correct horse' },
    ]);
    expect(api.callsOf('runs.start')[0]).toMatchObject({
      options: { playbook: 'scale.yml', limit: 'node4,node5' },
      keyPassphrase: 'correct horse',
    });
    expect(store.getState().addNodes).toMatchObject({
      step: 'started',
      projectId: project.id,
      hosts: ['node4', 'node5'],
      error: null,
    });
    expect(store.getState().shownRunId).toBe('r-9');
  });

  it('adds a control plane by kubespray procedure (nodes.change) after the key, not by scale.yml', async () => {
    const plan = emptyClusterPlan(project.name);
    const cp2 = { name: 'cp2', address: '10.0.0.12', roles: { ...noRoles, controlPlane: true } };
    const api = new ScriptedApi()
      .on('deploy.bootstrapKeys', ({ hosts }) => keys((hosts ?? []).map((name) => host(name))))
      .on('nodes.change', ({ projectId, action, hosts }) => ({
        id: 'n-1',
        projectId,
        startedAt: '2025-11-20T10:09:00.000Z',
        procedure: { request: { action, hosts }, runs: [], manualSteps: [] },
        state: 'running' as const,
      }));
    const store = openStore(api);
    store.setState({ currentProject: { ...project, cluster: { ...plan, hosts: [cp2] } } });
    await store.getState().addNodesToCluster(['cp2']);
    expect(api.callsOf('nodes.change')).toEqual([
      { projectId: project.id, credentialId: 'cred-1', action: 'add', hosts: ['cp2'] },
    ]);
    expect(api.callsOf('runs.start')).toEqual([]);
    expect(store.getState().nodeChange?.id).toBe('n-1');
    expect(store.getState().addNodes.step).toBe('started');
  });

  it('stops before scale.yml when the key failed on a host, keeping the outcome per host', async () => {
    const outcome = keys([host('node4'), host('node5', false)]);
    const api = new ScriptedApi().on('deploy.bootstrapKeys', () => outcome);
    const store = openStore(api);
    await store.getState().addNodesToCluster(['node4', 'node5']);
    expect(api.callsOf('runs.start')).toEqual([]);
    expect(store.getState().addNodes).toMatchObject({ step: 'failed', keys: outcome, error: null });
  });

  it('names the field of a refused bootstrap and starts nothing', async () => {
    const api = new ScriptedApi().refuses(
      'deploy.bootstrapKeys',
      new ApiCallError(
        'invalid_params',
        'node9 is not in the plan: add it on the Discover or Roles step, or leave it out.',
        'hosts',
      ),
    );
    const store = openStore(api);
    await store.getState().addNodesToCluster(['node9']);
    expect(api.callsOf('runs.start')).toEqual([]);
    expect(store.getState().addNodes).toMatchObject({
      step: 'failed',
      keys: null,
      error: {
        field: 'hosts',
        message: 'node9 is not in the plan: add it on the Discover or Roles step, or leave it out.',
      },
    });
  });

  it('refuses without a profile before calling anything', async () => {
    const api = new ScriptedApi();
    const store = openStore(api, null);
    await store.getState().addNodesToCluster(['node4']);
    expect(api.calls).toEqual([]);
    expect(store.getState().addNodes.error?.field).toBe('credentialId');
  });

  it('says so when scale.yml is refused after the key went on', async () => {
    const api = new ScriptedApi()
      .on('deploy.bootstrapKeys', () => keys([host('node4')]))
      .refuses('runs.start', new ApiCallError('conflict', 'A run is going on this cluster already.', 'projectId'));
    const store = openStore(api);
    await store.getState().addNodesToCluster(['node4']);
    expect(store.getState().addNodes.step).toBe('failed');
    expect(store.getState().runStartError).toEqual({
      message: 'A run is going on this cluster already.',
      field: 'projectId',
    });
  });
});
