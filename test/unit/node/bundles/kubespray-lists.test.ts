import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checksumsFromKubespray } from '../../../../electron/node/bundles/build/kubespray-checksums';
import {
  bundlePathForUrl,
  kubesprayVariableFor,
  networkPluginsIn,
  parseFilesList,
  parseImageReference,
  parseImagesList,
} from '../../../../electron/node/bundles/build/kubespray-lists';
import { kubesprayListsFixtures as fixtures } from '../../../support/kubespray-release-path';

const sha = (digit: string) => digit.repeat(64);

describe("kubespray's offline lists", () => {
  it('parses the real files.list: every URL gets a files/<host>/<path> place, and the main ones their variable', async () => {
    const urls = parseFilesList(await readFile(join(fixtures, 'files.list'), 'utf8'));
    expect(urls).toHaveLength(23);
    const paths = urls.map(bundlePathForUrl);
    expect(new Set(paths).size).toBe(urls.length);
    expect(paths).toContain('files/dl.k8s.io/release/v1.27.10/bin/linux/amd64/kubeadm');
    // Every download in kubespray 2.23.3's default list answers a variable of its offline.yml.
    expect(urls.filter((url) => !kubesprayVariableFor(url)).map((url) => url.href)).toEqual([]);
    expect(kubesprayVariableFor(new URL('https://github.com/projectcalico/calico/archive/v3.25.2.tar.gz'))).toBe(
      'calico_crds_download_url',
    );
  });

  it('parses the real images.list, with docker.io defaults and the network plugins it carries', async () => {
    const images = parseImagesList(await readFile(join(fixtures, 'images.list'), 'utf8'));
    expect(images).toHaveLength(57);
    expect(images.find((image) => image.reference === 'quay.io/calico/node:v3.25.2')).toMatchObject({
      registry: 'quay.io',
      repository: 'calico/node',
      tag: 'v3.25.2',
    });
    expect(parseImageReference('nginx')).toMatchObject({
      registry: 'docker.io',
      repository: 'library/nginx',
      tag: 'latest',
    });
    expect(parseImageReference('localhost:5000/a/b@sha256:' + sha('a'))).toMatchObject({
      registry: 'localhost:5000',
      repository: 'a/b',
      digest: `sha256:${sha('a')}`,
    });
    expect(networkPluginsIn(images)).toEqual(
      expect.arrayContaining(['calico', 'cilium', 'flannel', 'weave', 'multus']),
    );
  });

  it('refuses a line that is not a URL or an image, naming the line', () => {
    expect(() => parseFilesList('https://dl.k8s.io/a\nnot a url\n')).toThrow('files.list line 2');
    expect(() => parseImagesList('quay.io/Bad Name:1\n')).toThrow('images.list line 1');
  });

  it("finds kubespray's published checksums by variable, architecture and exact version", async () => {
    const urls = parseFilesList(await readFile(join(fixtures, 'files.list'), 'utf8'));
    const yaml = [
      'kubeadm_checksums:',
      '  arm64:',
      `    v1.27.10: ${sha('1')}`,
      '  amd64:',
      `    v1.27.10: ${sha('2')}`,
      `    v1.27.1: ${sha('3')}`,
      'containerd_archive_checksums:',
      '  amd64:',
      `    1.7.13: ${sha('4')}`,
      'calico_crds_archive_checksums:',
      `  v3.25.2: ${sha('5')}`,
      'gvisor_containerd_shim_binary_checksums:',
      '  amd64:',
      `    "20230807": ${sha('6')}`,
      'kubectl_checksums:',
      '  amd64:',
      '    v1.27.10: 0',
    ].join('\n');
    const checksums = checksumsFromKubespray(yaml, urls);
    const find = (part: string) => checksums.get(urls.find((url) => url.href.includes(part))!.href);
    expect(find('/amd64/kubeadm')).toBe(sha('2'));
    expect(find('containerd-1.7.13')).toBe(sha('4'));
    expect(find('calico/archive')).toBe(sha('5'));
    expect(find('containerd-shim-runsc-v1')).toBe(sha('6'));
    expect(find('/amd64/kubectl')).toBeUndefined();
    expect(checksums.size).toBe(4);
  });
});
