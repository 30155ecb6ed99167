import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  deriveKubesprayLists,
  openKubesprayRelease,
} from '../../../../electron/node/bundles/build/derive-kubespray-lists';
import { parseFilesList, parseImagesList } from '../../../../electron/node/bundles/build/kubespray-lists';
import { releaseFiles, writeRelease } from '../../../support/kubespray-release';

const run = promisify(execFile);

describe('deriving files.list and images.list from a kubespray release with Debian ansible-playbook', () => {
  it('renders every download URL and image for the chosen version and architecture', async () => {
    const release = await writeRelease(await mkdtemp(join(tmpdir(), 'airspray-derive-')));
    const amd64 = await deriveKubesprayLists(release, [{ kubernetesVersion: '1.27.10', architecture: 'amd64' }]);
    expect(amd64.files).toEqual([
      'https://dl.k8s.io/release/v1.27.10/bin/linux/amd64/kubelet',
      'https://github.com/etcd-io/etcd/releases/download/v3.5.10/etcd-v3.5.10-linux-amd64.tar.gz',
      'https://github.com/containernetworking/plugins/releases/download/v1.3.0/cni-plugins-linux-amd64-v1.3.0.tgz',
      'https://storage.googleapis.com/gvisor/releases/release/20230807/x86_64/runsc',
      'https://github.com/containers/youki/releases/download/v0.1.0/youki_0_1_0_linux.tar.gz',
    ]);
    expect(amd64.images).toEqual([
      'quay.io/coreos/etcd:v3.5.10',
      'registry.k8s.io/pause:3.10',
      'registry.k8s.io/coredns/coredns:v1.10.1',
      'registry.k8s.io/kube-apiserver:v1.27.10',
      'registry.k8s.io/kube-controller-manager:v1.27.10',
      'registry.k8s.io/kube-scheduler:v1.27.10',
      'registry.k8s.io/kube-proxy:v1.27.10',
    ]);
    // The existing builder reads them as it reads kubespray's own lists.
    expect(parseFilesList(amd64.files.join('\n'))).toHaveLength(5);
    expect(parseImagesList(amd64.images.join('\n')).map((image) => image.repository)).toContain('coreos/etcd');

    const arm64 = await deriveKubesprayLists(release, [{ kubernetesVersion: 'v1.20.4', architecture: 'arm64' }]);
    expect(arm64.files).toContain('https://dl.k8s.io/release/v1.20.4/bin/linux/arm64/kubelet');
    expect(arm64.files).toContain('https://storage.googleapis.com/gvisor/releases/release/20230807/aarch64/runsc');
    expect(arm64.images).toContain('quay.io/coreos/etcd:v3.5.10-arm64');
    // The release's own version logic decides, here the pre-1.21 CoreDNS repository.
    expect(arm64.images).toContain('registry.k8s.io/coredns:v1.10.1');
    expect(arm64.images).toContain('registry.k8s.io/kube-proxy:v1.20.4');
  });

  it('takes the union over versions and architectures, and accepts a release tarball', async () => {
    const root = await mkdtemp(join(tmpdir(), 'airspray-derive-'));
    await writeRelease(root);
    const tarball = join(root, 'kubespray-2.23.3.tar.gz');
    await run('tar', ['-czf', tarball, '-C', root, 'kubespray-2.23.3']);
    const release = await openKubesprayRelease(tarball);
    try {
      const lists = await deriveKubesprayLists(
        release.dir,
        ['1.27.10', '1.26.13'].flatMap((kubernetesVersion) =>
          (['amd64', 'arm64'] as const).map((architecture) => ({ kubernetesVersion, architecture })),
        ),
      );
      expect(lists.files.filter((url) => url.endsWith('/kubelet'))).toEqual([
        'https://dl.k8s.io/release/v1.27.10/bin/linux/amd64/kubelet',
        'https://dl.k8s.io/release/v1.27.10/bin/linux/arm64/kubelet',
        'https://dl.k8s.io/release/v1.26.13/bin/linux/amd64/kubelet',
        'https://dl.k8s.io/release/v1.26.13/bin/linux/arm64/kubelet',
      ]);
      expect(lists.images.filter((image) => image.includes('/coreos/etcd'))).toEqual([
        'quay.io/coreos/etcd:v3.5.10',
        'quay.io/coreos/etcd:v3.5.10-arm64',
      ]);
      expect(new Set(lists.files).size).toBe(lists.files.length);
    } finally {
      await release.cleanup();
    }
  });

  it('reads the 2.24+ layout, where the download variables live in kubespray-defaults', async () => {
    const root = await mkdtemp(join(tmpdir(), 'airspray-derive-'));
    const download = releaseFiles['roles/download/defaults/main/main.yml']!;
    const dir = join(root, 'kubespray-2.24.0');
    await mkdir(join(dir, 'roles', 'kubespray-defaults', 'defaults', 'main'), { recursive: true });
    await writeFile(
      join(dir, 'roles', 'kubespray-defaults', 'defaults', 'main', 'main.yml'),
      'kube_version: v1.28.6\n',
    );
    await writeFile(join(dir, 'roles', 'kubespray-defaults', 'defaults', 'main', 'download.yml'), download);
    const lists = await deriveKubesprayLists(dir, [{ kubernetesVersion: '1.28.6', architecture: 'amd64' }]);
    expect(lists.files[0]).toBe('https://dl.k8s.io/release/v1.28.6/bin/linux/amd64/kubelet');
    expect(lists.images).toContain('registry.k8s.io/kube-scheduler:v1.28.6');
  });

  it('names what is wrong: not a release, an undefined variable, a missing path', async () => {
    const root = await mkdtemp(join(tmpdir(), 'airspray-derive-'));
    await expect(
      deriveKubesprayLists(root, [{ kubernetesVersion: '1.27.10', architecture: 'amd64' }]),
    ).rejects.toMatchObject({ i18n: { id: 'bundleBuild.no-download-defaults', params: { release: root } } });
    const broken = await writeRelease(root, {
      'roles/download/defaults/main/main.yml':
        'crictl_download_url: "https://example.invalid/{{ crictl_version }}/crictl"\n',
    });
    await expect(
      deriveKubesprayLists(broken, [{ kubernetesVersion: '1.27.10', architecture: 'amd64' }]),
    ).rejects.toMatchObject({
      i18n: {
        id: 'bundleBuild.lists-not-rendered',
        params: {
          targets: 'Kubernetes v1.27.10 (amd64)',
          problem: expect.stringMatching(/crictl_version.* is undefined/),
        },
      },
    });
    await expect(openKubesprayRelease(join(root, 'nowhere.tar.gz'))).rejects.toMatchObject({
      i18n: { id: 'bundleBuild.kubespray-missing' },
    });
  });
});
