import { createHash, randomBytes } from 'node:crypto';
import { appendFile, cp, mkdir, mkdtemp, rename, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeFiles, completeManifest, type BundleManifest } from '../../../../electron/common/bundle-manifest';
import { openBundleFile } from '../../../../electron/node/bundles/bundle-parts';
import { readBundleTree } from '../../../../electron/node/bundles/bundle-tree';
import { buildBundle, copyFolderStep } from '../../../../electron/node/bundles/build/build-bundle';
import { parseImagesList } from '../../../../electron/node/bundles/build/kubespray-lists';
import { readDeltaBase } from '../../../../electron/node/bundles/delta-base';
import { VerificationCache } from '../../../../electron/node/bundles/verification-cache';
import { isBundleVerified, verifyBundle } from '../../../../electron/node/bundles/verify-bundle';
import { pushItemsOf, type PushItem } from '../../../../electron/node/deploy/bundle-source';
import { trustedTestKey } from '../../../support/bundle-fixtures';
import { pushTestImage, startDockerRegistry, startTestFileServer } from '../../../support/bundle-lab';
import type { RunningRegistry, TestFileServer } from '../../../support/bundle-lab';

const { publisher, trusted } = trustedTestKey('Delta test');
const baseId = 'ks-2.23.2-k8s-1.27.7-amd64';
const newId = 'ks-2.23.3-k8s-1.27.10-amd64';

let work: string;
let registry: RunningRegistry;
let fileServer: TestFileServer;
let baseDir: string;
let deltaDir: string;
let fullDir: string;
let base: BundleManifest;
let delta: BundleManifest;
let full: BundleManifest;

// Two releases: the new one keeps kubeadm (stored split in parts), calico/node and one wheel, and changes or adds
// the rest, as between two kubespray releases.
const download = (name: string) => new URL(`https://dl.k8s.io/release/v1.27.10/bin/linux/amd64/${name}`);
const releases = {
  old: { files: ['kubeadm', 'kubelet'], images: ['quay.io/calico/node:v3.25.2', 'quay.io/coreos/etcd:v3.5.9'] },
  new: { files: ['kubeadm', 'kubectl'], images: ['quay.io/calico/node:v3.25.2', 'quay.io/coreos/etcd:v3.5.10'] },
};

async function writeRelease(dir: string, version: string, wheels: Record<string, string>): Promise<string> {
  await mkdir(join(dir, 'kubespray', 'plugins', 'modules'), { recursive: true });
  await mkdir(join(dir, 'kubespray', 'library'), { recursive: true });
  await writeFile(join(dir, 'kubespray', 'cluster.yml'), '- import_playbook: playbooks/cluster.yml\n');
  await writeFile(join(dir, 'kubespray', 'plugins', 'modules', 'kube.py'), `# kubespray ${version}\n`);
  await symlink('../plugins/modules/kube.py', join(dir, 'kubespray', 'library', 'kube.py'));
  await mkdir(join(dir, 'python'), { recursive: true });
  for (const [name, text] of Object.entries(wheels)) await writeFile(join(dir, 'python', name), text);
  return dir;
}

async function build(outDir: string, id: string, release: keyof typeof releases, source: string, baseOf?: string) {
  return buildBundle({
    outDir,
    bundleId: id,
    kubespray: { version: release === 'old' ? '2.23.2' : '2.23.3' },
    kubernetesVersions: ['1.27.10'],
    architectures: ['amd64'],
    operatingSystems: [],
    files: releases[release].files.map(download),
    images: parseImagesList(releases[release].images.join('\n')),
    mirrors: new Map([
      ['dl.k8s.io', `${fileServer.url}/dl.k8s.io`],
      ['quay.io', registry.url],
    ]),
    steps: [
      copyFolderStep('kubespray', join(source, 'kubespray'), 'kubespray'),
      copyFolderStep('python wheels', join(source, 'python'), 'python'),
    ],
    ...(baseOf ? { base: await readDeltaBase(baseOf, outDir) } : {}),
    privateKeyPem: publisher.privateKeyPem,
    partBytes: 150_000,
  });
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'airspray-delta-'));
  const webRoot = join(work, 'web', 'dl.k8s.io', 'release', 'v1.27.10', 'bin', 'linux', 'amd64');
  await mkdir(webRoot, { recursive: true });
  for (const name of ['kubeadm', 'kubelet', 'kubectl']) await writeFile(join(webRoot, name), randomBytes(200_000));
  fileServer = await startTestFileServer(join(work, 'web'));
  registry = await startDockerRegistry(join(work, 'registry'), { readOnly: false, configDir: join(work, 'config') });
  await pushTestImage(registry.url, 'calico/node', 'v3.25.2', ['amd64', 'arm64']);
  await pushTestImage(registry.url, 'coreos/etcd', 'v3.5.9', ['amd64']);
  await pushTestImage(registry.url, 'coreos/etcd', 'v3.5.10', ['amd64']);

  const shared = { 'pyyaml-6.0.whl': 'pyyaml 6.0' };
  const oldRelease = await writeRelease(join(work, 'old'), '2.23.2', { ...shared, 'ansible-7.whl': 'ansible 7' });
  const newRelease = await writeRelease(join(work, 'new'), '2.23.3', { ...shared, 'ansible-8.whl': 'ansible 8' });
  baseDir = join(work, 'stick', 'bundles', baseId);
  deltaDir = join(work, 'stick', 'bundles', newId);
  fullDir = join(work, 'full', newId);
  ({ manifest: base } = await build(baseDir, baseId, 'old', oldRelease));
  // The base by its id: it lies beside the folder the delta is built in.
  ({ manifest: delta } = await build(deltaDir, newId, 'new', newRelease, baseId));
  ({ manifest: full } = await build(fullDir, newId, 'new', newRelease));
}, 120_000);

afterAll(async () => {
  await registry?.stop();
  await fileServer?.close();
});

const byPath = (files: readonly { path: string; size: number; sha256: string }[]) =>
  Object.fromEntries(files.map((file) => [file.path, `${file.size} ${file.sha256}`]));

/** Each pushed file as its path and the sha256 of the bytes the push reads for it (manifest and signature left out). */
async function pushedContent(bundleDir: string, manifest: BundleManifest): Promise<Record<string, string>> {
  const items = (await pushItemsOf(bundleDir, manifest)).filter((item) => !item.path.startsWith('manifest.json'));
  const read = async (item: PushItem) => {
    const hash = createHash('sha256');
    for await (const chunk of openBundleFile(bundleDir, item.entry)) hash.update(chunk as Buffer);
    return [item.path, `${item.sha256} ${hash.digest('hex')}`] as const;
  };
  return Object.fromEntries(await Promise.all(items.map(read)));
}

describe('delta bundles', () => {
  it('hold only what the base lacks byte-identical, the kubespray release whole, and list what they reuse', async () => {
    const inBase = byPath(base.files);
    const same = (file: BundleManifest['files'][number]) => inBase[file.path] === `${file.size} ${file.sha256}`;
    const reusable = full.files.filter((file) => file.kind !== 'kubespray' && same(file));
    expect(reusable.map((file) => file.path)).toEqual(
      expect.arrayContaining(['files/dl.k8s.io/release/v1.27.10/bin/linux/amd64/kubeadm', 'python/pyyaml-6.0.whl']),
    );
    expect(reusable.some((file) => file.path.startsWith('images/docker/registry/v2/blobs/'))).toBe(true);

    expect(delta.formatVersion).toBe(3);
    expect(delta.base?.bundleId).toBe(baseId);
    expect(delta.base?.manifestSha256).toBe((await readDeltaBase(baseDir, deltaDir)).manifestSha256);
    expect(byPath(delta.files)).toEqual(byPath(full.files.filter((file) => !reusable.includes(file))));
    expect(byPath(delta.base!.files)).toEqual(byPath(reusable));
    // On disk: exactly its own files (the reused kubeadm's parts are not there either).
    expect([...(await readBundleTree(deltaDir)).keys()].sort()).toEqual(
      delta.files.flatMap((file) => file.parts?.map((part) => part.path) ?? [file.path]).sort(),
    );
    expect(delta.files.filter((file) => file.kind === 'kubespray')).toHaveLength(
      full.files.filter((file) => file.kind === 'kubespray').length,
    );
  });

  it('with its base give the files, images and links of a full build of the new release', () => {
    expect(byPath(completeFiles(delta))).toEqual(byPath(full.files));
    expect(delta.images).toEqual(full.images);
    expect(delta.links).toEqual(full.links);
  });

  it('verify with their base beside them, and deploy asks the pair', async () => {
    const cache = new VerificationCache(join(work, 'data'));
    const result = await verifyBundle(deltaDir, { mode: 'full', trustedKeys: trusted, cache });
    expect(result.refusals).toEqual([]);
    expect(result.outcome).toBe('verified');
    expect(await isBundleVerified(deltaDir, trusted, cache)).toBe(true);

    // The base taken away after the pair verified: the stored result no longer makes the delta deployable.
    const away = join(work, 'away');
    await mkdir(away);
    await rename(baseDir, join(away, baseId));
    try {
      expect(await isBundleVerified(deltaDir, trusted, cache)).toBe(false);
    } finally {
      await rename(join(away, baseId), baseDir);
    }
  });

  it('are refused without their base, naming the base and the fix', async () => {
    const alone = join(work, 'alone', newId);
    await cp(deltaDir, alone, { recursive: true });
    const result = await verifyBundle(alone, { mode: 'quick', trustedKeys: trusted });
    expect(result.outcome).toBe('refused');
    expect(result.refusals).toEqual([
      {
        path: baseId,
        reason: 'base',
        detail: expect.any(String),
        i18n: {
          id: 'bundle.base-not-beside',
          params: { base: baseId, parent: join(work, 'alone'), sha256: delta.base!.manifestSha256 },
        },
      },
    ]);
  });

  it('are refused beside another build of the base (its manifest changed)', async () => {
    const other = join(work, 'other');
    await cp(join(work, 'stick', 'bundles'), other, { recursive: true });
    await appendFile(join(other, baseId, 'manifest.json'), ' ');
    const result = await verifyBundle(join(other, newId), { mode: 'quick', trustedKeys: trusted });
    expect(result.outcome).toBe('refused');
    expect(result.refusals[0]).toMatchObject({ path: baseId, reason: 'base' });
    expect(result.refusals[0]!.i18n).toMatchObject({ id: 'bundle.base-other-manifest', params: { base: baseId } });
  });

  it('are refused when a file of their base is damaged', async () => {
    const damaged = join(work, 'damaged');
    await cp(join(work, 'stick', 'bundles'), damaged, { recursive: true });
    const wheel = join(damaged, baseId, 'python', 'pyyaml-6.0.whl');
    await writeFile(wheel, 'pyyaml 6.1'); // same size, other bytes
    const result = await verifyBundle(join(damaged, newId), { mode: 'full', trustedKeys: trusted });
    expect(result.outcome).toBe('refused');
    expect(result.refusals[0]).toMatchObject({ path: baseId, reason: 'base' });
    expect(result.refusals[0]!.detail).toContain('python/pyyaml-6.0.whl');
  });

  it('push the union: every file of the full build, reused ones read from the base', async () => {
    const fromDelta = await pushedContent(deltaDir, completeManifest(delta));
    expect(fromDelta).toEqual(await pushedContent(fullDir, full));
    for (const [path, hashes] of Object.entries(fromDelta)) {
      const [listed, read] = hashes.split(' ');
      expect(read, path).toBe(listed);
    }
  });

  it('are built on a full bundle only, named by a folder or an id beside the output', async () => {
    await expect(readDeltaBase(deltaDir, join(work, 'next'))).rejects.toMatchObject({
      field: 'base',
      i18n: { id: 'bundleBuild.base-is-delta', params: { base: baseId } },
    });
    await expect(readDeltaBase('ks-none', join(work, 'stick', 'bundles', 'next'))).rejects.toMatchObject({
      i18n: { id: 'bundleBuild.base-not-found', params: { base: 'ks-none', count: 0 } },
    });
  });
});
