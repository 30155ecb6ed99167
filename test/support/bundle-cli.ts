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

/** Bundles `airspray bundle …` (test/support/bundle-cli-entry.ts) into `dir` with esbuild; returns a runner for it. */
export async function buildBundleCli(dir: string): Promise<BundleCli> {
  const cli = join(dir, 'airspray-bundle.cjs');
  await build({ entryPoints: [join(import.meta.dirname, 'bundle-cli-entry.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: cli, logLevel: 'error', plugins: [rawTextPlugin] });
  return (...args) =>
    new Promise((resolve) => {
      execFile(process.execPath, [cli, ...args], { env: { ...process.env, AIRSPRAY_KEY_PASSPHRASE: 'correct horse' }, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      });
    });
}
