import type { NetworkPluginIdSchema } from '../../../common/bundle-manifest';
import type { z } from 'zod';
import { coreError } from '../../i18n/format-core-message';

/** One image reference split the way a registry client needs it. */
export interface ImageReference {
  /** As written in images.list. */
  reference: string;
  registry: string;
  repository: string;
  tag: string;
  digest?: string;
}

const listLines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line, index) => ({ line: line.trim(), number: index + 1 }))
    .filter(({ line }) => line !== '' && !line.startsWith('#'));

/** kubespray's files.list (contrib/offline/generate_list.sh): one download URL a line. */
export function parseFilesList(text: string, listName = 'files.list'): URL[] {
  return listLines(text).map(({ line, number }) => {
    let url: URL;
    try {
      url = new URL(line);
    } catch {
      throw coreError(
        'invalid_params',
        'bundleBuild.files-list-not-url',
        { list: listName, line: number, text: line.slice(0, 100) },
        'filesList',
      );
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw coreError('invalid_params', 'bundleBuild.files-list-scheme', { list: listName, line: number }, 'filesList');
    }
    return url;
  });
}

/** Where a download lives in the bundle: files/<host>/<path>, the layout kubespray's files_repo expects. */
export function bundlePathForUrl(url: URL): string {
  const segments = url.pathname
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => decodeURIComponent(segment));
  if (
    segments.length === 0 ||
    segments.some((segment) => segment === '.' || segment === '..' || segment.includes('/') || segment.includes('\\'))
  ) {
    throw coreError('invalid_params', 'bundleBuild.url-without-path', { url: url.href }, 'filesList');
  }
  return ['files', url.host, ...segments].join('/');
}

const referencePattern =
  /^(?:(?<registry>[a-zA-Z0-9.-]+(?::\d+)?|localhost(?::\d+)?)\/)?(?<repository>[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*)(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(?<digest>sha256:[0-9a-f]{64}))?$/;

export function parseImageReference(reference: string): ImageReference {
  // The first segment is a registry only when it looks like a host (a dot, a port or localhost), as docker reads it.
  const firstSlash = reference.indexOf('/');
  const first = firstSlash > 0 ? reference.slice(0, firstSlash) : '';
  const hasRegistry = first.includes('.') || first.includes(':') || first === 'localhost';
  const match = referencePattern.exec(hasRegistry ? reference : `docker.io/${reference}`);
  if (!match?.groups) {
    throw coreError(
      'invalid_params',
      'bundleBuild.image-reference-invalid',
      { reference: reference.slice(0, 200) },
      'imagesList',
    );
  }
  const registry = match.groups.registry!;
  let repository = match.groups.repository!;
  if (registry === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`;
  return {
    reference,
    registry,
    repository,
    tag: match.groups.tag ?? 'latest',
    ...(match.groups.digest ? { digest: match.groups.digest } : {}),
  };
}

/** kubespray's images.list: one image reference a line. */
export function parseImagesList(text: string, listName = 'images.list'): ImageReference[] {
  return listLines(text).map(({ line, number }) => {
    try {
      return parseImageReference(line);
    } catch (error) {
      throw coreError(
        'invalid_params',
        'bundleBuild.images-list-line-invalid',
        { list: listName, line: number, problem: (error as Error).message },
        'imagesList',
      );
    }
  });
}

/** The kubespray variable each download answers (inventory/sample/group_vars/all/offline.yml), by URL shape. */
const variablePatterns: ReadonlyArray<[RegExp, string]> = [
  [/\/bin\/linux\/[^/]+\/kubeadm$/, 'kubeadm_download_url'],
  [/\/bin\/linux\/[^/]+\/kubectl$/, 'kubectl_download_url'],
  [/\/bin\/linux\/[^/]+\/kubelet$/, 'kubelet_download_url'],
  [/\/containernetworking\/plugins\/releases\/download\//, 'cni_download_url'],
  [/\/cri-tools\/releases\/download\/.*\/crictl-/, 'crictl_download_url'],
  [/\/etcd-io\/etcd\/releases\/download\//, 'etcd_download_url'],
  [/\/projectcalico\/calico\/releases\/download\/.*\/calicoctl-/, 'calicoctl_download_url'],
  [/\/projectcalico\/calico\/archive\//, 'calico_crds_download_url'],
  [/\/cilium\/cilium-cli\/releases\/download\//, 'ciliumcli_download_url'],
  [/\/helm-v[^/]+\.tar\.gz$/, 'helm_download_url'],
  [/\/opencontainers\/runc\/releases\/download\//, 'runc_download_url'],
  [/\/containers\/crun\/releases\/download\//, 'crun_download_url'],
  [/\/containers\/youki\/releases\/download\//, 'youki_download_url'],
  [/\/kata-containers\/kata-containers\/releases\/download\//, 'kata_containers_download_url'],
  [/\/gvisor\/releases\/release\/[^/]+\/[^/]+\/runsc$/, 'gvisor_runsc_download_url'],
  [/\/gvisor\/releases\/release\/[^/]+\/[^/]+\/containerd-shim-runsc-v1$/, 'gvisor_containerd_shim_runsc_download_url'],
  [/\/containerd\/nerdctl\/releases\/download\//, 'nerdctl_download_url'],
  [/\/kubernetes-sigs\/krew\/releases\/download\//, 'krew_download_url'],
  [/\/containerd\/containerd\/releases\/download\//, 'containerd_download_url'],
  [/\/Mirantis\/cri-dockerd\/releases\/download\//, 'cri_dockerd_download_url'],
  [/\/cri-o\/artifacts\/cri-o\./, 'crio_download_url'],
  [/\/lework\/skopeo-binary\/releases\/download\//, 'skopeo_download_url'],
  [/\/mikefarah\/yq\/releases\/download\//, 'yq_download_url'],
];

export function kubesprayVariableFor(url: URL): string | undefined {
  return variablePatterns.find(([pattern]) => pattern.test(`${url.host}${url.pathname}`))?.[1];
}

type NetworkPluginId = z.infer<typeof NetworkPluginIdSchema>;
const pluginImages: ReadonlyArray<[RegExp, NetworkPluginId]> = [
  [/^calico\/node$/, 'calico'],
  [/^cilium\/cilium$/, 'cilium'],
  [/^flannel\/flannel$/, 'flannel'],
  [/^weaveworks\/weave-kube$/, 'weave'],
  [/^kubeovn\/kube-ovn$/, 'kube-ovn'],
  [/^cloudnativelabs\/kube-router$/, 'kube-router'],
  [/\/multus-cni$/, 'multus'],
];

/** The network plugins a bundle can install: those whose main image it carries. */
export function networkPluginsIn(images: readonly ImageReference[]): NetworkPluginId[] {
  const found = new Set<NetworkPluginId>();
  for (const image of images)
    for (const [pattern, plugin] of pluginImages) if (pattern.test(image.repository)) found.add(plugin);
  return [...found].sort();
}
