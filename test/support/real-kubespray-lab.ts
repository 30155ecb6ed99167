import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { BundleManifest } from '../../electron/common/bundle-manifest';
import { noRoles } from '../../electron/common/cluster-plan';
import { ProjectStore } from '../../electron/node/projects/project-store';
import { renewHost } from '../lab/lab';
import { hostAddress, labAccounts } from '../lab/lab-network';
import { repoRoot } from './airspray-serve';
import { dockerRegistryBinary } from './bundle-lab';
import { chosenBundle, writeProject } from './bundle-project';
import { kubesprayListsFixtures, requireKubesprayRelease } from './kubespray-release-path';
import { openRealKubespray, aptTestCache, standInChecksums } from './real-kubespray';
import { serveStandInDownloads, type StandInDownloads } from './stand-in-downloads';

// The published kubespray v2.23.3 release, bundled by `airspray bundle build` with its Debian packages, pushed and
// served by `airspray deploy` from lab1 for lab2 (control plane, etcd, worker) and lab3 (worker): what the real-run
// test and the real-run benchmark share. Only the CLI drives it.

export const realCluster = ['lab2', 'lab3'];
export const realTags = 'bootstrap-os,preinstall,download';
/** The lab's hosts are containers: the variables docs/real-kubespray.md gives for each task a container cannot run. */
const containerVariables = {
  kubelet_protect_kernel_defaults: false,
  enable_nodelocaldns: false,
  skip_kubeadm_images: true,
  download_container: false,
};
const keyPassphrase = 'real-kubespray-passphrase';

export type CliResult = { code: number; stdout: string; stderr: string };

/** What `airspray run` runs of the release: a playbook, its tags, a limit and variables of its own. */
export interface RealRun {
  playbook: string;
  tags: string;
  limit?: string;
  extraVars?: Record<string, unknown>;
}

export interface RealKubesprayLab {
  work: string;
  dataDir: string;
  releaseDir: string;
  projectId: string;
  manifest: BundleManifest;
  downloads: StandInDownloads;
  passwordFile: string;
  keyPassphrase: string;
  cli(...args: string[]): Promise<CliResult>;
  /** Runs a CLI step and fails naming it, with what it printed, when it does not end well. */
  step(...args: string[]): Promise<CliResult>;
  projectArgs(): string[];
  /** `airspray run` (cluster.yml with the tags unless told), the container variables and the stand-ins' checksums. */
  runArgs(run?: RealRun): Promise<string[]>;
  /** Stops the mirror, removes the release and gives lab2 and lab3 fresh root filesystems. */
  close(): Promise<void>;
}

export function airsprayCli(...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const env = {
      ...process.env,
      AIRSPRAY_DEPLOY_KEY_PASSPHRASE: keyPassphrase,
      AIRSPRAY_KEY_PASSPHRASE: keyPassphrase,
    };
    execFile(
      process.execPath,
      [join(repoRoot, 'bin', 'airspray.cjs'), ...args],
      { env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

async function step(...args: string[]): Promise<CliResult> {
  const result = await airsprayCli(...args);
  expect(result.code, `airspray ${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result;
}

/**
 * `airspray bundle build` of the release tarball, its files through a loopback mirror, no images, Debian 12's packages.
 */
async function buildReleaseBundle(
  work: string,
  dataDir: string,
  bundleDir: string,
): Promise<{ manifest: BundleManifest; downloads: StandInDownloads }> {
  const files = (await readFile(join(kubesprayListsFixtures, 'files.list'), 'utf8')).split('\n').filter(Boolean);
  const downloads = await serveStandInDownloads(work, files);
  await writeFile(join(work, 'images.list'), '');
  // The deploy node's registry and file server: Debian's docker-registry, as a release bundle carries it in tools/.
  await mkdir(join(work, 'tools'));
  await copyFile(dockerRegistryBinary, join(work, 'tools', 'docker-registry'));
  const key = join(work, 'publisher.pem');
  const keygen = await step('bundle', 'keygen', '--out', key);
  await step(
    'bundle',
    'build',
    '--out',
    bundleDir,
    '--kubespray',
    requireKubesprayRelease(),
    '--kubespray-version',
    '2.23.3',
    '--kubernetes-version',
    '1.27.10',
    '--files-list',
    join(kubesprayListsFixtures, 'files.list'),
    '--images-list',
    join(work, 'images.list'),
    '--os',
    'debian-12',
    '--os-cache',
    aptTestCache,
    '--tools',
    join(work, 'tools'),
    '--checksums',
    downloads.checksumsFile,
    '--key',
    key,
    ...downloads.mirrorArgs,
  );
  const fingerprint = /Fingerprint: (SHA256:\S+)/.exec(keygen.stdout)![1]!;
  await step(
    'bundle',
    'trust',
    `${key}.pub`,
    '--name',
    'Lab publisher',
    '--fingerprint',
    fingerprint,
    '--data-dir',
    dataDir,
  );
  // The push takes only a bundle verified in full as it lies, as the Bundle step's Verify leaves it.
  await step('bundle', 'verify', bundleDir, '--data-dir', dataDir);
  return {
    manifest: JSON.parse(await readFile(join(bundleDir, 'manifest.json'), 'utf8')) as BundleManifest,
    downloads,
  };
}

/** lab1 the deploy node, lab2 and lab3 the cluster, the bundle chosen. */
async function createProject(dataDir: string, bundleDir: string, manifest: BundleManifest): Promise<string> {
  const chosen = await chosenBundle(bundleDir, manifest.bundleId);
  return writeProject(dataDir, 'real-kubespray', (cluster) => ({
    hosts: [
      { name: 'lab1', address: hostAddress(1), roles: noRoles },
      { name: 'lab2', address: hostAddress(2), roles: { ...noRoles, controlPlane: true, etcd: true, worker: true } },
      { name: 'lab3', address: hostAddress(3), roles: { ...noRoles, worker: true } },
    ],
    deployNode: 'lab1',
    settings: { ...cluster.settings, kubernetesVersion: '1.27.10' },
    bundle: chosen,
  }));
}

/** Builds the bundle, makes the project and deploys: keys, push, services, package sources pointed at lab1. */
export async function openRealKubesprayLab(): Promise<RealKubesprayLab> {
  const work = await mkdtemp(join(tmpdir(), 'airspray-real-kubespray-'));
  const dataDir = join(work, 'data');
  await mkdir(dataDir);
  const passwordFile = join(work, 'password');
  await writeFile(passwordFile, `${labAccounts.ops.password}\n`, { mode: 0o600 });
  const release = await openRealKubespray();
  const bundleDir = join(work, 'bundles', 'ks');
  const { manifest, downloads } = await buildReleaseBundle(work, dataDir, bundleDir);
  const projectId = await createProject(dataDir, bundleDir, manifest);
  const projectArgs = () => ['--project', 'real-kubespray', '--data-dir', dataDir];
  const deployArgs = [
    ...projectArgs(),
    '--bundles-dir',
    join(work, 'bundles'),
    '--user',
    'ops',
    '--password-file',
    passwordFile,
  ];
  await step('deploy', 'keys', ...deployArgs, '--accept-new');
  await step('deploy', 'push', ...deployArgs);
  await step('deploy', 'services', ...deployArgs);
  await step('deploy', 'sources', 'point', ...deployArgs);
  const runArgs = async (
    { playbook, tags, limit, extraVars }: RealRun = { playbook: 'cluster.yml', tags: realTags },
  ) => {
    const plan = (await new ProjectStore(dataDir).open(projectId)).cluster;
    const variables = { ...containerVariables, ...(await standInChecksums(release.dir, plan, manifest)), ...extraVars };
    const variableArgs = Object.entries(variables).flatMap(([key, value]) => ['-e', `${key}=${JSON.stringify(value)}`]);
    return [
      'run',
      playbook,
      ...projectArgs(),
      '--user',
      'ops',
      '--password-file',
      passwordFile,
      '--sudo-password-file',
      passwordFile,
      '--tags',
      tags,
      ...(limit ? ['--limit', limit] : []),
      ...variableArgs,
    ];
  };
  const close = async () => {
    await downloads.web.close();
    await release.cleanup();
    // kubespray changed these hosts as an installer does (packages, sysctls, /etc/hosts): the next user gets them
    // fresh.
    for (const name of realCluster) await renewHost(name);
    await rm(work, { recursive: true, force: true });
  };
  return {
    work,
    dataDir,
    releaseDir: release.dir,
    projectId,
    manifest,
    downloads,
    passwordFile,
    keyPassphrase,
    cli: airsprayCli,
    step,
    projectArgs,
    runArgs,
    close,
  };
}
