import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleManifest } from '../../../../electron/common/bundle-manifest';
import { downloadUrls } from '../../../support/bundle-fixtures';
import { buildBundleCli, bundleBuildArgs, type BundleCli } from '../../../support/bundle-cli';
import * as bundleLab from '../../../support/bundle-lab';
import { writeRelease } from '../../../support/kubespray-release';

let airspray: BundleCli;
let work: string;
let registry: bundleLab.RunningRegistry;
let files: bundleLab.TestFileServer;

/**
 * What the test release's defaults render to for Kubernetes 1.27.10 on amd64 (see test/support/kubespray-release.ts).
 */
const expectedFiles = [
  'https://dl.k8s.io/release/v1.27.10/bin/linux/amd64/kubelet',
  'https://github.com/etcd-io/etcd/releases/download/v3.5.10/etcd-v3.5.10-linux-amd64.tar.gz',
  'https://github.com/containernetworking/plugins/releases/download/v1.3.0/cni-plugins-linux-amd64-v1.3.0.tgz',
  'https://storage.googleapis.com/gvisor/releases/release/20230807/x86_64/runsc',
  'https://github.com/containers/youki/releases/download/v0.1.0/youki_0_1_0_linux.tar.gz',
];
const expectedImages = [
  ['quay.io', 'coreos/etcd', 'v3.5.10'],
  ['registry.k8s.io', 'pause', '3.10'],
  ['registry.k8s.io', 'coredns/coredns', 'v1.10.1'],
  ...['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kube-proxy'].map((name) => [
    'registry.k8s.io',
    name,
    'v1.27.10',
  ]),
] as const;
const contents = new Map(expectedFiles.map((url) => [url, randomBytes(2000 + url.length)]));
const pushed = new Map<string, string>();

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'airspray-derived-build-'));
  airspray = await buildBundleCli(work);
  // The internet as the build machine sees it: a loopback file server and Debian's docker-registry.
  const web = join(work, 'web');
  for (const [url, content] of contents) {
    const path = join(web, new URL(url).host, new URL(url).pathname);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
  files = await bundleLab.startTestFileServer(web);
  registry = await bundleLab.startDockerRegistry(join(work, 'registry'), {
    readOnly: false,
    configDir: join(work, 'config'),
  });
  for (const [, repository, tag] of expectedImages)
    pushed.set(`${repository}:${tag}`, await bundleLab.pushTestImage(registry.url, repository, tag, ['amd64']));
}, 120_000);

afterAll(async () => {
  await registry?.stop();
  await files?.close();
});

describe('airspray bundle build with the lists derived from a kubespray release tarball', () => {
  it(
    'renders the lists with ansible-playbook, downloads and pulls exactly them, and signs a bundle that verifies',
    { timeout: 120_000 },
    async () => {
      const kubeletUrl = expectedFiles[0]!;
      const kubelet = createHash('sha256').update(contents.get(kubeletUrl)!).digest('hex');
      const release = await writeRelease(join(work, 'release'), {
        // The release's published checksum for kubelet: the build checks the download against it.
        'roles/download/defaults/main/checksums.yml': `kubelet_checksums:\n  amd64:\n    v1.27.10: ${kubelet}\n`,
      });
      const tarball = join(work, 'kubespray-2.23.3.tar.gz');
      await new Promise<void>((resolve, reject) =>
        execFile('tar', ['-czf', tarball, '-C', dirname(release), 'kubespray-2.23.3'], (error) =>
          error ? reject(error) : resolve(),
        ),
      );
      const key = join(work, 'builder.pem');
      expect((await airspray('bundle', 'keygen', '--out', key)).code).toBe(0);
      const out = join(work, 'bundle');
      const mirrors = ['dl.k8s.io', 'github.com', 'storage.googleapis.com'].flatMap((host) => [
        '--mirror',
        `${host}=${files.url}/${host}`,
      ]);
      const built = await airspray(
        ...bundleBuildArgs(
          out,
          tarball,
          '--no-os-packages',
          ...mirrors,
          '--mirror',
          `quay.io=${registry.url}`,
          '--mirror',
          `registry.k8s.io=${registry.url}`,
          '--key',
          key,
        ),
      );
      expect(built.stderr).toBe('');
      expect(built.code).toBe(0);
      expect(built.stdout).toContain('Derived from the release: 5 files, 7 images.');

      const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as BundleManifest;
      expect(downloadUrls(manifest)).toEqual([...expectedFiles].sort());
      for (const [url, content] of contents) {
        const entry = manifest.files.find((file) => file.url === url)!;
        expect(await readFile(join(out, entry.path))).toEqual(content);
      }
      expect(manifest.files.find((file) => file.url === kubeletUrl)?.sha256).toBe(kubelet);
      expect(manifest.images.map((image) => `${image.reference}@${image.digest}`).sort()).toEqual(
        expectedImages
          .map(([host, repository, tag]) => `${host}/${repository}:${tag}@${pushed.get(`${repository}:${tag}`)}`)
          .sort(),
      );
      // The release itself goes into kubespray/, from the unpacked tarball.
      expect(manifest.files.some((file) => file.path === 'kubespray/roles/download/defaults/main/main.yml')).toBe(true);
      const verified = await airspray('bundle', 'verify', out, '--trust', `${key}.pub`, '--no-cache');
      expect(verified.stdout).toContain('Verified (full)');
    },
  );

  it('says what to give when neither a release nor both lists are given', async () => {
    const refused = await airspray(
      'bundle',
      'build',
      '--out',
      join(work, 'none'),
      '--files-list',
      join(work, 'files.list'),
      '--kubespray-version',
      '2.23.3',
      '--kubernetes-version',
      '1.27.10',
      '--key',
      join(work, 'builder.pem'),
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'Give --kubespray (the lists are derived from the release) or both --files-list and --images-list.',
    );
  });
});
