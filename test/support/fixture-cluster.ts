import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiLoadBalancing } from '../../electron/common/cluster-plan';
import type { ProjectDocument } from '../../electron/common/project';
import { execOnHost } from '../lab/lab';
import { hostAddress, labAccounts } from '../lab/lab-network';
import type { WizardStepId } from '../../electron/common/wizard';
import { serveWithApi, type ServedApi } from './airspray-serve';
import type { ApiClient } from './api-client';
import { buildAirsprayCli, type BundleCli } from './bundle-cli';
import { installDeployKey } from './deploy-key';
import { prepareDeployNode } from './deploy-node';
import { trustHosts } from './trust-hosts';
import { requireLab } from './lab';

/** The lab's ops account as a credential profile with its sudo password. */
export const opsProfile = {
  label: 'ops',
  user: 'ops',
  auth: { kind: 'password' as const, password: labAccounts.ops.password },
  sudoPassword: labAccounts.ops.password,
};

/** Writes the ops password into `dir`/ops-password, readable by this user only, for a CLI's --password-file. */
export async function writeOpsPasswordFile(dir: string): Promise<string> {
  const file = join(dir, 'ops-password');
  await writeFile(file, `${labAccounts.ops.password}\n`, { mode: 0o600 });
  return file;
}

/** The CLI's login as the lab's ops account, its password read from `passwordFile`. */
export const opsLoginArgs = (passwordFile: string) => ['--user', 'ops', '--password-file', passwordFile];

/** The flags naming a project in `dataDir` and logging in as ops: the CLI as an operator runs it. */
export const opsProjectArgs = (project: string, dataDir: string, passwordFile: string) => [
  '--project',
  project,
  '--data-dir',
  dataDir,
  ...opsLoginArgs(passwordFile),
];

/**
 * A fresh folder for a lab test that drives the built CLI: its data folder, the ops password file and the CLI; the
 * deploy key's passphrase in the environment, as an operator's script sets it.
 */
export async function labCliFolder(
  prefix: string,
  keyPassphrase: string,
): Promise<{ root: string; dataDir: string; passwordFile: string; cli: BundleCli }> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  const passwordFile = await writeOpsPasswordFile(root);
  const cli = await buildAirsprayCli(root);
  process.env.AIRSPRAY_DEPLOY_KEY_PASSPHRASE = keyPassphrase;
  return { root, dataDir: join(root, 'data'), passwordFile, cli };
}

export const fixtureRoles = (controlPlane: boolean, worker: boolean) => ({
  controlPlane,
  etcd: controlPlane,
  worker,
  calicoRr: false,
});

/**
 * A project whose plan is the fixture cluster: lab1 the deploy node, lab2 control plane and worker, the lab hosts
 * `controlPlanes` (by index; none unless told) more control planes without etcd (one etcd member keeps the plan
 * valid), and the lab hosts `workers` (lab3 unless told) as workers.
 */
export async function createFixtureCluster(
  api: ApiClient,
  name: string,
  options: { workers?: number[]; controlPlanes?: number[]; apiLoadBalancing?: ApiLoadBalancing } = {},
): Promise<ProjectDocument> {
  let project = await api.call('projects.create', { name });
  project = await api.call('projects.setHosts', {
    id: project.id,
    revision: project.revision,
    hosts: [
      { name: 'lab1', address: hostAddress(1), roles: fixtureRoles(false, false) },
      { name: 'lab2', address: hostAddress(2), roles: fixtureRoles(true, true) },
      ...(options.controlPlanes ?? []).map((index) => ({
        name: `lab${index}`,
        address: hostAddress(index),
        roles: { ...fixtureRoles(true, true), etcd: false },
      })),
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

/** lab1 made the fixture cluster's deploy node (see prepareDeployNode) for lab2 and the lab hosts `workers`. */
export function prepareFixtureDeployNode(workers = [3]): Promise<void> {
  return prepareDeployNode({ name: 'lab1' }, [
    { name: 'lab2', index: 2, controlPlane: true },
    ...workers.map((index) => ({ name: `lab${index}`, index })),
  ]);
}

/**
 * The fixture cluster's deploy node for the lab hosts `workers`, with no cluster left on lab2 by an earlier run: the
 * kubeconfig and nodes then come from this test's cluster.yml only.
 */
export async function prepareFreshFixtureCluster(workers: number[]): Promise<void> {
  await prepareFixtureDeployNode(workers);
  await execOnHost('lab2', 'rm -rf /etc/kubernetes/admin.conf /usr/local/bin/kubectl /var/lib/airspray-fixture');
}

export interface ServedFixtureCluster extends ServedApi {
  projectId: string;
  credentialId: string;
}

/**
 * `airspray serve` on `dataDir` with the fixture cluster `name` open at `step`, the ops credential in its memory, the
 * keys of the lab hosts `trusted` (by index) accepted and the deploy key installed: encrypted on disk under
 * `keyPassphrase` (where the CLI opens it too), or without one only in the server's memory.
 */
export async function serveFixtureCluster(
  dataDir: string,
  name: string,
  options: {
    workers?: number[];
    controlPlanes?: number[];
    trusted: number[];
    keyPassphrase?: string;
    step?: WizardStepId;
  },
): Promise<ServedFixtureCluster> {
  const served = await serveWithApi(['--data-dir', dataDir]);
  const { api } = served;
  const project = await createFixtureCluster(api, name, {
    ...(options.workers ? { workers: options.workers } : {}),
    ...(options.controlPlanes ? { controlPlanes: options.controlPlanes } : {}),
  });
  if (options.step)
    await api.call('projects.setStep', { id: project.id, step: options.step, revision: project.revision });
  const credentialId = (await api.call('credentials.add', { credential: opsProfile, persist: false })).id;
  await trustHosts(api, project.id, credentialId, options.trusted.map(hostAddress));
  await installDeployKey(api, project.id, credentialId, options.keyPassphrase);
  return { ...served, projectId: project.id, credentialId };
}

/**
 * A saved fixture cluster with lab3..lab5 as workers (every host's key trusted, the deploy key under `keyPassphrase`)
 * and the fixture deploy node ready, for tests that drive the core's services directly: its project and data folder.
 */
export async function preparedFixtureProject(name: string, keyPassphrase: string) {
  await requireLab();
  const dataDir = join(await mkdtemp(join(tmpdir(), `airspray-${name}-`)), 'data');
  const served = await serveFixtureCluster(dataDir, name, {
    workers: [3, 4, 5],
    trusted: [1, 2, 3, 4, 5],
    keyPassphrase,
  });
  await served.close();
  await prepareFixtureDeployNode([3, 4, 5]);
  return { projectId: served.projectId, dataDir };
}
