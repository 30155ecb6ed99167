import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleManifest } from '../../../../electron/common/bundle-manifest';
import type { ClusterPlan } from '../../../../electron/common/cluster-plan';
import { openKubesprayRelease } from '../../../../electron/node/bundles/build/derive-kubespray-lists';
import { parse } from 'yaml';
import {
  checkDownloadSet,
  renderDownloadSet,
  type DownloadSet,
} from '../../../../electron/node/inventory/download-set';
import { checkDownloadsOnNode } from '../../../../electron/node/inventory/download-set-on-node';
import { renderInventory } from '../../../../electron/node/inventory/render-inventory';
import { ProjectStore } from '../../../../electron/node/projects/project-store';
import { planWith } from '../../../support/cluster-plans';
import { localShellClient } from '../../../support/local-shell';
import { kubesprayReleaseFixtures, requireKubesprayRelease } from '../../../support/kubespray-release-path';

let release: { dir: string; cleanup: () => Promise<void> };
let calico: DownloadSet;
let flannel: DownloadSet;
let cilium: DownloadSet;
beforeAll(async () => {
  release = await openKubesprayRelease(requireKubesprayRelease());
  calico = await renderDownloadSet(release.dir, planWith(['ce', 'w']), ['amd64']);
  flannel = await renderDownloadSet(release.dir, withPlugin('flannel'), ['amd64']);
  cilium = await renderDownloadSet(release.dir, withPlugin('cilium'), ['amd64']);
  // Three Ansible runs of a few seconds each, on a machine other test files share.
}, 240_000);
afterAll(() => release?.cleanup());

const listed = async (name: string) =>
  (await readFile(`${kubesprayReleaseFixtures}/${name}`, 'utf8')).split('\n').filter((line) => line.trim() !== '');
/**
 * What the release would fetch from the internet: files under files_repo map back to https://, images lose the
 * registry.
 */
const upstreamFiles = (set: DownloadSet) =>
  set.items
    .filter((item) => item.kind === 'file')
    .map((item) => item.reference.replace(`${set.filesRepo}/`, 'https://'));
const servedImages = (set: DownloadSet) =>
  set.items.filter((item) => item.kind === 'image').map((item) => item.reference.replace(`${set.registryHost}/`, ''));
/**
 * images.list names each image with its registry host (quay.io/calico/node:v3.25.2); the bundle registry serves
 * calico/node:v3.25.2.
 */
const withoutRegistry = (reference: string) => reference.slice(reference.indexOf('/') + 1);
function withPlugin(networkPlugin: ClusterPlan['settings']['networkPlugin']): ClusterPlan {
  const plan = planWith(['ce', 'w']);
  return { ...plan, settings: { ...plan.settings, networkPlugin } };
}

describe('the download set of a plan, rendered with kubespray v2.23.3 itself', () => {
  it('for calico and containerd equals the lines of files.list and images.list those defaults enable', async () => {
    // kubespray 2.23.3 roles/download/defaults/main/main.yml: with calico (kdd datastore), containerd, etcd on the
    // host, the local nginx load balancer, coredns and nodelocaldns, these entries are enabled; typha, the calico
    // apiserver, netchecker, helm and every other plugin or runtime are off by default.
    const files = await listed('files.list');
    const enabledFiles =
      /\/(kubelet|kubectl|kubeadm|etcd-v[^/]*|cni-plugins[^/]*|calicoctl-[^/]*|v3\.25\.2\.tar\.gz|crictl-[^/]*|runc\.amd64|nerdctl-[^/]*|containerd-1[^/]*)$/;
    expect(upstreamFiles(calico).sort()).toEqual(files.filter((url) => enabledFiles.test(url)).sort());
    expect(upstreamFiles(calico)).toHaveLength(11);

    const images = (await listed('images.list')).map(withoutRegistry);
    const enabledImages =
      /^(calico\/(node|cni|pod2daemon-flexvol|kube-controllers)|pause|library\/nginx|coredns\/coredns|dns\/k8s-dns-node-cache|cpa\/cluster-proportional-autoscaler|kube-(apiserver|controller-manager|scheduler|proxy)):/;
    expect(servedImages(calico).sort()).toEqual(images.filter((image) => enabledImages.test(image)).sort());
    expect(servedImages(calico)).toHaveLength(13);
  });

  it('names the variable that asks for each item', () => {
    const named = (key: string) => calico.items.find((item) => item.key === key)?.variables;
    expect(named('calicoctl')).toEqual(['calicoctl_download_url']);
    expect(named('calico_node')).toEqual(['calico_node_image_repo', 'calico_node_image_tag']);
    expect(named('kubeadm')).toEqual(['kubeadm_download_url']);
    expect(calico.items.find((item) => item.reference.endsWith('/kube-apiserver:v1.27.10'))?.variables).toEqual([
      'kube_image_repo',
      'kube_version',
    ]);
  });

  it('changes with the network plugin as kubespray would', async () => {
    expect(servedImages(flannel)).toEqual(
      expect.arrayContaining(['flannel/flannel:v0.22.0', 'flannel/flannel-cni-plugin:v1.1.2']),
    );
    expect(
      [...servedImages(flannel), ...upstreamFiles(flannel)].filter((reference) => reference.includes('calico')),
    ).toEqual([]);

    expect(servedImages(cilium)).toEqual(expect.arrayContaining(['cilium/cilium:v1.13.4', 'cilium/operator:v1.13.4']));
    // Hubble is off by default (cilium_enable_hubble: false): its images stay out.
    expect(servedImages(cilium).filter((image) => image.includes('hubble'))).toEqual([]);
    expect(upstreamFiles(cilium)).toContain(
      'https://github.com/cilium/cilium-cli/releases/download/v0.15.0/cilium-linux-amd64.tar.gz',
    );
    expect(upstreamFiles(cilium).filter((url) => url.includes('calico'))).toEqual([]);
  });

  it('renders each architecture the plan needs, images once', { timeout: 120_000 }, async () => {
    const both = await renderDownloadSet(release.dir, planWith(['ce', 'w']), ['amd64', 'arm64']);
    expect(upstreamFiles(both)).toContain('https://dl.k8s.io/release/v1.27.10/bin/linux/arm64/kubelet');
    expect(servedImages(both)).toEqual(servedImages(calico));
  });
});

/** A manifest holding exactly the download set: each file under files/<host>/<path>, each image by repository:tag. */
function manifestFor(set: DownloadSet): Pick<BundleManifest, 'bundleId' | 'files' | 'images'> {
  const sha256 = 'b'.repeat(64);
  const files = upstreamFiles(set).map((url) => ({
    path: `files/${url.slice('https://'.length)}`,
    size: 1,
    sha256,
    kind: 'file' as const,
    url,
  }));
  const images = servedImages(set).map((served) => {
    const [repository, tag] = served.split(':') as [string, string];
    return {
      reference: `registry.example/${served}`,
      repository,
      tag,
      digest: `sha256:${sha256}`,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      platforms: ['linux/amd64'],
    };
  });
  return { bundleId: 'ks-test', files, images };
}

describe('checking the download set against the bundle', () => {
  it('finds nothing when the bundle holds every item', () => {
    expect(checkDownloadSet(calico, manifestFor(calico))).toEqual([]);
  });

  it('names exactly the missing file and image with their variables', () => {
    const full = manifestFor(calico);
    const manifest = {
      ...full,
      files: full.files.filter((file) => !file.path.includes('calicoctl')),
      images: full.images.filter((image) => image.repository !== 'calico/node'),
    };
    const findings = checkDownloadSet(calico, manifest);
    expect(findings.map((finding) => [finding.problem, finding.variables.join(' ')])).toEqual([
      ['missing', 'calicoctl_download_url'],
      ['missing', 'calico_node_image_repo calico_node_image_tag'],
    ]);
    expect(findings[0]!.i18n).toEqual({
      id: 'inventory.download-missing',
      params: expect.objectContaining({ kind: 'file', variables: 'calicoctl_download_url', bundle: 'ks-test' }),
    });
    expect(findings[0]!.message).toContain('not in bundle ks-test: rebuild the bundle with it');
  });

  it('flags an item the plan points away from the deploy node', () => {
    const outside: DownloadSet = {
      ...calico,
      items: calico.items.map((item) =>
        item.key === 'calicoctl'
          ? {
              ...item,
              reference: 'https://github.com/projectcalico/calico/releases/download/v3.25.2/calicoctl-linux-amd64',
            }
          : item,
      ),
    };
    const findings = checkDownloadSet(outside, manifestFor(calico));
    expect(findings.map((finding) => [finding.key, finding.problem])).toEqual([['calicoctl', 'outside']]);
    expect(findings[0]!.i18n).toMatchObject({
      id: 'inventory.download-outside',
      params: { variables: 'calicoctl_download_url', hasServer: 'yes' },
    });
  });
});

/** kubespray's sample offline.yml, its commented-out settings as name → value text. */
async function sampleOffline(): Promise<Map<string, string>> {
  const sample = await readFile(`${kubesprayReleaseFixtures}/sample-offline.yml`, 'utf8');
  return new Map([...sample.matchAll(/^# ([a-z_]+): "(.*)"$/gm)].map((match) => [match[1]!, match[2]!]));
}

/** offline.yml as the export writes it for the plan. */
function exportedOffline(plan: ClusterPlan): Record<string, unknown> {
  const file = renderInventory(plan, { generatorVersion: 'test' }).find(
    (candidate) => candidate.path === 'group_vars/all/offline.yml',
  )!;
  return parse(file.content) as Record<string, unknown>;
}

describe('the offline variables the export writes', () => {
  it('point exactly the files kubespray downloads for the plan at files_repo, spelled as the sample offline.yml', async () => {
    const sample = await sampleOffline();
    for (const [plugin, set] of [
      ['calico', calico],
      ['flannel', flannel],
      ['cilium', cilium],
    ] as const) {
      const offline = exportedOffline(withPlugin(plugin));
      const written = Object.keys(offline).filter((name) => name.endsWith('_download_url'));
      const downloaded = set.items.filter((item) => item.kind === 'file').flatMap((item) => item.variables);
      expect(written.sort(), plugin).toEqual([...new Set(downloaded)].sort());
      for (const name of written) expect(offline[name], name).toBe(sample.get(name));
    }
  });

  it('points every image repository at registry_host and gives containerd the plain-HTTP mirror', async () => {
    const sample = await sampleOffline();
    const offline = exportedOffline(planWith(['ce', 'w']));
    for (const name of [
      'kube_image_repo',
      'gcr_image_repo',
      'github_image_repo',
      'docker_image_repo',
      'quay_image_repo',
    ]) {
      expect(offline[name], name).toBe(sample.get(name));
    }
    expect(offline.registry_host).toBe('10.0.0.11:5000');
    expect(offline.files_repo).toBe('http://10.0.0.11:8080');
    // The shape of containerd_registries_mirrors in kubespray 2.23.3
    // roles/container-engine/containerd/defaults/main.yml.
    expect(offline.containerd_registries_mirrors).toEqual([
      { prefix: '10.0.0.11:5000', mirrors: [{ host: 'http://10.0.0.11:5000', capabilities: ['pull', 'resolve'] }] },
    ]);
    // Nothing the plan does not use: no OS package repositories (containerd comes from files_repo) and no add-on URLs.
    expect(
      Object.keys(offline).filter((name) => /_repo$/.test(name) && !/_image_repo$|^files_repo$/.test(name)),
    ).toEqual([]);
    expect(offline).not.toHaveProperty('helm_download_url');
  });
});

describe('the check on the deploy node (no ansible-playbook or bundle on this machine)', () => {
  it(
    "renders with the node's release, Ansible and the run's variables, and checks the pushed manifest.json",
    { timeout: 120_000 },
    async () => {
      // The node's shell stands in for SSH (test/support/local-shell.ts); the commands and Ansible run for real.
      const bundleDir = await mkdtemp(join(tmpdir(), 'airspray-node-bundle-'));
      try {
        const full = manifestFor(calico);
        const manifest = {
          ...nodeManifest,
          files: full.files.filter((file) => !file.path.endsWith('/kubeadm')),
          images: [],
        };
        await writeFile(join(bundleDir, 'manifest.json'), JSON.stringify(manifest));
        const project = { ...(await new ProjectStore(bundleDir).create('lab')), cluster: planWith(['ce', 'w']) };
        const where = { kubesprayDir: release.dir, bundleDir, ansiblePlaybook: ['ansible-playbook'] };
        // As the lab run asks: no container images, not even those kubeadm pulls.
        const check = await checkDownloadsOnNode(await localShellClient(), project, where, {
          download_container: false,
          skip_kubeadm_images: true,
        });
        expect(check.items).toEqual(calico.items.filter((item) => item.kind === 'file'));
        expect(check.findings.map((finding) => finding.variables)).toEqual([['kubeadm_download_url']]);
      } finally {
        await rm(bundleDir, { recursive: true, force: true });
      }
    },
  );

  it('says a kubespray without a download role cannot be checked (a test stand-in), and checks nothing', async () => {
    const bundleDir = await mkdtemp(join(tmpdir(), 'airspray-node-bundle-'));
    try {
      await writeFile(join(bundleDir, 'manifest.json'), JSON.stringify({ ...nodeManifest, files: [], images: [] }));
      const project = { ...(await new ProjectStore(bundleDir).create('lab')), cluster: planWith(['ce', 'w']) };
      const check = await checkDownloadsOnNode(await localShellClient(), project, {
        kubesprayDir: bundleDir,
        bundleDir,
        ansiblePlaybook: ['ansible-playbook'],
      });
      expect(check).toMatchObject({ checked: false, unreadable: true, findings: [] });
      expect(check.reasonMessage?.id).toBe('inventory.no-download-role');
    } finally {
      await rm(bundleDir, { recursive: true, force: true });
    }
  });
});

const nodeManifest: BundleManifest = {
  formatVersion: 1,
  bundleId: 'ks-test',
  createdAt: '2026-11-01T12:00:00.000Z',
  kubespray: { version: '2.23.3' },
  kubernetesVersions: ['1.27.10'],
  architectures: ['amd64'],
  operatingSystems: [],
  networkPlugins: ['calico'],
  files: [],
  images: [],
};
