import { cp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BundleFileEntry, BundleImageEntry } from '../../electron/common/bundle-manifest';
import { noRoles } from '../../electron/common/cluster-plan';
import { pullImage, RegistryStorage } from '../../electron/node/bundles/build/oci-pull';
import { collectFileEntries } from '../../electron/node/bundles/write-manifest';
import { pushTestImage, startDockerRegistry } from './bundle-lab';
import { signTestBundle } from './bundle-fixtures';
import { chosenBundle, trustAndVerifyBundle, writeProject } from './bundle-project';

/**
 * A bundle's images/ as the builder makes them, pulled from a loopback source registry: calico/node keeps amd64 of a
 * two-platform index, nginx has a 3 MiB layer, and kube-apiserver is there a second time as mirror/kube-apiserver
 * (its blobs are mounted on a push).
 */
export async function writeImageBundle(
  workDir: string,
): Promise<{ bundleDir: string; files: BundleFileEntry[]; images: BundleImageEntry[] }> {
  const bundleDir = join(workDir, 'bundle');
  const source = await startDockerRegistry(join(workDir, 'source'), {
    readOnly: false,
    configDir: join(workDir, 'source-config'),
  });
  const storage = new RegistryStorage(join(bundleDir, 'images'));
  const images: BundleImageEntry[] = [];
  try {
    await pushTestImage(source.url, 'calico/node', 'v3.25.2', ['amd64', 'arm64'], 'oci', 8 * 1024);
    await pushTestImage(source.url, 'library/nginx', '1.25.2-alpine', ['amd64'], 'docker', 3 * 1024 * 1024);
    await pushTestImage(source.url, 'kube-apiserver', 'v1.27.10', ['amd64'], 'oci', 4096);
    for (const [host, repository, tag] of [
      ['quay.io', 'calico/node', 'v3.25.2'],
      ['docker.io', 'library/nginx', '1.25.2-alpine'],
      ['registry.k8s.io', 'kube-apiserver', 'v1.27.10'],
    ] as const) {
      images.push(
        await pullImage({
          image: { reference: `${host}/${repository}:${tag}`, registry: host, repository, tag },
          baseUrl: source.url,
          storage,
          architectures: ['amd64'],
        }),
      );
    }
  } finally {
    await source.stop();
  }
  const apiserver = images[2]!;
  await storage.linkManifest('mirror/kube-apiserver', apiserver.digest);
  await storage.tag('mirror/kube-apiserver', apiserver.tag, apiserver.digest);
  images.push({
    ...apiserver,
    reference: `example.org/mirror/kube-apiserver:${apiserver.tag}`,
    repository: 'mirror/kube-apiserver',
  });
  return { bundleDir, files: await collectFileEntries(bundleDir, new Map()), images };
}

export interface HarborPlan {
  address: string;
  project: string;
  caCertificate: string;
  username: string;
}

/**
 * A project in `dataDir` whose plan pushes into `harbor`: the image bundle copied into `bundlesDir`, signed by a
 * publisher the data folder trusts and fully verified, as the Bundle step leaves it. Its one host is never contacted.
 */
export async function createHarborProject(options: {
  dataDir: string;
  bundlesDir: string;
  imageBundle: { bundleDir: string; images: BundleImageEntry[] };
  name: string;
  harbor: HarborPlan;
}): Promise<{ projectId: string }> {
  const { dataDir, bundlesDir, name, harbor } = options;
  const dir = join(bundlesDir, `${name}-bundle`);
  const bundleId = `${name}-images`;
  await mkdir(dataDir, { recursive: true });
  await cp(options.imageBundle.bundleDir, dir, { recursive: true });
  const publisher = await signTestBundle(dir, {
    bundleId,
    operatingSystems: [{ id: 'debian', version: '12' }],
    networkPlugins: ['calico'],
    images: options.imageBundle.images,
  });
  await trustAndVerifyBundle(dataDir, dir, publisher, 'Test publisher');
  const chosen = await chosenBundle(dir, bundleId);
  const projectId = await writeProject(dataDir, name, (cluster) => ({
    hosts: [
      { name: 'node1', address: '127.0.0.2', roles: { ...noRoles, controlPlane: true, etcd: true, worker: true } },
    ],
    deployNode: 'node1',
    settings: { ...cluster.settings, registry: { kind: 'harbor', ...harbor, filesPort: 8080 } },
    bundle: chosen,
  }));
  return { projectId };
}
