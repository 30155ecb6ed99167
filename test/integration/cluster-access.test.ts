import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ApiEventName, ApiEventPayload, ApiMethodName, ApiParams, ApiResult } from '../../electron/common/api';
import type { RunRecord } from '../../electron/common/run';
import { createAirsprayCore, type AirsprayCore } from '../../electron/node/api/airspray-core';
import { dispatchApiCall } from '../../electron/node/api/dispatch-api-call';
import { buildCli } from '../../electron/node/cli/cli';
import { deployKeyPassphraseVariable } from '../../electron/node/cli/deploy-commands';
import { execOnHost, powerOff, powerOn } from '../lab/lab';
import { hostAddress } from '../lab/lab-network';
import type { ApiClient } from '../support/api-client';
import { installDeployKey } from '../support/deploy-key';
import { fixtureKubesprayDir } from '../support/deploy-node';
import { createFixtureCluster, opsProfile, prepareFreshFixtureCluster } from '../support/fixture-cluster';
import { requireLab } from '../support/lab';
import { trustHosts } from '../support/trust-hosts';

/**
 * No Kubernetes can run in the lab (systemd-nspawn hosts, no kubelet): the fixture cluster.yml writes a kubeadm-shaped
 * admin.conf on the control plane and installs a kubectl stand-in that lists the nodes the playbooks recorded (Ready
 * while the host answers). Everything on Airspray's side is real: the run, SSH with the deploy key, sudo, storage.
 */
const keyPassphrase = 'cluster-access-passphrase';
const balancer = { address: hostAddress(20), port: 8443 };
let dataDir: string;
let core: AirsprayCore;
let api: ApiClient;

/** The real core's API in this process, through the same dispatch (schema checks included) both transports use. */
function inProcessApi(target: AirsprayCore): ApiClient {
  const events: ApiClient['events'] = [];
  target.onEvent((event, payload) => events.push({ event, payload }));
  return {
    events,
    call: async <M extends ApiMethodName>(method: M, params: ApiParams<M>) => {
      const reply = await dispatchApiCall(target.handlers, method, params, () => undefined);
      if (!reply.ok) throw Object.assign(new Error(reply.error.message), reply.error);
      return reply.result as ApiResult<M>;
    },
    waitForEvent: async (predicate, timeoutMs = 120_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const seen = events.find((entry) => predicate(entry.event, entry.payload));
        if (seen) return seen.payload;
        if (Date.now() > deadline) throw new Error('timed out waiting for an API event');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    close: () => undefined,
  };
}

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

const finishedRun = (runId: string) => (event: ApiEventName, payload: unknown) =>
  event === 'runs.updated' && (payload as RunRecord).id === runId && (payload as RunRecord).state !== 'running';

let projectId: string;
let credentialId: string;

beforeAll(async () => {
  await requireLab();
  await prepareFreshFixtureCluster([3, 5]);
  dataDir = join(await mkdtemp(join(tmpdir(), 'airspray-cluster-access-')), 'data');
  core = createAirsprayCore({
    shell: 'browser',
    version: 'test',
    dataDir: { dir: dataDir, source: 'option' },
    bundleLocations: [],
  });
  api = inProcessApi(core);
  projectId = (
    await createFixtureCluster(api, 'access', { workers: [3, 5], apiLoadBalancing: { mode: 'external', ...balancer } })
  ).id;
  credentialId = (await api.call('credentials.add', { credential: opsProfile, persist: false })).id;
  await trustHosts(api, projectId, credentialId, [1, 2, 3, 5].map(hostAddress));
  await installDeployKey(api, projectId, credentialId, keyPassphrase);
}, 120_000);

afterAll(async () => {
  await powerOn('lab5');
}, 120_000);

describe('cluster access after a successful cluster.yml', () => {
  it('fetches admin.conf pointed at the load balancer, keeps it encrypted, exports it, and lists the nodes', async () => {
    const run = await api.call('runs.start', {
      projectId,
      credentialId,
      keyPassphrase,
      options: { playbook: 'cluster.yml' },
      kubesprayDir: fixtureKubesprayDir,
    });
    expect(await api.waitForEvent(finishedRun(run.id))).toMatchObject({ state: 'succeeded' });
    // The fetch follows the run on its own.
    const { access } = (await api.waitForEvent(
      (event, payload) =>
        event === 'cluster.accessUpdated' &&
        (payload as ApiEventPayload<'cluster.accessUpdated'>).projectId === projectId,
    )) as ApiEventPayload<'cluster.accessUpdated'>;
    expect(access.lastError).toBeNull();
    expect(access.kubeconfig).toMatchObject({
      fromHost: { name: 'lab2', address: hostAddress(2) },
      server: `https://${balancer.address}:${balancer.port}`,
      endpointSource: 'external-load-balancer',
      protection: 'passphrase',
      availableNow: true,
    });
    expect(access.nodes?.nodes.map((node) => [node.name, node.ready, node.roles.join(',')])).toEqual([
      ['lab2', 'True', 'control-plane'],
      ['lab3', 'True', ''],
      ['lab5', 'True', ''],
    ]);

    const original = parse(await execOnHost('lab2', 'cat /etc/kubernetes/admin.conf')) as {
      clusters: { cluster: { server: string } }[];
      users: { user: Record<string, string> }[];
    };
    expect(original.clusters[0]!.cluster.server).toBe('https://127.0.0.1:6443');
    const clientKey = original.users[0]!.user['client-key-data']!;
    const keyPem = Buffer.from(clientKey, 'base64').toString();
    expect(keyPem).toContain('-----BEGIN RSA PRIVATE KEY-----');
    const keyLine = keyPem.split('\n')[1]!;
    for (const file of await filesUnder(dataDir)) {
      const text = await readFile(file, 'latin1');
      expect(text, file).not.toContain(clientKey.slice(0, 40));
      expect(text, file).not.toContain('RSA PRIVATE KEY');
      expect(text, file).not.toContain(keyLine);
    }

    const exported = await api.call('cluster.exportKubeconfig', { projectId });
    expect(exported.warning).toMatch(/grants cluster-admin/);
    expect(exported.content.startsWith('# This file grants cluster-admin')).toBe(true);
    const kubeconfig = parse(exported.content) as typeof original;
    expect(kubeconfig.clusters[0]!.cluster.server).toBe(`https://${balancer.address}:${balancer.port}`);
    expect(kubeconfig.users[0]!.user['client-key-data']).toBe(clientKey);

    // A restarted server has only the encrypted copy: the passphrase opens it, nothing else does.
    const restarted = inProcessApi(
      createAirsprayCore({
        shell: 'browser',
        version: 'test',
        dataDir: { dir: dataDir, source: 'option' },
        bundleLocations: [],
      }),
    );
    expect((await restarted.call('cluster.access', { projectId })).kubeconfig).toMatchObject({
      protection: 'passphrase',
      availableNow: false,
    });
    await expect(restarted.call('cluster.exportKubeconfig', { projectId })).rejects.toMatchObject({
      field: 'passphrase',
    });
    await expect(
      restarted.call('cluster.exportKubeconfig', { projectId, keyPassphrase: 'not the passphrase' }),
    ).rejects.toThrow(/passphrase is wrong/);
    expect((await restarted.call('cluster.exportKubeconfig', { projectId, keyPassphrase })).content).toBe(
      exported.content,
    );

    // airspray kubeconfig writes the same file, mode 0600.
    const out = join(dataDir, '..', 'access.kubeconfig');
    process.env[deployKeyPassphraseVariable] = keyPassphrase;
    try {
      await buildCli(join(dataDir, 'no-renderer')).parseAsync([
        'node',
        'airspray',
        'kubeconfig',
        '--project',
        'access',
        '--data-dir',
        dataDir,
        '--out',
        out,
      ]);
    } finally {
      delete process.env[deployKeyPassphraseVariable];
    }
    expect(await readFile(out, 'utf8')).toBe(exported.content);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
  }, 180_000);

  it('shows a dead node as not ready, and no more once remove-node.yml took it out', async () => {
    await powerOff('lab5');
    const dead = await api.call('cluster.nodes', { projectId, credentialId, keyPassphrase });
    expect(dead.nodes?.nodes.map((node) => [node.name, node.ready])).toEqual([
      ['lab2', 'True'],
      ['lab3', 'True'],
      ['lab5', 'Unknown'],
    ]);
    expect(dead.nodes?.nodes[2]?.readyMessage).toBe('Kubelet stopped posting node status.');

    const removal = await api.call('runs.start', {
      projectId,
      credentialId,
      keyPassphrase,
      options: {
        playbook: 'remove-node.yml',
        extraVars: { node: 'lab5', skip_confirmation: true, reset_nodes: false, allow_ungraceful_removal: true },
      },
      kubesprayDir: fixtureKubesprayDir,
    });
    expect(await api.waitForEvent(finishedRun(removal.id))).toMatchObject({ state: 'succeeded' });
    const after = await api.call('cluster.nodes', { projectId, credentialId, keyPassphrase });
    expect(after.nodes?.nodes.map((node) => node.name)).toEqual(['lab2', 'lab3']);
  }, 180_000);
});
