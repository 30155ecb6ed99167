import { beforeAll, describe, expect, it } from 'vitest';
import type { ClusterHost } from '../../electron/common/cluster-plan';
import type { LifecycleRequest } from '../../electron/common/node-lifecycle';
import { NodeLifecycleService } from '../../electron/node/runs/node-lifecycle-service';
import type { RunService } from '../../electron/node/runs/run-service';
import { createServices, type AirsprayServices } from '../../electron/node/services';
import { execOnHost } from '../lab/lab';
import { fixtureKubesprayDir } from '../support/deploy-node';
import { opsProfile, preparedFixtureProject } from '../support/fixture-cluster';

/**
 * Two etcd members joining by kubespray's procedure through the stand-in playbooks: lab2 the control plane and first
 * etcd member, lab4 and lab5 new etcd-only members. The first run fails on purpose (airspray_fixture_fail_host),
 * which stops the procedure there; the same request then goes on from that step.
 */
const keyPassphrase = 'node-lifecycle-lab';
let services: AirsprayServices;
let runs: RunService;
let lifecycle: NodeLifecycleService;
let projectId: string;
const add: LifecycleRequest = { action: 'add', hosts: ['lab4', 'lab5'] };
const login = { credential: opsProfile, keyPassphrase };

async function setPlan(change: (hosts: ClusterHost[]) => ClusterHost[], extraVarsYaml: string): Promise<void> {
  const stored = await services.projects.open(projectId);
  await services.projects.update(projectId, stored.revision, (current) => ({
    ...current,
    cluster: {
      ...current.cluster,
      hosts: change(current.cluster.hosts),
      settings: { ...current.cluster.settings, extraVarsYaml },
    },
  }));
}

beforeAll(async () => {
  const prepared = await preparedFixtureProject('members', keyPassphrase);
  projectId = prepared.projectId;
  const { dataDir } = prepared;
  await execOnHost('lab4', 'rm -f /var/tmp/airspray-fixture-node');
  await execOnHost('lab5', 'rm -f /var/tmp/airspray-fixture-node');
  services = createServices({ dataDir, bundleLocations: [], version: 'test' });
  runs = services.runs({ listener: { output: () => undefined, updated: () => undefined } });
  lifecycle = new NodeLifecycleService({ projects: services.projects, runs });
  const etcdOnly = { controlPlane: false, etcd: true, worker: false, calicoRr: false };
  await setPlan(
    (hosts) => hosts.map((host) => (['lab4', 'lab5'].includes(host.name) ? { ...host, roles: etcdOnly } : host)),
    'airspray_fixture_fail_host: lab4\n',
  );
}, 300_000);

describe('adding etcd members by kubespray procedure on the lab', () => {
  it('stops at the run that failed and starts nothing after it', async () => {
    const stopped = await (await lifecycle.begin(projectId, add, login, fixtureKubesprayDir)).advancing;
    expect(stopped.state).toBe('stopped');
    expect(stopped.i18n).toMatchObject({
      id: 'nodes.stopped-at',
      params: {
        step: 1,
        count: 2,
        state: 'failed',
        command: expect.stringMatching(/^cluster\.yml --limit etcd,kube_control_plane /),
      },
    });
    expect(stopped.procedure.runs.map((run) => run.state)).toEqual(['failed', 'pending']);
    expect((await runs.list(projectId)).map((run) => run.playbook)).toEqual(['cluster.yml']);
  }, 180_000);

  it('goes on with the same request: cluster.yml then upgrade-cluster.yml on etcd,kube_control_plane', async () => {
    await setPlan((hosts) => hosts, '');
    const done = await (await lifecycle.begin(projectId, add, login, fixtureKubesprayDir)).advancing;
    expect([done.state, done.message]).toEqual(['succeeded', undefined]);
    const ran = (await runs.list(projectId)).reverse();
    expect(ran.map((run) => [run.playbook, run.options?.limit, run.state])).toEqual([
      ['cluster.yml', 'etcd,kube_control_plane', 'failed'],
      ['cluster.yml', 'etcd,kube_control_plane', 'succeeded'],
      ['upgrade-cluster.yml', 'etcd,kube_control_plane', 'succeeded'],
    ]);
    expect(ran[1]!.commandLine).toMatch(/"ignore_assert_errors": ?true/);
    expect(ran[1]!.commandLine).toMatch(/"etcd_retries": ?10/);
    expect(ran[2]!.commandLine).not.toMatch(/etcd_retries/);
    // The limit reached the new members and left the worker alone.
    expect(await execOnHost('lab5', 'cat /var/tmp/airspray-fixture-node')).toBe('lab5 installed by cluster.yml\n');
    expect(Object.keys(ran[1]!.digest.recap ?? {}).sort()).toEqual(['lab2', 'lab4', 'lab5']);
  }, 240_000);
});
