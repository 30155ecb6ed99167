import { beforeAll, describe, expect, it } from 'vitest';
import type { EtcdBackup } from '../../electron/common/etcd-api';
import { storeBackup } from '../support/stored-backup';
import type { LifecycleRequest } from '../../electron/common/node-lifecycle';
import { etcdBackupFolder } from '../../electron/node/etcd/backup-index';
import { NodeLifecycleService } from '../../electron/node/runs/node-lifecycle-service';
import type { RunService } from '../../electron/node/runs/run-service';
import { createServices, type AirsprayServices } from '../../electron/node/services';
import { execOnHost } from '../lab/lab';
import { fixtureKubesprayDir } from '../support/deploy-node';
import { opsProfile, preparedFixtureProject } from '../support/fixture-cluster';

/**
 * Recovering a broken control plane and etcd member through the stand-in recover-control-plane.yml: lab2, lab4 and
 * lab5 are control planes and etcd members in that order; lab4 is broken and rebuilt in place. The stand-in records
 * the groups, member names, etcd_retries and etcd_snapshot that reached Ansible.
 */
const keyPassphrase = 'node-recover-lab';
let services: AirsprayServices;
let runs: RunService;
let lifecycle: NodeLifecycleService;
let projectId: string;
let projectName: string;
const recover: LifecycleRequest = { action: 'recover', hosts: ['lab4'] };
const login = { credential: opsProfile, keyPassphrase };

beforeAll(async () => {
  const prepared = await preparedFixtureProject('recover', keyPassphrase);
  projectId = prepared.projectId;
  const { dataDir } = prepared;
  services = createServices({ dataDir, bundleLocations: [], version: 'test' });
  runs = services.runs({ listener: { output: () => undefined, updated: () => undefined } });
  lifecycle = new NodeLifecycleService({ projects: services.projects, runs });
  const stored = await services.projects.open(projectId);
  projectName = stored.name;
  const member = { controlPlane: true, etcd: true, worker: false, calicoRr: false };
  await services.projects.update(projectId, stored.revision, (current) => ({
    ...current,
    cluster: {
      ...current.cluster,
      hosts: current.cluster.hosts.map((host) =>
        ['lab4', 'lab5'].includes(host.name) ? { ...host, roles: member } : host,
      ),
    },
  }));
}, 300_000);

describe('recovering a broken member by kubespray procedure on the lab', () => {
  it('refuses to start without the confirmation, naming what may be lost', async () => {
    await expect(lifecycle.begin(projectId, recover, login, fixtureKubesprayDir)).rejects.toThrow(
      /deletes what is left on lab4 .*absolutely no guarantees.*airspray etcd backup.*--confirm/,
    );
    expect(await runs.list(projectId)).toEqual([]);
  });

  it('runs recover-control-plane.yml with the broken groups, survivors first, the member names and etcd_retries', async () => {
    const done = await (
      await lifecycle.begin(projectId, { ...recover, confirm: true }, login, fixtureKubesprayDir)
    ).advancing;
    expect([done.state, done.message]).toEqual(['succeeded', undefined]);
    const [ran] = await runs.list(projectId);
    expect([ran!.playbook, ran!.options?.limit, ran!.state]).toEqual([
      'recover-control-plane.yml',
      'etcd,kube_control_plane',
      'succeeded',
    ]);
    expect(ran!.commandLine).toMatch(/"etcd_retries": ?10/);
    const seen = JSON.parse(await execOnHost('lab2', 'cat /var/tmp/airspray-fixture-recover.json')) as unknown;
    expect(seen).toEqual({
      host: 'lab2',
      etcd: ['lab2', 'lab5', 'lab4'],
      kube_control_plane: ['lab2', 'lab5', 'lab4'],
      broken_etcd: ['lab4'],
      broken_kube_control_plane: ['lab4'],
      etcd_member_names: ['etcd1', 'etcd3', 'etcd2'],
      broken_etcd_member_names: ['etcd2'],
      etcd_retries: 10,
      etcd_snapshot: null,
    });
    // The limit kept the worker out.
    expect(Object.keys(ran!.digest.recap ?? {}).sort()).toEqual(['lab2', 'lab4', 'lab5']);
  }, 240_000);

  it('restores from a stored backup: pushed to the deploy node 0600 with its sha256, the run given its path', async () => {
    const backup = await storeProjectBackup();
    const request = { ...recover, snapshot: backup.file, confirm: true };
    const done = await (await lifecycle.begin(projectId, request, login, fixtureKubesprayDir)).advancing;
    expect([done.state, done.message]).toEqual(['succeeded', undefined]);
    const path = `/var/lib/airspray/etcd-snapshots/${projectName}/${backup.file}`;
    const seen = JSON.parse(await execOnHost('lab2', 'cat /var/tmp/airspray-fixture-recover.json')) as {
      etcd_snapshot: unknown;
    };
    expect(seen.etcd_snapshot).toBe(path);
    const onNode = await execOnHost('lab1', `stat -c '%a %U' ${path} && sha256sum ${path}`);
    expect(onNode.trim().split(/\s+/).slice(0, 3)).toEqual(['600', 'ops', backup.sha256]);
  }, 240_000);
});

/** A stored backup of the project (its bytes need not be etcd's: the stand-in only records the path it is given). */
function storeProjectBackup(): Promise<EtcdBackup> {
  return storeBackup(
    etcdBackupFolder(services.projects.projectFolder(projectId)),
    Buffer.from(`an etcd snapshot of ${projectName}`),
    {
      file: '20261206T190000.000Z-lab2.db',
      takenAt: '2026-12-06T19:00:00.000Z',
      member: { name: 'lab2', address: '10.0.0.2' },
      revision: 1234,
    },
  );
}
