import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../electron/common/run';
import { execOnHost } from '../lab/lab';
import { hostAddress, labAccounts } from '../lab/lab-network';
import { downloadOverHttp } from '../support/api-client';
import { repoRoot, serveWithApi } from '../support/airspray-serve';
import { fixtureKubesprayDir } from '../support/deploy-node';
import { requireLab } from '../support/lab';
import { createFixtureCluster, opsProfile, prepareFixtureDeployNode } from '../support/fixture-cluster';
import { trustHosts } from '../support/trust-hosts';
import { installDeployKey } from '../support/deploy-key';

let dataDir: string;
/** Browser mode has no keychain: the deploy key is kept on disk encrypted under this, so it outlives the server. */
const keyPassphrase = 'runs-api-key-passphrase';

beforeAll(async () => {
  await requireLab();
  await prepareFixtureDeployNode();
  dataDir = join(await mkdtemp(join(tmpdir(), 'airspray-runs-api-')), 'data');
}, 60_000);

describe('runs through the API of a real server, which dies mid-run', () => {
  it('keeps the run going on the deploy node, and a new server re-attaches and shows the whole log and the recap', async () => {
    const { serve: first, api } = await serveWithApi(['--data-dir', dataDir]);
    const project = await createFixtureCluster(api, 'fixture');
    const credential = await api.call('credentials.add', { credential: opsProfile, persist: false });
    await trustHosts(api, project.id, credential.id, [1, 2, 3].map(hostAddress));
    await expect(
      api.call('runs.start', {
        projectId: project.id,
        credentialId: credential.id,
        options: { playbook: 'cluster.yml' },
        kubesprayDir: fixtureKubesprayDir,
      }),
    ).rejects.toMatchObject({
      message: expect.stringContaining('no deploy key yet'),
    });
    await installDeployKey(api, project.id, credential.id, keyPassphrase);

    const run = await api.call('runs.start', {
      projectId: project.id,
      credentialId: credential.id,
      keyPassphrase,
      options: { playbook: 'cluster.yml', extraVars: { airspray_fixture_sleep: 4 } },
      kubesprayDir: fixtureKubesprayDir,
    });
    await api.waitForEvent((event) => event === 'runs.output');
    api.close();
    await first.crash();

    const { serve: second, api: again, close } = await serveWithApi(['--data-dir', dataDir]);
    try {
      const [listed] = await again.call('runs.list', { projectId: project.id });
      expect(listed).toMatchObject({ id: run.id, state: 'running', playbook: 'cluster.yml' });
      // Profiles live in memory in browser mode: the operator enters the password again.
      const newCredential = await again.call('credentials.add', { credential: opsProfile, persist: false });
      await expect(
        again.call('runs.attach', { projectId: project.id, runId: run.id, credentialId: newCredential.id }),
      ).rejects.toMatchObject({ field: 'keyPassphrase' });
      await again.call('runs.attach', {
        projectId: project.id,
        runId: run.id,
        credentialId: newCredential.id,
        keyPassphrase,
      });
      const finished = (await again.waitForEvent(
        (event, payload) => event === 'runs.updated' && (payload as RunRecord).state !== 'running',
      )) as RunRecord;
      expect(finished).toMatchObject({ state: 'succeeded', exitCode: 0 });
      expect(Object.keys(finished.digest.recap ?? {}).sort()).toEqual(['lab2', 'lab3']);
      // The estimate came from --list-tasks on the node; the include in cluster.yml adds headers only at run time.
      expect(finished.digest.tasksPlanned).toBeGreaterThan(0);
      expect(finished.digest.tasksPlanned).toBeLessThanOrEqual(finished.digest.tasksStarted);

      // The inventory the run used points kubespray at the deploy node's file server and registry, for every host.
      const hostVars = JSON.parse(
        await execOnHost(
          'lab1',
          `cd ${fixtureKubesprayDir} && su ops -c 'ansible-inventory -i inventory/fixture/hosts.yaml --host lab3'`,
        ),
      ) as Record<string, unknown>;
      const { registry } = project.cluster.settings;
      expect(registry.kind).toBe('bundle');
      if (registry.kind === 'bundle') {
        expect(hostVars).toMatchObject({
          files_repo: `http://${hostAddress(1)}:${registry.filesPort}`,
          registry_host: `${hostAddress(1)}:${registry.registryPort}`,
          kubeadm_download_url:
            '{{ files_repo }}/dl.k8s.io/release/{{ kubeadm_version }}/bin/linux/{{ image_arch }}/kubeadm',
          kube_image_repo: '{{ registry_host }}',
        });
      }
      expect(
        await execOnHost('lab1', `cat ${fixtureKubesprayDir}/inventory/fixture/group_vars/all/offline.yml`),
      ).toContain(`files_repo: http://${hostAddress(1)}:`);

      const log = await again.call('runs.log', { projectId: project.id, runId: run.id, from: 0 });
      const remoteLog = await execOnHost('lab1', `cat /var/lib/airspray/runs/${run.id}/log`);
      expect(Buffer.from(log.data, 'base64').toString()).toBe(remoteLog);
      expect(log.logBytes).toBe(finished.logBytes);

      const report = await downloadOverHttp(again, Number(new URL(second.url).port), {
        kind: 'run-report',
        projectId: project.id,
        runId: run.id,
      });
      expect(report.fileName).toBe(`airspray-${project.name}-cluster-${run.id}.html`);
      expect(report.response.headers.get('content-disposition')).toContain(`filename="${report.fileName}"`);
      const html = await report.response.text();
      expect(html).toContain('Play recap');
      expect(html).toContain('lab3');
      expect(html).toContain('PLAY RECAP');
      expect(html).not.toContain(labAccounts.ops.password);
    } finally {
      await close();
    }
  }, 180_000);
});

describe('airspray run and airspray runs on the same project', () => {
  it('runs a playbook from the command line, names the failing host, keeps it in the history with a report, and puts the deploy key on a node before scale.yml adds it', async () => {
    const run = promisify(execFile);
    const passwordFile = join(dataDir, '..', 'password');
    await writeFile(passwordFile, `${labAccounts.ops.password}\n`, { mode: 0o600 });
    const credentials = ['--user', 'ops', '--password-file', passwordFile, '--sudo-password-file', passwordFile];
    const common = ['--project', 'fixture', '--data-dir', dataDir];
    const cli = (args: string[], env: Record<string, string> = { AIRSPRAY_DEPLOY_KEY_PASSPHRASE: keyPassphrase }) =>
      run(process.execPath, [join(repoRoot, 'bin', 'airspray.cjs'), ...args], { env: { ...process.env, ...env } }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
    // The project's deploy key is encrypted on disk: the command line needs its passphrase, and says where from.
    const locked = await cli(
      ['run', 'cluster.yml', ...common, ...credentials, '--kubespray-dir', fixtureKubesprayDir],
      {},
    );
    expect(locked.code).toBe(1);
    expect(locked.stderr).toContain('AIRSPRAY_DEPLOY_KEY_PASSPHRASE');
    const failing = await cli([
      'run',
      'cluster.yml',
      ...common,
      ...credentials,
      '--kubespray-dir',
      fixtureKubesprayDir,
      '-e',
      'airspray_fixture_fail_host=lab3',
    ]);
    expect(failing.code).toBe(2);
    expect(failing.stdout).toContain('PLAY RECAP');
    expect(failing.stderr).toContain('lab3 failed "Fail on purpose on the chosen host": lab3 fails on purpose');
    const bad = await cli(['run', 'site.yml', ...common, ...credentials]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('playbook');

    const listed = JSON.parse((await cli(['runs', 'list', ...common, '--json'])).stdout) as RunRecord[];
    expect(listed.map((entry) => entry.state)).toEqual(['failed', 'succeeded']);
    const reportPath = join(dataDir, '..', 'report.html');
    expect((await cli(['runs', 'report', listed[0]!.id, ...common, '--out', reportPath])).code).toBe(0);
    const html = await readFile(reportPath, 'utf8');
    expect(html).toContain('lab3 fails on purpose');
    expect(html).not.toContain(labAccounts.ops.password);

    // A node added to the plan: scale.yml installs the deploy key on it first with the profile's login, as Operate's
    // Add nodes does, then runs limited to it. The node's host key is accepted first (Access step, through the API).
    await execOnHost('lab4', 'rm -f /home/ops/.ssh/authorized_keys');
    const server = await serveWithApi(['--data-dir', dataDir]);
    try {
      const { api } = server;
      const [project] = (await api.call('projects.list', {})).filter((entry) => entry.name === 'fixture');
      const opened = await api.call('projects.open', { id: project!.id });
      const hosts = [
        ...opened.cluster.hosts,
        { ...opened.cluster.hosts.find((host) => host.name === 'lab3')!, name: 'lab4', address: hostAddress(4) },
      ];
      await api.call('projects.savePlan', {
        id: opened.id,
        revision: opened.revision,
        hosts,
        deployNode: 'lab1',
        settings: opened.cluster.settings,
      });
      const credential = await api.call('credentials.add', { credential: opsProfile, persist: false });
      await trustHosts(api, opened.id, credential.id, [hostAddress(4)]);
    } finally {
      await server.close();
    }
    const scaled = await cli([
      'run',
      'scale.yml',
      '--limit',
      'lab4',
      ...common,
      ...credentials,
      '--kubespray-dir',
      fixtureKubesprayDir,
    ]);
    expect(scaled.stderr).toContain('deploy key on lab4: installed');
    expect(scaled.code).toBe(0);
    const [newest] = JSON.parse((await cli(['runs', 'list', ...common, '--json'])).stdout) as RunRecord[];
    expect(newest).toMatchObject({ playbook: 'scale.yml', state: 'succeeded', options: { limit: 'lab4' } });
    expect(Object.keys(newest!.digest.recap ?? {})).toEqual(['lab4']);
    expect(newest!.digest.recap?.lab4).toMatchObject({ unreachable: 0, failed: 0 });
    expect(newest!.digest.recap?.lab4?.ok).toBeGreaterThan(0);
    // As the other lab files expect lab4: no fixture node marker.
    await execOnHost('lab4', 'rm -f /var/tmp/airspray-fixture-node');
  }, 180_000);
});
