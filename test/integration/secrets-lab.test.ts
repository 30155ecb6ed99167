import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEventPayload } from '../../electron/common/api';
import { noRoles, type ChosenBundle } from '../../electron/common/cluster-plan';
import type { RunRecord } from '../../electron/common/run';
import { shellCommand } from '../../electron/node/ssh/shell-quote';
import { execOnHost } from '../lab/lab';
import { hostAddress } from '../lab/lab-network';
import { downloadOverHttp, type ApiClient } from '../support/api-client';
import { serveWithApi, type ServedApi } from '../support/airspray-serve';
import { verifiedDeployBundle, writeProject } from '../support/bundle-project';
import { filesUnder, needlesOf } from '../support/marker-search';
import { fixtureKubesprayDir, prepareDeployNode } from '../support/deploy-node';
import { requireLab } from '../support/lab';
import { trustHosts } from '../support/trust-hosts';

// A whole flow with marker secrets against lab5 (deploy node) and lab6: a login whose password (and sudo password)
// is a marker, a deploy key under a marker passphrase, a push, a run, a report and an inventory export. Then every
// file the app wrote, here and on both hosts, and the hosts' journals, are searched for the markers (plain and
// base64): zero hits. The lab's own ops password is no marker, so the flow logs in as a user made for this test.
const tag = randomBytes(5).toString('hex');
const user = `mk${tag}`;
const markers = { password: `MARKERPW${tag}`, keyPassphrase: `MARKERKEYPASS${tag}` };
const kubesprayDir = `/home/${user}/kubespray`;
const labHosts = ['lab5', 'lab6'];

const needles = Object.values(markers).flatMap(needlesOf);

let dataDir: string;
let bundlesDir: string;
let served: ServedApi;
let api: ApiClient;
let projectId: string;
let runId: string;
let bundleId: string;
const written: { path: string; bytes: Buffer }[] = [];

beforeAll(async () => {
  await requireLab();
  await prepareDeployNode({ name: 'lab5' }, [{ name: 'lab6', index: 6, controlPlane: true }]);
  for (const host of labHosts) {
    // Test setup through nsenter, not the product's path: the marker goes to chpasswd on stdin of this one shell.
    await execOnHost(
      host,
      `useradd --create-home --shell /bin/bash --groups sudo ${user} && printf '%s:%s\\n' ${user} ${markers.password} | chpasswd`,
    );
  }
  await execOnHost(
    'lab5',
    `cp -r ${fixtureKubesprayDir} ${kubesprayDir} && rm -rf ${kubesprayDir}/inventory && chown -R ${user}: ${kubesprayDir}`,
  );
  let chosen: ChosenBundle;
  ({ dataDir, bundlesDir, chosen } = await verifiedDeployBundle('airspray-secrets-lab-', {
    largeFiles: 1,
    largeBytes: 9 * 1024 * 1024,
    smallFiles: 10,
    smallBytes: 512,
  }));
  bundleId = chosen.bundleId;
  projectId = await writeProject(dataDir, 'secrets-lab', (cluster) => ({
    hosts: [
      { name: 'lab5', address: hostAddress(5), roles: { ...noRoles, controlPlane: true, etcd: true, worker: true } },
      { name: 'lab6', address: hostAddress(6), roles: { ...noRoles, worker: true } },
    ],
    deployNode: 'lab5',
    settings: { ...cluster.settings, kubernetesVersion: '1.27.10' },
    bundle: chosen,
  }));
  served = await serveWithApi(['--data-dir', dataDir, '--bundles-dir', bundlesDir]);
  api = served.api;
}, 180_000);

afterAll(async () => {
  await served?.close();
  for (const host of labHosts)
    await execOnHost(host, `pkill -u ${user}; userdel -r ${user} 2>/dev/null; true`).catch(() => undefined);
});

describe('marker secrets through a whole lab flow', () => {
  it('logs in, installs the deploy key, pushes, runs cluster.yml, exports the report and the inventory', async () => {
    const credentialId = (
      await api.call('credentials.add', {
        credential: {
          label: 'marker',
          user,
          auth: { kind: 'password', password: markers.password },
          sudoPassword: markers.password,
        },
        persist: false,
      })
    ).id;
    await trustHosts(api, projectId, credentialId, [hostAddress(5), hostAddress(6)]);
    const keys = await api.call('deploy.bootstrapKeys', {
      projectId,
      credentialId,
      keyPassphrase: markers.keyPassphrase,
    });
    expect(keys.hosts.map((host) => [host.name, host.ok, host.sudo])).toEqual([
      ['lab5', true, 'works'],
      ['lab6', true, 'works'],
    ]);

    const { pushId } = await api.call('deploy.pushBundle', {
      projectId,
      credentialId,
      keyPassphrase: markers.keyPassphrase,
    });
    const push = (await api.waitForEvent(
      (event, payload) =>
        event === 'deploy.pushProgress' &&
        (payload as ApiEventPayload<'deploy.pushProgress'>).pushId === pushId &&
        (payload as ApiEventPayload<'deploy.pushProgress'>).state !== 'running',
      120_000,
    )) as ApiEventPayload<'deploy.pushProgress'>;
    expect(push.state).toBe('finished');

    const run = await api.call('runs.start', {
      projectId,
      credentialId,
      keyPassphrase: markers.keyPassphrase,
      options: { playbook: 'cluster.yml' },
      kubesprayDir,
    });
    runId = run.id;
    const finished = (await api.waitForEvent(
      (event, payload) =>
        event === 'runs.updated' && (payload as RunRecord).id === run.id && (payload as RunRecord).state !== 'running',
      120_000,
    )) as RunRecord;
    expect(finished).toMatchObject({ state: 'succeeded', exitCode: 0 });

    const report = await downloadOverHttp(api, Number(new URL(served.serve.url).port), {
      kind: 'run-report',
      projectId,
      runId,
    });
    const html = await report.response.text();
    expect(html).toContain('lab6');
    written.push({ path: `exported report ${report.fileName}`, bytes: Buffer.from(html) });
    const archive = await api.call('inventory.exportArchive', { id: projectId, format: 'tar.gz' });
    written.push({
      path: 'exported inventory archive (tar)',
      bytes: gunzipSync(Buffer.from(archive.base64, 'base64')),
    });
  }, 300_000);

  it('finds no marker here (data folder, exports, server log) nor on the hosts (files the flow wrote, /tmp, journal)', async () => {
    const hits: string[] = [];
    const local = [
      ...(await filesUnder(dataDir)),
      ...written,
      { path: 'server output', bytes: Buffer.from(served.serve.output()) },
    ];
    for (const file of local)
      for (const needle of needles) if (file.bytes.includes(needle)) hits.push(`laptop ${file.path}: ${needle}`);
    expect(local.some((file) => file.path.endsWith('deploy-key.json'))).toBe(true);

    const runDir = `/var/lib/airspray/runs/${runId}`;
    const grep = (paths: string[], patterns: string[]) =>
      shellCommand(['grep', '-rlaF', ...patterns.flatMap((pattern) => ['-e', pattern]), '--', ...paths]);
    for (const host of labHosts) {
      const paths = ['/var/lib/airspray', `/home/${user}`, '/tmp', '/var/tmp', '/etc/airspray', '/etc/systemd/system'];
      const found = await execOnHost(
        host,
        `${grep(paths, needles)} 2>/dev/null; journalctl --no-pager -o cat | ${grep(['-'], needles)} 2>/dev/null; true`,
      );
      for (const line of found.split('\n').filter(Boolean))
        hits.push(`${host} ${line === '(standard input)' ? 'journal' : line}`);
      // The search is not vacuous: the same search finds what the flow did write there.
      const proof = await execOnHost(
        host,
        `${grep(paths, [runId, bundleId, 'secrets-lab'])} 2>/dev/null; journalctl --no-pager -o cat | ${grep(['-'], [user])} 2>/dev/null; true`,
      );
      expect(proof, host).toContain('(standard input)');
      expect(proof.split('\n').length, host).toBeGreaterThan(2);
    }
    expect(hits).toEqual([]);
    // The secrets the run needed on the node (become password, deploy key, its passphrase) are gone.
    expect(await execOnHost('lab5', `ls ${runDir}`)).not.toMatch(/^(become|deploy_key|key_passphrase)$/m);
    expect(await execOnHost('lab5', `ls ${runDir}`)).toMatch(/^log$/m);
  });
});
