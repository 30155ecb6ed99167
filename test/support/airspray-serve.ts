import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApiClient, type ApiClient } from './api-client';
import { writeBundleFolder } from './bundle-fixtures';

export const repoRoot = join(import.meta.dirname, '..', '..');

export interface ServeProcess {
  url: string;
  origin: string;
  token: string;
  stop(): Promise<void>;
  /** Kills the server with SIGKILL, as a crash or a closed laptop lid would end it. */
  crash(): Promise<void>;
  /** Everything the server printed so far, stdout and stderr: its log. */
  output(): string;
}

/** Starts the built `airspray serve` exactly as a user would (bin/airspray.cjs) and waits for its URL. */
export function startServe(args: string[]): Promise<ServeProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [join(repoRoot, 'bin', 'airspray.cjs'), 'serve', '--port', '0', ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const stopWith = (signal: NodeJS.Signals) =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill(signal);
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`airspray serve printed no URL: ${output}`)), 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /serving on (http:\/\/127\.0\.0\.1:\d+\/\?token=(\S+))/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      const url = match[1]!;
      resolve({
        url,
        origin: new URL(url).origin,
        token: match[2]!,
        stop: () => stopWith('SIGTERM'),
        crash: () => stopWith('SIGKILL'),
        output: () => output,
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`airspray serve exited with ${code}: ${output}`)));
  });
}

export interface ServedApi {
  serve: ServeProcess;
  api: ApiClient;
  /** Closes the API client, then stops the server. */
  close(): Promise<void>;
}

/** `airspray serve` with `args`, and the test's own API client on it. */
export async function serveWithApi(args: string[]): Promise<ServedApi> {
  const serve = await startServe(args);
  const api = await openApiClient(Number(new URL(serve.url).port), serve.token);
  return {
    serve,
    api,
    close: () => {
      api.close();
      return serve.stop();
    },
  };
}

/**
 * `airspray serve` over a fresh data folder, with one kubespray 2.23.3 bundle (id ks-2.23.3-e2e, for
 * `kubernetesVersions`) in its bundles folder; `root` holds both folders and is the test's to use.
 */
export async function serveWithOneBundle(
  prefix: string,
  kubernetesVersions = ['1.27.10'],
): Promise<{ serve: ServeProcess; dataDir: string; root: string }> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  const dataDir = join(root, 'data');
  const bundles = join(root, 'bundles');
  await writeBundleFolder(bundles, 'kubespray-2.23.3', {
    bundleId: 'ks-2.23.3-e2e',
    kubesprayVersion: '2.23.3',
    kubernetesVersions,
  });
  return { serve: await startServe(['--data-dir', dataDir, '--bundles-dir', bundles]), dataDir, root };
}
