import { describe, expect, it } from 'vitest';
import { emptyClusterPlan, noRoles } from '../../../electron/common/cluster-plan';
import type { LifecycleRecord } from '../../../electron/common/node-lifecycle';
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
/** nodes.change's answer: the procedure under way, no run started yet (nodes.updated follows each). */
const underWay = (hosts: string[], runs: LifecycleRecord['procedure']['runs'] = []): LifecycleRecord => ({
  id: 'n-1',
  projectId: project.id,
  startedAt: '2025-11-20T10:09:00.000Z',
  procedure: { request: { action: 'add', hosts }, runs, manualSteps: [] },
  state: 'running',
});
const facts = { label: 'facts of every host', options: { playbook: 'playbooks/facts.yml' as const } };
const scale = (limit: string) => ({ label: 'workers', options: { playbook: 'scale.yml' as const, limit } });

function openStore(api: ScriptedApi, credential: string | null = 'cred-1') {
  const store = createAirsprayStore(api);
  store.setState({ currentProject: project, selectedCredentialId: credential, runsProjectId: project.id });
  return store;
}

describe('add nodes slice', () => {
  it('installs the deploy key on the new hosts only, then starts the procedure `airspray node add` runs', async () => {
    const order: string[] = [];
    const api = new ScriptedApi()
      .on('deploy.bootstrapKeys', ({ hosts }) => {
        order.push('keys');
        return keys((hosts ?? []).map((name) => host(name)));
      })
      .on('nodes.change', ({ hosts }) => {
        order.push('procedure');
        return underWay(hosts);
      });
    const store = openStore(api);
    store.getState().setDeployKeyPassphrase('correct horse');
    store.getState().setKubesprayDir(' /home/ops/kubespray ');
    await store.getState().addNodesToCluster(['node4', 'node5']);
    expect(order).toEqual(['keys', 'procedure']);
    expect(api.callsOf('deploy.bootstrapKeys')).toEqual([
      { projectId: project.id, credentialId: 'cred-1', hosts: ['node4', 'node5'], keyPassphrase: 'correct horse' },
    ]);
    // Workers too: not scale.yml alone, which would gather the other hosts' facts afresh or find none.
    expect(api.callsOf('runs.start')).toEqual([]);
    expect(api.callsOf('nodes.change')).toEqual([
      {
        projectId: project.id,
        credentialId: 'cred-1',
        keyPassphrase: 'correct horse',
        action: 'add',
        hosts: ['node4', 'node5'],
        kubesprayDir: '/home/ops/kubespray',
      },
    ]);
    expect(store.getState().addNodes).toMatchObject({
      step: 'started',
      projectId: project.id,
      hosts: ['node4', 'node5'],
      error: null,
    });
    expect(store.getState().nodeChange?.id).toBe('n-1');
  });

  it('shows each run of the procedure in the terminal as it starts, not again when it goes on', async () => {
    const api = new ScriptedApi()
      .on('deploy.bootstrapKeys', ({ hosts }) => keys((hosts ?? []).map((name) => host(name))))
      .on('nodes.change', ({ hosts }) =>
        underWay(hosts, [
          { ...facts, state: 'pending' },
          { ...scale('node4'), state: 'pending' },
        ]),
      );
    const store = openStore(api);
    store.getState().watchNodeChanges();
    store.setState({ shownRunId: 'r-old' });
    await store.getState().addNodesToCluster(['node4']);
    expect(store.getState().shownRunId).toBe('r-old');
    const factsGoingOn = underWay(
      ['node4'],
      [
        { ...facts, runId: 'r-10', state: 'running' },
        { ...scale('node4'), state: 'pending' },
      ],
    );
    api.emit('nodes.updated', factsGoingOn);
    expect(store.getState().shownRunId).toBe('r-10');
    // The operator opens another run while facts.yml goes on: the same run's updates leave that choice alone.
    store.getState().showRun('r-old');
    api.emit('nodes.updated', factsGoingOn);
    expect(store.getState().shownRunId).toBe('r-old');
    api.emit(
      'nodes.updated',
      underWay(
        ['node4'],
        [
          { ...facts, runId: 'r-10', state: 'succeeded' },
          { ...scale('node4'), runId: 'r-11', state: 'running' },
        ],
      ),
    );
    expect(store.getState().shownRunId).toBe('r-11');
    expect(store.getState().nodeChange?.procedure.runs.map((run) => run.state)).toEqual(['succeeded', 'running']);
  });

  it('adds a control plane by kubespray procedure (nodes.change) after the key, not by scale.yml', async () => {
    const plan = emptyClusterPlan(project.name);
    const cp2 = { name: 'cp2', address: '10.0.0.12', roles: { ...noRoles, controlPlane: true } };
    const api = new ScriptedApi()
      .on('deploy.bootstrapKeys', ({ hosts }) => keys((hosts ?? []).map((name) => host(name))))
      .on('nodes.change', ({ hosts }) => underWay(hosts));
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

  it('stops before any run when the key failed on a host, keeping the outcome per host', async () => {
    const outcome = keys([host('node4'), host('node5', false)]);
    const api = new ScriptedApi().on('deploy.bootstrapKeys', () => outcome);
    const store = openStore(api);
    await store.getState().addNodesToCluster(['node4', 'node5']);
    expect(api.callsOf('nodes.change')).toEqual([]);
    expect(store.getState().addNodes).toMatchObject({ step: 'failed', keys: outcome, error: null });
  });

  it('names the field of a refused bootstrap and starts nothing', async () => {
    const notInPlan = 'node9 is not in the plan: add it on the Discover or Roles step, or leave it out.';
    const api = new ScriptedApi().refusesWith('deploy.bootstrapKeys', 'invalid_params', notInPlan, 'hosts');
    const store = openStore(api);
    await store.getState().addNodesToCluster(['node9']);
    expect(api.callsOf('nodes.change')).toEqual([]);
    expect(store.getState().addNodes).toMatchObject({
      step: 'failed',
      keys: null,
      error: { field: 'hosts', message: notInPlan },
    });
  });

  it('refuses without a profile before calling anything', async () => {
    const api = new ScriptedApi();
    const store = openStore(api, null);
    await store.getState().addNodesToCluster(['node4']);
    expect(api.calls).toEqual([]);
    expect(store.getState().addNodes.error?.field).toBe('credentialId');
  });

  it('says so when the procedure is refused after the key went on', async () => {
    const refusal = 'A node procedure is under way on this cluster: wait for it to end.';
    const api = new ScriptedApi()
      .on('deploy.bootstrapKeys', () => keys([host('node4')]))
      .refusesWith('nodes.change', 'conflict', refusal, 'projectId');
    const store = openStore(api);
    await store.getState().addNodesToCluster(['node4']);
    expect(store.getState().addNodes.step).toBe('failed');
    // Shown where the procedure is (NodeProcedure), once.
    expect(store.getState().addNodes.error).toBeNull();
    expect(store.getState().nodeChangeError).toEqual({ message: refusal, field: 'projectId' });
  });
});
