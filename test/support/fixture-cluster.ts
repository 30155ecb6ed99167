import type { ProjectDocument } from '../../electron/common/project';
import { hostAddress, labAccounts } from '../lab/lab-network';
import type { ApiClient } from './api-client';

/** The lab's ops account as a credential profile with its sudo password. */
export const opsProfile = { label: 'ops', user: 'ops', auth: { kind: 'password' as const, password: labAccounts.ops.password }, sudoPassword: labAccounts.ops.password };

export const fixtureRoles = (controlPlane: boolean, worker: boolean) => ({ controlPlane, etcd: controlPlane, worker, calicoRr: false });

/** A project whose plan is the fixture cluster: lab1 the deploy node, lab2 control plane and worker, lab3 worker. */
export async function createFixtureCluster(api: ApiClient, name: string): Promise<ProjectDocument> {
  let project = await api.call('projects.create', { name });
  project = await api.call('projects.setHosts', {
    id: project.id,
    revision: project.revision,
    hosts: [
      { name: 'lab1', address: hostAddress(1), roles: fixtureRoles(false, false) },
      { name: 'lab2', address: hostAddress(2), roles: fixtureRoles(true, true) },
      { name: 'lab3', address: hostAddress(3), roles: fixtureRoles(false, true) },
    ],
  });
  return api.call('projects.savePlan', { id: project.id, revision: project.revision, hosts: project.cluster.hosts, deployNode: 'lab1', settings: project.cluster.settings });
}
