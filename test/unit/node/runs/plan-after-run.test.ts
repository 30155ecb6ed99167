import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { noRoles } from '../../../../electron/common/cluster-plan';
import type { RunOptions, RunRecord } from '../../../../electron/common/run';
import { ProjectStore } from '../../../../electron/node/projects/project-store';
import { renderProjectInventory } from '../../../../electron/node/inventory/inventory-service';
import { removeNodesFromPlan } from '../../../../electron/node/runs/plan-after-run';
import { finishedRun } from '../../../support/run-record';

const worker = { controlPlane: false, etcd: false, worker: true, calicoRr: false };
const controlPlane = { controlPlane: true, etcd: true, worker: true, calicoRr: false };

async function projectWithHosts() {
  const store = new ProjectStore(await mkdtemp(join(tmpdir(), 'airspray-plan-after-run-')));
  const created = await store.create('lab');
  const project = await store.update(created.id, created.revision, (current) => ({
    ...current,
    cluster: {
      ...current.cluster,
      deployNode: 'node1',
      hosts: [
        { name: 'node1', address: '10.0.0.11', roles: controlPlane },
        { name: 'node2', address: '10.0.0.12', roles: worker },
        { name: 'node3', address: '10.0.0.13', roles: worker },
      ],
    },
  }));
  return { store, project };
}

const removal = (projectId: string, options: RunOptions): RunRecord => finishedRun(options, { projectId });

describe('the plan after a successful remove-node.yml', () => {
  it('drops the removed nodes, so the next cluster.yml inventory no longer names them', async () => {
    const { store, project } = await projectWithHosts();
    const removed = await removeNodesFromPlan(
      store,
      removal(project.id, { playbook: 'remove-node.yml', extraVars: { node: 'node3,node9', skip_confirmation: true } }),
    );
    expect(removed).toEqual(['node3']);
    const after = await store.open(project.id);
    expect(after.cluster.hosts.map((host) => host.name)).toEqual(['node1', 'node2']);
    expect(after.revision).toBe(project.revision + 1);
    const hostsYaml = renderProjectInventory(after, 'test').find((file) => file.path === 'hosts.yaml')!.content;
    expect(hostsYaml).toContain('node2');
    expect(hostsYaml).not.toContain('node3');
  });

  it('keeps the deploy node in the plan with no role left, and changes nothing for other playbooks', async () => {
    const { store, project } = await projectWithHosts();
    expect(
      await removeNodesFromPlan(store, removal(project.id, { playbook: 'scale.yml', extraVars: { node: 'node2' } })),
    ).toEqual([]);
    expect(await removeNodesFromPlan(store, removal(project.id, { playbook: 'remove-node.yml' }))).toEqual([]);
    expect((await store.open(project.id)).revision).toBe(project.revision);

    await removeNodesFromPlan(
      store,
      removal(project.id, {
        playbook: 'remove-node.yml',
        extraVars: { node: 'node1', reset_nodes: false, allow_ungraceful_removal: true },
      }),
    );
    const after = await store.open(project.id);
    expect(after.cluster.deployNode).toBe('node1');
    expect(after.cluster.hosts.find((host) => host.name === 'node1')?.roles).toEqual(noRoles);
    expect(after.cluster.hosts).toHaveLength(3);
  });
});
