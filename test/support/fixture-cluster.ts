import type { ApiLoadBalancing } from '../../electron/common/cluster-plan';
import type { ProjectDocument } from '../../electron/common/project';
import { execOnHost } from '../lab/lab';
import { hostAddress, labAccounts } from '../lab/lab-network';
import type { ApiClient } from './api-client';
import { prepareDeployNode } from './deploy-node';

/** The lab's ops account as a credential profile with its sudo password. */
export const opsProfile = {
  label: 'ops',
  user: 'ops',
  auth: { kind: 'password' as const, password: labAccounts.ops.password },
  sudoPassword: labAccounts.ops.password,
};

export const fixtureRoles = (controlPlane: boolean, worker: boolean) => ({
  controlPlane,
  etcd: controlPlane,
  worker,
  calicoRr: false,
});

/**
 * A project whose plan is the fixture cluster: lab1 the deploy node, lab2 control plane and worker, and the lab hosts
 * `workers` (by index; lab3 unless told) as workers.
 */
export async function createFixtureCluster(
  api: ApiClient,
  name: string,
  options: { workers?: number[]; apiLoadBalancing?: ApiLoadBalancing } = {},
): Promise<ProjectDocument> {
  let project = await api.call('projects.create', { name });
  project = await api.call('projects.setHosts', {
    id: project.id,
    revision: project.revision,
    hosts: [
      { name: 'lab1', address: hostAddress(1), roles: fixtureRoles(false, false) },
      { name: 'lab2', address: hostAddress(2), roles: fixtureRoles(true, true) },
      ...(options.workers ?? [3]).map((index) => ({
        name: `lab${index}`,
        address: hostAddress(index),
        roles: fixtureRoles(false, true),
      })),
    ],
  });
  const settings = {
    ...project.cluster.settings,
    ...(options.apiLoadBalancing ? { apiLoadBalancing: options.apiLoadBalancing } : {}),
  };
  return api.call('projects.savePlan', {
    id: project.id,
    revision: project.revision,
    hosts: project.cluster.hosts,
    deployNode: 'lab1',
    settings,
  });
}

/**
 * The fixture cluster's deploy node for the lab hosts `workers`, with no cluster left on lab2 by an earlier run: the
 * kubeconfig and nodes then come from this test's cluster.yml only.
 */
export async function prepareFreshFixtureCluster(workers: number[]): Promise<void> {
  await prepareDeployNode({ name: 'lab1' }, [
    { name: 'lab2', index: 2, controlPlane: true },
    ...workers.map((index) => ({ name: `lab${index}`, index })),
  ]);
  await execOnHost('lab2', 'rm -rf /etc/kubernetes/admin.conf /usr/local/bin/kubectl /var/lib/airspray-fixture');
}
