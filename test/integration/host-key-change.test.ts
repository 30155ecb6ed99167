import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEventPayload } from '../../electron/common/api';
import { noRoles, type ChosenBundle } from '../../electron/common/cluster-plan';
import type { RunOptions, RunRecord } from '../../electron/common/run';
import { changeHostKey, execOnHost } from '../lab/lab';
import { hostAddress, laptopAddress } from '../lab/lab-network';
import type { ApiClient } from '../support/api-client';
import { serveWithApi, type ServedApi } from '../support/airspray-serve';
import { makeTestCa } from '../support/auth-registry';
import { verifiedDeployBundle, writeProject } from '../support/bundle-project';
import { fixtureKubesprayDir, prepareDeployNode } from '../support/deploy-node';
import { fixtureRoles, opsProfile } from '../support/fixture-cluster';
import { requireLab } from '../support/lab';
import { collectFacts, trustHosts } from '../support/trust-hosts';

// Every SSH code path (facts, key bootstrap, push, services, health, runs, kubeconfig and nodes, Harbor CA trust),
// called through the API of a real `airspray serve`, after lab5 (the deploy node) and lab6
// changed their host keys: each must stop with the changed-key error and record nothing. lab5 and lab6 are the
// hosts tests may break; their keys stay changed for later tests, which accept keys afresh.
const keyPassphrase = 'host key change test passphrase';
const changed = /HOST KEY CHANGED/;
let workDir: string;
let dataDir: string;
let bundlesDir: string;
let served: ServedApi;
let api: ApiClient;
let credentialId: string;
/** Has the bundle: the deploy paths (keys, push, services, health). */
let deployProjectId: string;
/** Runs the fixture playbooks from /home/ops/kubespray on lab5 against lab6. */
let runsProjectId: string;
/** Pulls from a Harbor: its CA goes into the hosts' trust stores over SSH. */
let harborProjectId: string;
let runningRunId: string;

const knownHostsOf = (projectId: string) => readFile(join(dataDir, 'projects', projectId, 'known_hosts'), 'utf8');
const allKnownHosts = () => Promise.all([deployProjectId, runsProjectId, harborProjectId].map(knownHostsOf));
const hosts = [
  { name: 'lab5', address: hostAddress(5), roles: fixtureRoles(true, true) },
  { name: 'lab6', address: hostAddress(6), roles: fixtureRoles(false, true) },
];

async function startServer(): Promise<void> {
  served = await serveWithApi(['--data-dir', dataDir, '--bundles-dir', bundlesDir]);
  api = served.api;
  // Browser mode keeps profiles in memory: each server start gets the profile again.
  credentialId = (await api.call('credentials.add', { credential: opsProfile, persist: false })).id;
}

/** cluster.yml (with `options`) of the fixture playbooks in ops' home on lab5. */
const startClusterYml = (options: Omit<RunOptions, 'playbook'> = {}) =>
  api.call('runs.start', {
    projectId: runsProjectId,
    credentialId,
    keyPassphrase,
    options: { playbook: 'cluster.yml', ...options },
    kubesprayDir: fixtureKubesprayDir,
  });

async function finishedRun(runId: string): Promise<RunRecord> {
  return (await api.waitForEvent(
    (event, payload) =>
      event === 'runs.updated' && (payload as RunRecord).id === runId && (payload as RunRecord).state !== 'running',
    120_000,
  )) as RunRecord;
}

beforeAll(async () => {
  await requireLab();
  await prepareDeployNode({ name: 'lab5' }, [{ name: 'lab6', index: 6, controlPlane: true }]);
  let chosen: ChosenBundle;
  ({ workDir, dataDir, bundlesDir, chosen } = await verifiedDeployBundle('airspray-host-key-', {
    largeFiles: 1,
    largeBytes: 1024 * 1024,
    smallFiles: 5,
    smallBytes: 512,
  }));
  // Only its CA goes to the hosts: no Harbor is contacted.
  const harbor = {
    kind: 'harbor' as const,
    address: `${laptopAddress}:443`,
    project: 'k8s',
    caCertificate: (await makeTestCa(join(workDir, 'ca'), 'Harbor')).caPem,
    filesPort: 8080,
  };
  for (const [name, withBundle] of [
    ['keys-deploy', true],
    ['keys-runs', false],
    ['keys-harbor', true],
  ] as const) {
    const id = await writeProject(dataDir, name, (cluster) => ({
      ...cluster,
      hosts: hosts.map((host) => ({ ...host, roles: { ...noRoles, ...host.roles } })),
      deployNode: 'lab5',
      ...(withBundle ? { bundle: chosen } : {}),
      ...(name === 'keys-harbor' ? { settings: { ...cluster.settings, registry: harbor } } : {}),
    }));
    if (name === 'keys-deploy') deployProjectId = id;
    else if (name === 'keys-runs') runsProjectId = id;
    else harborProjectId = id;
  }
  await startServer();
}, 120_000);

afterAll(async () => {
  await served?.close();
  await execOnHost('lab5', 'systemctl stop "airspray-run-*" 2>/dev/null; true').catch(() => undefined);
});

describe('a changed host key is refused on every SSH path (lab5 and lab6 change keys between steps)', () => {
  it('works before the change: keys accepted, deploy key installed, the Harbor CA trusted, a run succeeds', async () => {
    for (const projectId of [deployProjectId, runsProjectId, harborProjectId]) {
      await trustHosts(
        api,
        projectId,
        credentialId,
        hosts.map((host) => host.address),
      );
      const keys = await api.call('deploy.bootstrapKeys', { projectId, credentialId, keyPassphrase });
      expect(keys.hosts.map((host) => [host.name, host.ok, host.message])).toEqual([
        ['lab5', true, undefined],
        ['lab6', true, undefined],
      ]);
    }
    const trusted = await api.call('deploy.trustHarborCa', { projectId: harborProjectId, credentialId, keyPassphrase });
    expect(trusted.hosts.map((host) => [host.name, host.ok, host.message])).toEqual([
      ['lab5', true, undefined],
      ['lab6', true, undefined],
    ]);
    const run = await startClusterYml();
    expect(await finishedRun(run.id)).toMatchObject({ state: 'succeeded', exitCode: 0 });
  }, 180_000);

  it('lab6 changes its key: facts, health checks, the Harbor CA trust and Ansible on the deploy node refuse lab6; nothing is recorded', async () => {
    const before = await allKnownHosts();
    await changeHostKey('lab6');

    const facts = await collectFacts(api, deployProjectId, credentialId, [hostAddress(6)]);
    expect(facts.outcomes).toEqual([
      expect.objectContaining({ state: 'failed', kind: 'host-key-changed', message: expect.stringMatching(changed) }),
    ]);

    const health = await api.call('deploy.checkServices', { projectId: deployProjectId, credentialId, keyPassphrase });
    const lab6Report = health.reports.find((report) => report.from === 'lab6');
    expect(lab6Report?.checks.every((check) => !check.ok && changed.test(check.detail))).toBe(true);

    const trusted = await api.call('deploy.trustHarborCa', { projectId: harborProjectId, credentialId, keyPassphrase });
    expect(trusted.hosts.map((host) => [host.name, host.ok, changed.test(host.message ?? '')])).toEqual([
      ['lab5', true, false],
      ['lab6', false, true],
    ]);

    // Ansible on the deploy node trusts exactly the project's keys: lab6's new key stops the run there.
    const run = await startClusterYml();
    const finished = await finishedRun(run.id);
    expect(finished.state).toBe('failed');
    expect(finished.digest.failures).toEqual([expect.objectContaining({ host: 'lab6', kind: 'unreachable' })]);
    const log = Buffer.from(
      (await api.call('runs.log', { projectId: runsProjectId, runId: run.id, from: 0 })).data,
      'base64',
    ).toString();
    expect(log).toMatch(/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/);

    expect(await allKnownHosts()).toEqual(before);
  }, 180_000);

  it('lab5 (the deploy node) changes its key under a running run: every path refuses it, after a restart too', async () => {
    const run = await startClusterYml({ limit: 'lab5', extraVars: { airspray_fixture_sleep: 600 } });
    runningRunId = run.id;
    // The run is under way on lab5 before its key changes.
    await api.waitForEvent(
      (event, payload) =>
        event === 'runs.updated' &&
        (payload as RunRecord).id === run.id &&
        (payload as RunRecord).digest.task === 'Take a while',
      60_000,
    );
    api.close();
    await served.serve.crash();
    await changeHostKey('lab5');
    await startServer();
    const before = await allKnownHosts();

    const facts = await collectFacts(
      api,
      deployProjectId,
      credentialId,
      hosts.map((host) => host.address),
    );
    expect(facts.outcomes?.map((outcome) => outcome.state === 'failed' && outcome.kind)).toEqual([
      'host-key-changed',
      'host-key-changed',
    ]);

    const keys = await api.call('deploy.bootstrapKeys', { projectId: deployProjectId, credentialId, keyPassphrase });
    expect(keys.hosts.map((host) => [host.ok, changed.test(host.message ?? '')])).toEqual([
      [false, true],
      [false, true],
    ]);

    const { pushId } = await api.call('deploy.pushBundle', { projectId: deployProjectId, credentialId, keyPassphrase });
    const push = (await api.waitForEvent(
      (event, payload) =>
        event === 'deploy.pushProgress' &&
        (payload as ApiEventPayload<'deploy.pushProgress'>).pushId === pushId &&
        (payload as ApiEventPayload<'deploy.pushProgress'>).state !== 'running',
    )) as ApiEventPayload<'deploy.pushProgress'>;
    expect(push).toMatchObject({ state: 'failed', error: { message: expect.stringMatching(changed) } });

    await expect(
      api.call('deploy.startServices', { projectId: deployProjectId, credentialId, keyPassphrase }),
    ).rejects.toThrow(changed);
    const health = await api.call('deploy.checkServices', { projectId: deployProjectId, credentialId, keyPassphrase });
    for (const name of ['lab5', 'lab6'])
      expect(
        health.reports.find((report) => report.from === name)?.checks.every((check) => changed.test(check.detail)),
        name,
      ).toBe(true);

    const runsParams = { projectId: runsProjectId, credentialId, keyPassphrase };
    await expect(startClusterYml()).rejects.toThrow(changed);
    await expect(api.call('runs.attach', { ...runsParams, runId: runningRunId })).rejects.toThrow(changed);
    await expect(api.call('runs.cancel', { ...runsParams, runId: runningRunId })).rejects.toThrow(changed);
    const trusted = await api.call('deploy.trustHarborCa', { projectId: harborProjectId, credentialId, keyPassphrase });
    expect(trusted.hosts.map((host) => [host.ok, changed.test(host.message ?? '')])).toEqual([
      [false, true],
      [false, true],
    ]);
    for (const method of ['cluster.fetchKubeconfig', 'cluster.nodes'] as const) {
      await expect(
        api.call(method, { projectId: deployProjectId, credentialId, keyPassphrase }),
        method,
      ).rejects.toThrow(changed);
    }
    // The cancel never reached the deploy node: the run was not stopped by us (Ansible's own sessions to lab5 may end
    // it).
    expect(
      await execOnHost('lab5', `cat /var/lib/airspray/runs/${runningRunId}/status.json 2>/dev/null; true`),
    ).not.toMatch(/"cancelled": true/);

    expect(await allKnownHosts()).toEqual(before);
    expect(before[0]).not.toContain(
      (await execOnHost('lab5', "cut -d' ' -f2 /etc/ssh/ssh_host_ed25519_key.pub")).trim(),
    );
  }, 180_000);
});
