import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UpgradeRecord } from '../../electron/common/upgrade';
import { resolveDeployContext } from '../../electron/node/deploy/deploy-context';
import { pushProjectBundle } from '../../electron/node/deploy/deploy-operations';
import { openKeySession } from '../../electron/node/deploy/key-session';
import { readBackupIndex, etcdBackupFolder } from '../../electron/node/etcd/backup-index';
import { createServices, type AirsprayServices } from '../../electron/node/services';
import { UpgradeService, type UpgradeCall } from '../../electron/node/upgrade/upgrade-service';
import { execOnHost } from '../lab/lab';
import { hostAddress } from '../lab/lab-network';
import { repoRoot } from '../support/airspray-serve';
import { chosenBundle, trustAndVerifyBundle } from '../support/bundle-project';
import { writeDeployBundle } from '../support/deploy-bundle';
import { opsProfile, prepareFixtureDeployNode, serveFixtureCluster } from '../support/fixture-cluster';
import { requireLab } from '../support/lab';
import { etcdCertDir, startKubesprayShapedEtcd } from '../support/lab-etcd';

/**
 * An upgrade from one bundle to the next through the kubespray-shaped stand-in playbooks (upgrade-cluster.yml records
 * the kube_version it ran with on each host): two signed bundles, 1.27.10 and 1.28.6, the old one pushed as a deploy
 * would; lab1 the deploy node, lab2 control plane and etcd (a real etcd 3.4 in kubespray's layout, see lab-etcd.ts),
 * lab3 a worker. The etcd snapshot, the push, the services and the runs are the real ones.
 */
const keyPassphrase = 'upgrade-lab-passphrase';
const bundlesRoot = '/var/lib/airspray/bundles';
let services: AirsprayServices;
let upgrades: UpgradeService;
let projectId: string;
let oldId: string, nextId: string;
const updates: UpgradeRecord[] = [];

beforeAll(async () => {
  await requireLab();
  const root = await mkdtemp(join(tmpdir(), 'airspray-upgrade-'));
  const dataDir = join(root, 'data');
  const bundlesDir = join(root, 'bundles');
  const shape = {
    largeFiles: 1,
    largeBytes: 64 * 1024,
    smallFiles: 2,
    smallBytes: 64,
    withServices: true,
    kubesprayFrom: join(repoRoot, 'test/fixtures/kubespray-shaped'),
  };
  const old = await writeDeployBundle(join(bundlesDir, 'old'), { ...shape, kubernetesVersion: '1.27.10' });
  const next = await writeDeployBundle(join(bundlesDir, 'next'), { ...shape, kubernetesVersion: '1.28.6' });
  oldId = old.manifest.bundleId;
  nextId = next.manifest.bundleId;
  await trustAndVerifyBundle(dataDir, old.dir, old.publisher, 'Old publisher');
  await trustAndVerifyBundle(dataDir, next.dir, next.publisher, 'Next publisher');
  const served = await serveFixtureCluster(dataDir, 'upgrade', { trusted: [1, 2, 3], keyPassphrase });
  projectId = served.projectId;
  await served.close();
  await prepareFixtureDeployNode([3]);
  // Earlier lab tests leave their bundles on lab1; this one counts what lies there, so it starts with none.
  await execOnHost('lab1', `rm -rf ${bundlesRoot}`);
  await execOnHost('lab2', 'rm -f /var/tmp/airspray-fixture-version; systemctl disable --now etcd.service || true');
  await execOnHost('lab3', 'rm -f /var/tmp/airspray-fixture-version');
  services = createServices({ dataDir, bundleLocations: [{ path: bundlesDir, source: 'option' }], version: 'test' });
  const chosen = await chosenBundle(old.dir, oldId);
  const stored = await services.projects.open(projectId);
  const project = await services.projects.update(projectId, stored.revision, (current) => ({
    ...current,
    cluster: { ...current.cluster, bundle: chosen },
  }));
  // The old bundle on the deploy node, as the Deploy step left it.
  const session = await openKeySession(services.keys, dataDir, projectId, opsProfile, keyPassphrase);
  await pushProjectBundle(
    await resolveDeployContext(project, { dataDir, bundleLocations: services.bundleLocations }),
    session,
  );
  const runs = services.runs({ listener: { output: () => undefined, updated: () => undefined } });
  upgrades = new UpgradeService({ ...services, runs, onUpdated: (record) => updates.push(record) });
}, 300_000);

afterAll(async () => {
  await execOnHost('lab2', `systemctl disable --now etcd.service; rm -rf /var/lib/etcd ${etcdCertDir}`);
});

const call = (): UpgradeCall => ({ projectId, credential: opsProfile, keyPassphrase, bundleId: nextId });
const onHost = async (host: string, command: string) => (await execOnHost(host, command)).trim();

describe('upgrade from one bundle to the next on the lab', () => {
  it('stops before any change when the etcd snapshot fails (no etcd answers on lab2)', async () => {
    const stopped = await (await upgrades.begin(call())).advancing;
    expect(stopped.state).toBe('stopped');
    expect(stopped.message).toMatch(/etcd snapshot failed, so nothing was changed/);
    expect(stopped.done).toEqual([]);
    expect(await onHost('lab1', `ls ${bundlesRoot}`)).toBe(oldId);
    expect(
      await services.runs({ listener: { output: () => undefined, updated: () => undefined } }).list(projectId),
    ).toEqual([]);
    expect((await services.projects.open(projectId)).cluster.bundle?.bundleId).toBe(oldId);
  }, 120_000);

  it('goes on with the same call: snapshot first, new bundle beside the old, control plane then each node at 1.28.6', async () => {
    await startKubesprayShapedEtcd('lab2', hostAddress(2));
    updates.length = 0;
    const done = await (await upgrades.begin(call())).advancing;
    expect(done.message).toBeUndefined();
    expect(done.state).toBe('succeeded');
    // Each stage saved before the next began: the snapshot alone first.
    expect(updates.map((record) => record.done.join(',')).filter(Boolean)[0]).toBe('snapshot');
    expect(done.done).toEqual(['snapshot', 'push', 'services', 'bundle']);
    const backups = await readBackupIndex(etcdBackupFolder(services.projects.projectFolder(projectId)));
    expect(backups.backups[0]?.file).toBe(done.snapshot?.file);

    expect((await onHost('lab1', `ls ${bundlesRoot}`)).split('\n').sort()).toEqual([oldId, nextId].sort());

    const runs = (
      await services.runs({ listener: { output: () => undefined, updated: () => undefined } }).list(projectId)
    ).reverse();
    expect(runs.map((run) => [run.playbook, run.options?.limit, run.state])).toEqual([
      ['upgrade-cluster.yml', 'kube_control_plane:etcd', 'succeeded'],
      ['upgrade-cluster.yml', 'lab3', 'succeeded'],
    ]);
    expect(runs[0]!.commandLine).toContain("'--limit' 'kube_control_plane:etcd'");
    expect(runs[0]!.commandLine).toMatch(/"kube_version": ?"v1\.28\.6"/);
    expect(runs[0]!.commandLine).toMatch(/"serial": ?1/);
    expect(runs[1]!.commandLine).toContain("'--limit' 'lab3'");
    for (const run of runs) expect(run.invocation?.kubesprayDir).toBe(`${bundlesRoot}/${nextId}/kubespray`);
    expect(await onHost('lab2', 'cat /var/tmp/airspray-fixture-version')).toBe('v1.28.6');
    expect(await onHost('lab3', 'cat /var/tmp/airspray-fixture-version')).toBe('v1.28.6');

    const project = await services.projects.open(projectId);
    expect(project.cluster.bundle?.bundleId).toBe(nextId);
    expect(project.cluster.settings.kubernetesVersion).toBe('1.28.6');
  }, 300_000);
});
