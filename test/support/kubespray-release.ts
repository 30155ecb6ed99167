import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * A kubespray-shaped release written for this test (not kubespray's text): the 2.23 layout, general defaults in
 * kubespray-defaults, download variables and the `downloads` table in the download role, checksums beside them.
 */
export const releaseFiles: Record<string, string> = {
  'roles/kubespray-defaults/defaults/main.yaml': [
    'kube_version: v1.26.0',
    'cluster_name: cluster.local',
    'unused_here: "{{ never_defined }}"',
    '',
  ].join('\n'),
  'roles/download/defaults/main/main.yml': [
    'image_arch: "{{ host_architecture | default(\'amd64\') }}"',
    'etcd_version: v3.5.10',
    'cni_version: v1.3.0',
    'runsc_version: 20230807',
    'youki_version: 0.1.0',
    'kube_image_repo: registry.k8s.io',
    'quay_image_repo: quay.io',
    'kubelet_download_url: "https://dl.k8s.io/release/{{ kube_version }}/bin/linux/{{ image_arch }}/kubelet"',
    'etcd_download_url: "https://github.com/etcd-io/etcd/releases/download/{{ etcd_version }}/etcd-{{ etcd_version }}-linux-{{ image_arch }}.tar.gz"',
    'cni_download_url: "https://github.com/containernetworking/plugins/releases/download/{{ cni_version }}/cni-plugins-linux-{{ image_arch }}-{{ cni_version }}.tgz"',
    'gvisor_runsc_download_url: "https://storage.googleapis.com/gvisor/releases/release/{{ runsc_version }}/{{ ansible_architecture }}/runsc"',
    "youki_download_url: \"https://github.com/containers/youki/releases/download/v{{ youki_version }}/youki_{{ youki_version | regex_replace('\\\\.', '_') }}_{{ ansible_system | lower }}.tar.gz\"",
    '# Same URL twice (two variables): listed once.',
    'kubelet_again_download_url: "{{ kubelet_download_url }}"',
    'etcd_image_repo: "{{ quay_image_repo }}/coreos/etcd"',
    'etcd_image_tag: "{{ etcd_version }}{%- if image_arch != \'amd64\' -%}-{{ image_arch }}{%- endif -%}"',
    'pod_infra_image_repo: "{{ kube_image_repo }}/pause"',
    'pod_infra_version: "3.10"',
    "coredns_image_repo: \"{{ kube_image_repo }}{{ '/coredns/coredns' if kube_version is version('v1.21', '>=') else '/coredns' }}\"",
    'downloads:',
    '  etcd:',
    '    container: "{{ etcd_deployment_type != \'host\' }}"',
    '    file: "{{ etcd_deployment_type == \'host\' }}"',
    '    repo: "{{ etcd_image_repo }}"',
    '    tag: "{{ etcd_image_tag }}"',
    '  kubelet:',
    '    file: true',
    '    url: "{{ kubelet_download_url }}"',
    '  pod_infra:',
    '    container: true',
    '    repo: "{{ pod_infra_image_repo }}"',
    '    tag: "{{ pod_infra_version }}"',
    '  coredns:',
    '    container: true',
    '    repo: "{{ coredns_image_repo }}"',
    '    tag: v1.10.1',
    '',
  ].join('\n'),
  'roles/download/defaults/main/checksums.yml': [
    'kubelet_checksums:',
    '  amd64:',
    '    v1.27.10: ' + 'a'.repeat(64),
    '',
  ].join('\n'),
};

export async function writeRelease(root: string, extra: Record<string, string> = {}): Promise<string> {
  const dir = join(root, 'kubespray-2.23.3');
  for (const [path, text] of Object.entries({ ...releaseFiles, ...extra })) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}
