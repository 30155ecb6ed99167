import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, bench, describe } from 'vitest';
import { buildBundle } from '../../electron/node/bundles/build/build-bundle';
import { parseImageReference } from '../../electron/node/bundles/build/kubespray-lists';
import { generateSigningKey } from '../../electron/node/bundles/bundle-signing';
import { pushTestImage, startDockerRegistry } from '../support/bundle-lab';

// Time until every bundle image is pullable from the deploy node's registry: Airspray starts docker-registry
// read-only on the bundle's images/ (nothing loaded, nothing pushed). The peer is the usual air-gap recipe:
// an empty registry and `skopeo copy` of the same images into it. Goal: at least 10x faster.
const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'airspray-bench-registry-'));
const configDir = join(work, 'config');
const repositories = [
  'calico/node',
  'calico/cni',
  'calico/kube-controllers',
  'coreos/etcd',
  'flannel/flannel',
  'cilium/cilium',
];
const layerBytes = 8 * 1024 * 1024;

const source = await startDockerRegistry(join(work, 'source'), { readOnly: false, configDir });
for (const repository of repositories) await pushTestImage(source.url, repository, 'v1', ['amd64'], 'oci', layerBytes);
const bundleDir = join(work, 'bundle');
const key = generateSigningKey();
const { manifest } = await buildBundle({
  outDir: bundleDir,
  bundleId: 'bench-registry',
  kubespray: { version: '2.23.3' },
  kubernetesVersions: ['1.27.10'],
  architectures: ['amd64'],
  operatingSystems: [],
  files: [],
  images: repositories.map((repository) => parseImageReference(`quay.io/${repository}:v1`)),
  mirrors: new Map([['quay.io', source.url]]),
  privateKeyPem: key.privateKeyPem,
});
await source.stop();
// The skopeo peer copies from the bundle as served, so both sides read the same bytes.
const bundleSource = await startDockerRegistry(join(bundleDir, 'images'), { readOnly: true, configDir });
console.log(
  `registry bench: ${manifest.images.length} images, ${(manifest.files.reduce((sum, file) => sum + file.size, 0) / 1e6).toFixed(0)} MB`,
);

afterAll(() => bundleSource.stop());

async function allPullable(url: string): Promise<void> {
  for (const image of manifest.images) {
    const response = await fetch(`${url}/v2/${image.repository}/manifests/${image.tag}`, {
      method: 'HEAD',
      headers: { accept: image.mediaType },
    });
    if (response.headers.get('docker-content-digest') !== image.digest)
      throw new Error(`${image.reference} is not pullable from ${url}`);
  }
}

describe('bundle images pullable on the deploy node', () => {
  bench(
    'airspray: docker-registry read-only on the bundle images/',
    async () => {
      const registry = await startDockerRegistry(join(bundleDir, 'images'), { readOnly: true, configDir });
      await allPullable(registry.url);
      await registry.stop();
    },
    { iterations: 5, time: 0, warmupIterations: 1, warmupTime: 0 },
  );

  bench(
    'peer: empty docker-registry + skopeo copy of every image',
    async () => {
      const registry = await startDockerRegistry(mkdtempSync(join(work, 'empty-')), { readOnly: false, configDir });
      for (const image of manifest.images) {
        await run('skopeo', [
          'copy',
          '--quiet',
          '--src-tls-verify=false',
          '--dest-tls-verify=false',
          `docker://127.0.0.1:${bundleSource.port}/${image.repository}:${image.tag}`,
          `docker://127.0.0.1:${registry.port}/${image.repository}:${image.tag}`,
        ]);
      }
      await allPullable(registry.url);
      await registry.stop();
    },
    { iterations: 5, time: 0, warmupIterations: 1, warmupTime: 0 },
  );
});
