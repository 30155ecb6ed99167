import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';

export const dockerRegistryBinary = '/usr/bin/docker-registry';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningRegistry {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * docker-registry's configuration: filesystem storage in `root`, listening on 127.0.0.1:`port` only, with optional auth
 * and tls sections.
 */
export function registryTestConfig(
  root: string,
  port: number,
  options: { readOnly: boolean; auth?: string[]; tls?: string[]; host?: string },
): string {
  return [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(root)}`,
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    '    readonly:',
    `      enabled: ${options.readOnly}`,
    ...(options.auth ?? []),
    'http:',
    `  addr: ${options.host ?? '127.0.0.1'}:${port}`,
    ...(options.tls ?? []),
    '',
  ].join('\n');
}

/** Debian's docker-registry (the Distribution registry) on 127.0.0.1 only, storing in `root`. */
export async function startDockerRegistry(
  root: string,
  options: { readOnly: boolean; configDir: string },
): Promise<RunningRegistry> {
  const port = await freePort();
  const config = registryTestConfig(root, port, { readOnly: options.readOnly });
  await mkdir(options.configDir, { recursive: true });
  const configPath = join(options.configDir, `registry-${port}.yml`);
  await writeFile(configPath, config);
  const child: ChildProcess = spawn(dockerRegistryBinary, ['serve', configPath], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited: ${output}`);
    const ready = await fetch(`${url}/v2/`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return { url, port, stop };
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await stop();
  throw new Error(`docker-registry did not answer on ${url}: ${output}`);
}

const digestOf = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

async function pushBlob(registry: string, repository: string, bytes: Buffer): Promise<string> {
  const digest = digestOf(bytes);
  const start = await fetch(`${registry}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
  if (start.status !== 202) throw new Error(`upload start answered ${start.status}`);
  const location = new URL(start.headers.get('location')!, registry);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, {
    method: 'PUT',
    body: new Uint8Array(bytes),
    headers: { 'content-type': 'application/octet-stream' },
  });
  if (put.status !== 201) throw new Error(`blob upload answered ${put.status}: ${await put.text()}`);
  return digest;
}

async function pushManifest(
  registry: string,
  repository: string,
  reference: string,
  mediaType: string,
  bytes: Buffer,
): Promise<string> {
  const put = await fetch(`${registry}/v2/${repository}/manifests/${reference}`, {
    method: 'PUT',
    body: new Uint8Array(bytes),
    headers: { 'content-type': mediaType },
  });
  if (put.status !== 201) throw new Error(`manifest push answered ${put.status}: ${await put.text()}`);
  return digestOf(bytes);
}

/** Pushes a single-platform image made here: a config and two small gzip layers. */
async function pushSinglePlatform(
  registry: string,
  repository: string,
  architecture: string,
  mediaType: 'oci' | 'docker',
  layerBytes: number,
): Promise<{ digest: string; bytes: Buffer; size: number }> {
  // Random bytes do not compress: the layer is as big as asked.
  const layers = [
    gzipSync(randomBytes(layerBytes), { level: 1 }),
    gzipSync(Buffer.from(`layer of ${repository} ${architecture}\n`)),
  ];
  const config = Buffer.from(
    JSON.stringify({ architecture, os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, config: {} }),
  );
  const configDigest = await pushBlob(registry, repository, config);
  const layerDescriptors = [];
  for (const layer of layers) {
    layerDescriptors.push({
      mediaType:
        mediaType === 'oci'
          ? 'application/vnd.oci.image.layer.v1.tar+gzip'
          : 'application/vnd.docker.image.rootfs.diff.tar.gzip',
      digest: await pushBlob(registry, repository, layer),
      size: layer.length,
    });
  }
  const manifestType =
    mediaType === 'oci'
      ? 'application/vnd.oci.image.manifest.v1+json'
      : 'application/vnd.docker.distribution.manifest.v2+json';
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: manifestType,
      config: {
        mediaType:
          mediaType === 'oci'
            ? 'application/vnd.oci.image.config.v1+json'
            : 'application/vnd.docker.container.image.v1+json',
        digest: configDigest,
        size: config.length,
      },
      layers: layerDescriptors,
    }),
  );
  const digest = await pushManifest(registry, repository, digestOf(manifest), manifestType, manifest);
  return { digest, bytes: manifest, size: manifest.length };
}

/** Pushes an image made by the test; with several architectures it is an OCI index (multi-platform). */
export async function pushTestImage(
  registry: string,
  repository: string,
  tag: string,
  architectures: readonly string[],
  mediaType: 'oci' | 'docker' = 'oci',
  layerBytes = 2048,
): Promise<string> {
  if (architectures.length === 1) {
    const single = await pushSinglePlatform(registry, repository, architectures[0]!, mediaType, layerBytes);
    const manifestType =
      mediaType === 'oci'
        ? 'application/vnd.oci.image.manifest.v1+json'
        : 'application/vnd.docker.distribution.manifest.v2+json';
    return pushManifest(registry, repository, tag, manifestType, single.bytes);
  }
  const children = [];
  for (const architecture of architectures) {
    const child = await pushSinglePlatform(registry, repository, architecture, 'oci', layerBytes);
    children.push({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: child.digest,
      size: child.size,
      platform: { os: 'linux', architecture },
    });
  }
  const indexType = 'application/vnd.oci.image.index.v1+json';
  const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: indexType, manifests: children }));
  return pushManifest(registry, repository, tag, indexType, index);
}

export interface TestFileServer {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

/**
 * The build machine's view of the internet: serves `root` on 127.0.0.1 with Range support. The paths in
 * `dropOnce` lose their connection halfway through the first request, so the downloader must resume.
 */
export async function startTestFileServer(
  root: string,
  dropOnce: ReadonlySet<string> = new Set(),
): Promise<TestFileServer> {
  const requests: string[] = [];
  const dropped = new Set<string>();
  const server: Server = createServer((request, response) => {
    void (async () => {
      const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
      requests.push(`${request.headers.range ?? 'full'} ${path}`);
      const file = join(root, normalize(path));
      const info = await stat(file).catch(() => undefined);
      if (!file.startsWith(root) || !info?.isFile()) {
        response.writeHead(404).end();
        return;
      }
      const range = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
      const start = range ? Number(range[1]) : 0;
      if (start >= info.size && info.size > 0) {
        response.writeHead(416).end();
        return;
      }
      response.writeHead(range ? 206 : 200, {
        'content-length': info.size - start,
        ...(range ? { 'content-range': `bytes ${start}-${info.size - 1}/${info.size}` } : {}),
      });
      if (dropOnce.has(path) && !dropped.has(path)) {
        dropped.add(path);
        // The connection drops once the client has had time to take the half in: a drop before it read any byte
        // would leave nothing to resume from (fetch discards what it had not handed on).
        createReadStream(file, { start, end: start + Math.floor((info.size - start) / 2) - 1 })
          .on('end', () => setTimeout(() => response.destroy(), 500))
          .pipe(response, { end: false });
        return;
      }
      createReadStream(file, { start }).pipe(response);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
