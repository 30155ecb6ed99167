import { randomBytes } from 'node:crypto';
import { copyFile, cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BundleManifest } from '../../electron/common/bundle-manifest';
import { generateSigningKey } from '../../electron/node/bundles/bundle-signing';
import { collectFileEntries, writeSignedManifest } from '../../electron/node/bundles/write-manifest';
import { testManifest } from './bundle-fixtures';
import { dockerRegistryBinary, pushTestImage, startDockerRegistry } from './bundle-lab';

export interface DeployBundleShape {
  largeFiles: number;
  largeBytes: number;
  smallFiles: number;
  smallBytes: number;
  /** Adds tools/docker-registry (the laptop's static Debian binary) and one image in images/. */
  withServices?: boolean;
  /** A folder copied in as kubespray/ (the kubespray-shaped fixture playbooks), so runs use the pushed copy. */
  kubesprayFrom?: string;
  /** The Kubernetes version the manifest names (testManifest's 1.27.10 without one). */
  kubernetesVersion?: string;
}

export const kubeadmUrlPath = 'dl.k8s.io/release/v1.27.10/bin/linux/amd64/kubeadm';
export const testImage = { repository: 'calico/node', tag: 'v3.25.2' };

/** A real signed bundle: large random files, many small ones, and optionally the registry binary and an image. */
export async function writeDeployBundle(
  dir: string,
  shape: DeployBundleShape,
): Promise<{
  dir: string;
  manifest: BundleManifest;
  imageDigest?: string;
  publisher: ReturnType<typeof generateSigningKey>;
}> {
  await mkdir(join(dir, 'files/dl.k8s.io/release/v1.27.10/bin/linux/amd64'), { recursive: true });
  await mkdir(join(dir, 'kubespray/roles'), { recursive: true });
  await mkdir(join(dir, 'repos/debian-12/pool'), { recursive: true });
  for (let index = 0; index < shape.largeFiles; index += 1) {
    const name = index === 0 ? kubeadmUrlPath : `dl.k8s.io/release/v1.27.10/bin/linux/amd64/large-${index}`;
    await writeFile(join(dir, 'files', name), randomBytes(shape.largeBytes));
  }
  for (let index = 0; index < shape.smallFiles; index += 1) {
    const folder = join(dir, 'kubespray/roles', `role-${Math.floor(index / 100)}`);
    if (index % 100 === 0) await mkdir(folder, { recursive: true });
    await writeFile(join(folder, `task-${index}.yml`), randomBytes(shape.smallBytes));
  }
  if (shape.kubesprayFrom) await cp(shape.kubesprayFrom, join(dir, 'kubespray'), { recursive: true });
  await writeFile(join(dir, 'repos/debian-12/pool/hello_1.0_amd64.deb'), 'not really a deb\n');
  let imageDigest: string | undefined;
  if (shape.withServices) {
    await mkdir(join(dir, 'tools'), { recursive: true });
    await copyFile(dockerRegistryBinary, join(dir, 'tools/docker-registry'));
    const registry = await startDockerRegistry(join(dir, 'images'), {
      readOnly: false,
      configDir: join(dir, '..', `registry-config-${Date.now()}`),
    });
    try {
      imageDigest = await pushTestImage(registry.url, testImage.repository, testImage.tag, ['amd64']);
    } finally {
      await registry.stop();
    }
  }
  const files = await collectFileEntries(
    dir,
    new Map([
      [`files/${kubeadmUrlPath}`, { url: `https://${kubeadmUrlPath}`, kubesprayVariable: 'kubeadm_download_url' }],
    ]),
  );
  const manifest = await testManifest(dir, {
    bundleId: `lab-${randomBytes(4).toString('hex')}`,
    ...(shape.kubernetesVersion ? { kubernetesVersions: [shape.kubernetesVersion] } : {}),
    operatingSystems: [{ id: 'debian', version: '12' }],
    networkPlugins: ['calico'],
    files,
    images: imageDigest
      ? [
          {
            reference: `quay.io/${testImage.repository}:${testImage.tag}`,
            repository: testImage.repository,
            tag: testImage.tag,
            digest: imageDigest,
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            platforms: ['linux/amd64'],
          },
        ]
      : [],
  });
  const publisher = generateSigningKey();
  await writeSignedManifest(dir, manifest, publisher.privateKeyPem);
  return {
    dir,
    publisher,
    manifest: JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as BundleManifest,
    ...(imageDigest ? { imageDigest } : {}),
  };
}
