import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BundleManifest } from '../../electron/common/bundle-manifest';
import { noRoles } from '../../electron/common/cluster-plan';
import { hostAddress, labAccounts } from '../lab/lab-network';
import { repoRoot } from './airspray-serve';
import { bundleCliFile, deployCliEntry } from './bundle-cli';
import { chosenBundle, trustAndVerifyBundle, writeProject } from './bundle-project';
import { writeDeployBundle, type DeployBundleShape } from './deploy-bundle';

const run = promisify(execFile);
export const deployCliPassphrase = 'cli deploy key passphrase';

export interface DeployCliProject {
  workDir: string;
  dataDir: string;
  bundlesDir: string;
  /** The `airspray deploy …` subcommands, bundled by esbuild into one script. */
  cli: string;
  projectId: string;
  bundle: { dir: string; manifest: BundleManifest };
  /** `--project … --user ops --password-file … --data-dir … --bundles-dir …` */
  common: string[];
  /** Environment for the CLI: the deploy key's passphrase and node_modules for ssh2's native parts. */
  env: NodeJS.ProcessEnv;
}

/**
 * A data folder with a verified signed bundle and a project `lab-cluster` on lab hosts `hostIndexes` (the first is
 * the deploy node and control plane), and the deploy CLI built to run against it.
 */
export async function createDeployCliProject(
  prefix: string,
  shape: DeployBundleShape,
  hostIndexes: number[],
): Promise<DeployCliProject> {
  const workDir = await mkdtemp(join(tmpdir(), prefix));
  const dataDir = join(workDir, 'data');
  const bundlesDir = join(workDir, 'bundles');
  await mkdir(dataDir, { recursive: true });
  await writeFile(join(workDir, 'password'), `${labAccounts.ops.password}\n`, { mode: 0o600 });
  const cli = join(workDir, 'airspray-deploy.cjs');
  await bundleCliFile(deployCliEntry, cli);

  const bundle = await writeDeployBundle(join(bundlesDir, 'lab-bundle'), shape);
  await trustAndVerifyBundle(dataDir, bundle.dir, bundle.publisher);
  const chosen = await chosenBundle(bundle.dir, bundle.manifest.bundleId);
  const [deployNode] = hostIndexes;
  const projectId = await writeProject(dataDir, 'lab-cluster', (cluster) => ({
    ...cluster,
    hosts: hostIndexes.map((index) => ({
      name: `lab${index}`,
      address: hostAddress(index),
      roles: { ...noRoles, controlPlane: index === deployNode, etcd: index === deployNode, worker: true },
    })),
    deployNode: `lab${deployNode}`,
    bundle: chosen,
  }));
  return {
    workDir,
    dataDir,
    bundlesDir,
    cli,
    projectId,
    bundle,
    common: [
      '--project',
      'lab-cluster',
      '--user',
      'ops',
      '--password-file',
      join(workDir, 'password'),
      '--data-dir',
      dataDir,
      '--bundles-dir',
      bundlesDir,
    ],
    env: {
      ...process.env,
      AIRSPRAY_DEPLOY_KEY_PASSPHRASE: deployCliPassphrase,
      NODE_PATH: join(repoRoot, 'node_modules'),
    },
  };
}

/** Runs `airspray deploy ARGS`; the exit code comes back instead of a throw. */
export function runDeployCli(
  project: DeployCliProject,
  args: string[],
  env: NodeJS.ProcessEnv = project.env,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(process.execPath, [project.cli, 'deploy', ...args], { env, maxBuffer: 16 * 1024 * 1024 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  );
}
