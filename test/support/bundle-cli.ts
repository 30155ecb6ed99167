import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { build } from 'esbuild';
import { rawTextPlugin } from '../../build/raw-text-plugin.mjs';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export type BundleCli = (...args: string[]) => Promise<CliResult>;

/**
 * The words of `airspray bundle build` into `out` from the kubespray release `kubespray` (a tarball or a folder) for
 * kubespray 2.23.3, Kubernetes 1.27.10 and debian-12, then `more` (lists, mirrors, key, OS-package options).
 */
export function bundleBuildArgs(out: string, kubespray: string, ...more: string[]): string[] {
  return [
    'bundle',
    'build',
    '--out',
    out,
    '--kubespray',
    kubespray,
    '--kubespray-version',
    '2.23.3',
    '--kubernetes-version',
    '1.27.10',
    '--os',
    'debian-12',
    ...more,
  ];
}

/** Bundles `airspray bundle …` (test/support/bundle-cli-entry.ts) into `dir` with esbuild; returns a runner for it. */
export function buildBundleCli(dir: string): Promise<BundleCli> {
  return buildCli(join(import.meta.dirname, 'bundle-cli-entry.ts'), join(dir, 'airspray-bundle.cjs'));
}

/**
 * The whole `airspray` command line from the sources (electron/node/cli/main.ts), so a test never runs a stale dist/.
 */
export function buildAirsprayCli(dir: string): Promise<BundleCli> {
  return buildCli(
    join(import.meta.dirname, '..', '..', 'electron', 'node', 'cli', 'main.ts'),
    join(dir, 'airspray.cjs'),
  );
}

/** `airspray deploy …` (test/support/deploy-cli-entry.ts) bundled into `dir`; returns a runner for it. */
export function buildDeployCli(dir: string): Promise<BundleCli> {
  return buildCli(deployCliEntry, join(dir, 'airspray-deploy.cjs'));
}

export const deployCliEntry = join(import.meta.dirname, 'deploy-cli-entry.ts');

/** Bundles the command line at `entry` into the one file `cli` with esbuild, as the build does. */
export async function bundleCliFile(entry: string, cli: string): Promise<void> {
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: cli,
    logLevel: 'error',
    external: ['cpu-features', 'bufferutil', 'utf-8-validate', '*.node'],
    plugins: [rawTextPlugin],
  });
}

async function buildCli(entry: string, cli: string): Promise<BundleCli> {
  await bundleCliFile(entry, cli);
  return (...args) =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        [cli, ...args],
        { env: { ...process.env, AIRSPRAY_KEY_PASSPHRASE: 'correct horse' }, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => {
          resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
        },
      );
    });
}
