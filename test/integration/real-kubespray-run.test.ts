import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleManifest } from '../../electron/common/bundle-manifest';
import { noRoles } from '../../electron/common/cluster-plan';
import type { RunRecord } from '../../electron/common/run';
import { ProjectStore } from '../../electron/node/projects/project-store';
import { execOnHost, renewHost } from '../lab/lab';
import { hostAddress, labAccounts } from '../lab/lab-network';
import { repoRoot, startServe } from '../support/airspray-serve';
import { downloadOverHttp, openApiClient } from '../support/api-client';
import { dockerRegistryBinary } from '../support/bundle-lab';
import { kubesprayListsFixtures, requireKubesprayRelease } from '../support/kubespray-release-path';
import { requireLab } from '../support/lab';
import { aptTestCache, openRealKubespray, standInChecksums } from '../support/real-kubespray';
import { serveStandInDownloads, type StandInDownloads } from '../support/stand-in-downloads';

// The published kubespray v2.23.3 release, bundled by `airspray bundle build` with its Debian packages, pushed and
// served by `airspray deploy`, and its own cluster.yml run by `airspray run` on lab2 (control plane, etcd, worker)
// and lab3 (worker) from lab1. The lab's hosts are containers: the run ends after `download`, with the variables
// docs/real-kubespray.md gives for each task a container cannot run. The Kubernetes files are stand-ins (they cannot
// be downloaded here), so their checksums are passed as kubespray's checksum variables.
const cluster = ['lab2', 'lab3'];
const keyPassphrase = 'real-kubespray-passphrase';
const tags = 'bootstrap-os,preinstall,download';
const containerVariables = { kubelet_protect_kernel_defaults: false, enable_nodelocaldns: false, skip_kubeadm_images: true, download_container: false };

let work: string;
let dataDir: string;
let release: { dir: string; cleanup: () => Promise<void> };
let downloads: StandInDownloads;
let manifest: BundleManifest;
let projectId: string;
let passwordFile: string;

type CliResult = { code: number; stdout: string; stderr: string };
const cli = (...args: string[]): Promise<CliResult> =>
  new Promise((resolve) => {
    const env = { ...process.env, AIRSPRAY_DEPLOY_KEY_PASSPHRASE: keyPassphrase, AIRSPRAY_KEY_PASSPHRASE: keyPassphrase };
    execFile(process.execPath, [join(repoRoot, 'bin', 'airspray.cjs'), ...args], { env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });

/** Runs a CLI step and fails naming it, with what it printed, when it does not end well. */
async function step(...args: string[]): Promise<CliResult> {
  const result = await cli(...args);
  expect(result.code, `airspray ${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result;
}

const projectArgs = () => ['--project', 'real-kubespray', '--data-dir', dataDir];
const deployArgs = () => [...projectArgs(), '--bundles-dir', join(work, 'bundles'), '--user', 'ops', '--password-file', passwordFile];
const loginArgs = () => ['--user', 'ops', '--password-file', passwordFile];

/** `airspray bundle build` of the release tarball, its files through a loopback mirror, no images, Debian 12's packages. */
async function buildReleaseBundle(bundleDir: string): Promise<void> {
  const files = (await readFile(join(kubesprayListsFixtures, 'files.list'), 'utf8')).split('\n').filter(Boolean);
  downloads = await serveStandInDownloads(work, files);
  await writeFile(join(work, 'images.list'), '');
  // The deploy node's registry and file server: Debian's docker-registry, as a release bundle carries it in tools/.
  await mkdir(join(work, 'tools'));
  await copyFile(dockerRegistryBinary, join(work, 'tools', 'docker-registry'));
  const key = join(work, 'publisher.pem');
  const keygen = await step('bundle', 'keygen', '--out', key);
  await step('bundle', 'build', '--out', bundleDir, '--kubespray', requireKubesprayRelease(), '--kubespray-version', '2.23.3', '--kubernetes-version', '1.27.10',
    '--files-list', join(kubesprayListsFixtures, 'files.list'), '--images-list', join(work, 'images.list'), '--os', 'debian-12', '--os-cache', aptTestCache,
    '--tools', join(work, 'tools'), '--checksums', downloads.checksumsFile, '--key', key, ...downloads.mirrorArgs);
  const fingerprint = /Fingerprint: (SHA256:\S+)/.exec(keygen.stdout)![1]!;
  await step('bundle', 'trust', `${key}.pub`, '--name', 'Lab publisher', '--fingerprint', fingerprint, '--data-dir', dataDir);
  // The push takes only a bundle verified in full as it lies, as the Bundle step's Verify leaves it.
  await step('bundle', 'verify', bundleDir, '--data-dir', dataDir);
  manifest = JSON.parse(await readFile(join(bundleDir, 'manifest.json'), 'utf8')) as BundleManifest;
}

/** lab1 the deploy node, lab2 and lab3 the cluster, the bundle chosen. */
async function createProject(bundleDir: string): Promise<void> {
  const projects = new ProjectStore(dataDir);
  const project = await projects.create('real-kubespray');
  const manifestSha256 = createHash('sha256').update(await readFile(join(bundleDir, 'manifest.json'))).digest('hex');
  await projects.update(project.id, project.revision, (current) => ({
    ...current,
    cluster: {
      ...current.cluster,
      hosts: [
        { name: 'lab1', address: hostAddress(1), roles: noRoles },
        { name: 'lab2', address: hostAddress(2), roles: { ...noRoles, controlPlane: true, etcd: true, worker: true } },
        { name: 'lab3', address: hostAddress(3), roles: { ...noRoles, worker: true } },
      ],
      deployNode: 'lab1',
      settings: { ...current.cluster.settings, kubernetesVersion: '1.27.10' },
      bundle: { bundleId: manifest.bundleId, kubesprayVersion: '2.23.3', kubernetesVersions: ['1.27.10'], manifestSha256 },
    },
  }));
  projectId = project.id;
}

beforeAll(async () => {
  await requireLab();
  work = await mkdtemp(join(tmpdir(), 'airspray-real-kubespray-'));
  dataDir = join(work, 'data');
  await mkdir(dataDir);
  passwordFile = join(work, 'password');
  await writeFile(passwordFile, `${labAccounts.ops.password}\n`, { mode: 0o600 });
  release = await openRealKubespray();
  const bundleDir = join(work, 'bundles', 'ks');
  await buildReleaseBundle(bundleDir);
  await createProject(bundleDir);
  await step('deploy', 'keys', ...deployArgs(), '--accept-new');
  await step('deploy', 'push', ...deployArgs());
  await step('deploy', 'services', ...deployArgs());
  await step('deploy', 'sources', 'point', ...deployArgs());
}, 900_000);

afterAll(async () => {
  await downloads?.web.close();
  await release?.cleanup();
  // kubespray changed these hosts as an installer does (packages, sysctls, /etc/hosts): the next test gets them fresh.
  for (const name of cluster) await renewHost(name);
}, 300_000);

describe("the real kubespray v2.23.3 cluster.yml through airspray run (lab)", () => {
  it('runs bootstrap-os, preinstall and download on lab2 and lab3 from the pushed bundle, packages and files from the deploy node', async () => {
    const plan = (await new ProjectStore(dataDir).open(projectId)).cluster;
    const variables = { ...containerVariables, ...(await standInChecksums(release.dir, plan, manifest)) };
    const extraVars = Object.entries(variables).flatMap(([key, value]) => ['-e', `${key}=${JSON.stringify(value)}`]);
    const run = await cli('run', 'cluster.yml', ...projectArgs(), ...loginArgs(), '--sudo-password-file', passwordFile, '--tags', tags, ...extraVars);
    const [record] = JSON.parse((await step('runs', 'list', ...projectArgs(), '--json')).stdout) as RunRecord[];
    await keepLog(record);
    expect(run.code, run.stderr.slice(-4000)).toBe(0);
    expect(record).toMatchObject({ playbook: 'cluster.yml', state: 'succeeded', exitCode: 0, options: { tags: tags } });
    // kubespray's first play checks the Ansible version on localhost.
    expect(Object.keys(record!.digest.recap ?? {}).sort()).toEqual([...cluster, 'localhost']);
    for (const host of cluster) expect(record!.digest.recap?.[host]).toMatchObject({ failed: 0, unreachable: 0 });
    expect(record!.digest.recap?.lab2?.ok).toBeGreaterThan(100);

    // preinstall installed kubespray's packages from the bundle's repos/debian-12, through the deploy node.
    expect(await execOnHost('lab2', 'dpkg -s ipvsadm conntrack socat')).not.toMatch(/not installed/);
    expect(await execOnHost('lab2', 'cat /etc/apt/sources.list.d/airspray-offline.list')).toContain(`http://${hostAddress(1)}:`);
    // download fetched the bundle's files from the deploy node's file server, each checked against its checksum.
    const kubeadm = 'https://dl.k8s.io/release/v1.27.10/bin/linux/amd64/kubeadm';
    expect(await execOnHost('lab2', 'cat /tmp/releases/kubeadm-v1.27.10-amd64')).toBe(downloads.contents.get(kubeadm)!.toString());
  }, 2_400_000);

  it('shows the run through the API as the UI does: in the history with its recap, and its report with the whole log', async () => {
    const serve = await startServe(['--data-dir', dataDir]);
    try {
      const api = await openApiClient(Number(new URL(serve.url).port), serve.token);
      const [run] = await api.call('runs.list', { projectId });
      expect(run).toMatchObject({ playbook: 'cluster.yml', state: 'succeeded' });
      const report = await downloadOverHttp(api, Number(new URL(serve.url).port), { kind: 'run-report', projectId, runId: run!.id });
      const html = await report.response.text();
      expect(html).toContain('PLAY RECAP');
      expect(html).toContain('kubernetes/preinstall : Install packages requirements');
      expect(html).not.toContain(labAccounts.ops.password);
      api.close();
    } finally {
      await serve.stop();
    }
  });
});

/** The run's log beside the screenshots, to refresh the parser fixtures from (test/fixtures/ansible/). */
async function keepLog(run: RunRecord | undefined): Promise<void> {
  if (!run) return;
  await mkdir(join(repoRoot, 'test-results'), { recursive: true });
  const log = join(new ProjectStore(dataDir).projectFolder(projectId), 'runs', run.id, 'log');
  await copyFile(log, join(repoRoot, 'test-results', 'real-kubespray-2.23.3-run.log')).catch(() => undefined);
}
