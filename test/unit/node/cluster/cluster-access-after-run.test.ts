import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClusterAccess } from '../../../../electron/common/cluster-api';
import type { RunOptions, RunRecord } from '../../../../electron/common/run';
import { ClusterAccessService } from '../../../../electron/node/cluster/cluster-access';
import type { KeySession } from '../../../../electron/node/deploy/deploy-operations';
import { ProjectStore } from '../../../../electron/node/projects/project-store';
import { finishedRun } from '../../../support/run-record';

const worker = { controlPlane: false, etcd: false, worker: true, calicoRr: false };
const checkedAt = '2025-11-20T10:00:00.000Z';
const fromHost = { name: 'node1', address: '10.0.0.11' };
const stored = {
  kubeconfig: {
    fetchedAt: checkedAt,
    fromHost,
    server: 'https://10.0.0.11:6443',
    endpointSource: 'first-control-plane',
    protection: 'passphrase',
    availableNow: true,
  },
  nodes: { checkedAt, fromHost, nodes: [{ name: 'node2', ready: 'True', roles: [], kubeletVersion: 'v1.27.10' }] },
  lastError: null,
};

/**
 * A plan with no control plane: the hooks that would ask one over SSH fail before any connection, so the session is
 * never used (no SSH host can be reached from a unit test; the lab tests cover the real refresh).
 */
async function service(access: object = stored) {
  const projects = new ProjectStore(await mkdtemp(join(tmpdir(), 'airspray-cluster-after-run-')));
  const created = await projects.create('lab');
  const project = await projects.update(created.id, created.revision, (current) => ({
    ...current,
    cluster: { ...current.cluster, hosts: [{ name: 'node2', address: '10.0.0.12', roles: worker }] },
  }));
  await writeFile(join(projects.projectFolder(project.id), 'cluster-access.json'), JSON.stringify(access));
  const updates: ClusterAccess[] = [];
  const cluster = new ClusterAccessService({ projects, onUpdated: (_id, next) => updates.push(next) });
  return {
    cluster,
    projectId: project.id,
    updates,
    file: join(projects.projectFolder(project.id), 'cluster-access.json'),
  };
}

const unusedSession = {} as KeySession;

const run = (projectId: string, options: RunOptions, state: RunRecord['state'] = 'succeeded'): RunRecord =>
  finishedRun(options, { id: 'r-7', projectId, state });

describe('cluster access after a run', () => {
  it('reads a file written before the reset mark as not reset', async () => {
    const { cluster, projectId } = await service();
    expect((await cluster.access(projectId)).clusterReset).toBeNull();
  });

  it('after a whole-cluster reset.yml keeps the kubeconfig, marks it stale with the run, and drops the node list', async () => {
    const { cluster, projectId, updates, file } = await service();
    await cluster.afterRun(
      run(projectId, { playbook: 'reset.yml', extraVars: { reset_confirmation: 'yes' } }),
      unusedSession,
    );
    const access = await cluster.access(projectId);
    expect(access.kubeconfig?.fromHost).toEqual(fromHost);
    expect(access.nodes).toBeNull();
    expect(access.clusterReset).toEqual({ at: expect.any(String), runId: 'r-7' });
    expect(updates).toHaveLength(1);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ clusterReset: { runId: 'r-7' } });
    // The CLI's export is refused too, before the stored copy is opened.
    await expect(cluster.exportKubeconfig(projectId, 'correct horse')).rejects.toMatchObject({
      field: 'projectId',
      message: expect.stringContaining('The cluster was reset (run r-7)'),
    });
  });

  it('does not mark a reset when no kubeconfig was fetched', async () => {
    const { cluster, projectId } = await service({ kubeconfig: null, nodes: null, lastError: null });
    await cluster.afterRun(
      run(projectId, { playbook: 'reset.yml', extraVars: { reset_confirmation: 'yes' } }),
      unusedSession,
    );
    expect(await cluster.access(projectId)).toEqual({
      kubeconfig: null,
      nodes: null,
      lastError: null,
      clusterReset: null,
    });
  });

  it.each([
    ['remove-node.yml', { playbook: 'remove-node.yml', extraVars: { node: 'node2', skip_confirmation: true } }],
    ['reset.yml with a limit', { playbook: 'reset.yml', limit: 'node2', extraVars: { reset_confirmation: 'yes' } }],
  ] as [string, RunOptions][])(
    'after %s asks for the nodes again, and keeps why that failed beside the run',
    async (_name, options) => {
      const { cluster, projectId } = await service();
      await cluster.afterRun(run(projectId, options), unusedSession);
      const access = await cluster.access(projectId);
      expect(access.lastError).toEqual({
        at: expect.any(String),
        runId: 'r-7',
        message: 'The plan has no control plane: give one host the control plane role on the Roles step.',
      });
      expect(access.nodes).toEqual(stored.nodes);
      expect(access.clusterReset).toBeNull();
    },
  );

  it('changes nothing after a failed run', async () => {
    const { cluster, projectId, updates } = await service();
    await cluster.afterRun(
      run(projectId, { playbook: 'reset.yml', extraVars: { reset_confirmation: 'yes' } }, 'failed'),
      unusedSession,
    );
    await cluster.afterRun(
      run(projectId, { playbook: 'remove-node.yml', extraVars: { node: 'node2', skip_confirmation: true } }, 'failed'),
      unusedSession,
    );
    expect(updates).toEqual([]);
  });
});
