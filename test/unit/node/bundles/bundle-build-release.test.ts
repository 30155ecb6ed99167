import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readFile, readdir, readlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleManifest } from '../../../../electron/common/bundle-manifest';
import { BundleVerificationResultSchema } from '../../../../electron/common/bundle-verification';
import { parseImagesList } from '../../../../electron/node/bundles/build/kubespray-lists';
import { downloadUrls } from '../../../support/bundle-fixtures';
import { buildBundleCli, bundleBuildArgs, type BundleCli, type CliResult } from '../../../support/bundle-cli';
import { pushTestImage, startDockerRegistry, type RunningRegistry } from '../../../support/bundle-lab';
import { kubesprayListsFixtures, requireKubesprayRelease } from '../../../support/kubespray-release-path';
import { serveStandInDownloads, type StandInDownloads } from '../../../support/stand-in-downloads';

const run = promisify(execFile);
const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

let airspray: BundleCli;
let work: string;
let registry: RunningRegistry;
let downloads: StandInDownloads;
let fingerprint: string;
let built: CliResult;
let out: string;
let manifest: BundleManifest;
// kubespray's own generate_list.sh output for this release: what the builder must derive by itself.
let expectedFiles: string[];
let expectedImages: ReturnType<typeof parseImagesList>;
const pushed = new Map<string, string>();

/** The release as tar unpacks it: regular files with their sha256, symbolic links with their targets (not followed). */
async function releaseTree(
  root: string,
  tree = { files: new Map<string, string>(), links: new Map<string, string>() },
  under = '',
) {
  // Not readdir's `recursive`: Node 20's follows links to folders.
  for (const entry of await readdir(join(root, under), { withFileTypes: true })) {
    const path = join(under, entry.name);
    if (entry.isSymbolicLink()) tree.links.set(path, await readlink(join(root, path)));
    else if (entry.isDirectory()) await releaseTree(root, tree, path);
    else if (entry.isFile()) tree.files.set(path, sha256(await readFile(join(root, path))));
  }
  return tree;
}

beforeAll(async () => {
  const tarball = requireKubesprayRelease();
  work = await mkdtemp(join(tmpdir(), 'airspray-release-build-'));
  airspray = await buildBundleCli(work);
  expectedFiles = (await readFile(join(kubesprayListsFixtures, 'files.list'), 'utf8')).split('\n').filter(Boolean);
  expectedImages = parseImagesList(await readFile(join(kubesprayListsFixtures, 'images.list'), 'utf8'));

  downloads = await serveStandInDownloads(work, expectedFiles);

  // One docker-registry answers for every image host: a tiny image under each name, calico's multi-platform.
  registry = await startDockerRegistry(join(work, 'registry'), { readOnly: false, configDir: join(work, 'config') });
  await Promise.all(
    expectedImages.map(async (image) => {
      const architectures = image.repository.startsWith('calico/') ? ['amd64', 'arm64'] : ['amd64'];
      pushed.set(
        image.reference,
        await pushTestImage(
          registry.url,
          image.repository,
          image.tag,
          architectures,
          image.registry === 'docker.io' ? 'docker' : 'oci',
          256,
        ),
      );
    }),
  );

  const key = join(work, 'builder.pem');
  const keygen = await airspray('bundle', 'keygen', '--out', key);
  fingerprint = /Fingerprint: (SHA256:\S+)/.exec(keygen.stdout)![1]!;
  out = join(work, 'bundle');
  const imageHosts = [...new Set(expectedImages.map((image) => image.registry))];
  built = await airspray(
    ...bundleBuildArgs(
      out,
      tarball,
      '--checksums',
      downloads.checksumsFile,
      '--key',
      key,
      ...downloads.mirrorArgs,
      ...imageHosts.flatMap((host) => ['--mirror', `${host}=${registry.url}`]),
    ),
  );
  if (built.code === 0) manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as BundleManifest;
}, 300_000);

afterAll(async () => {
  await registry?.stop();
  await downloads?.web.close();
});

describe('airspray bundle build of the real kubespray v2.23.3 release, lists derived from it', () => {
  it('derives the same lists as kubespray, fetches them through the mirrors and signs', () => {
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
    expect(built.stdout).toContain(
      `Derived from the release: ${expectedFiles.length} files, ${expectedImages.length} images.`,
    );
    expect(built.stdout).not.toContain('No published checksum');
  });

  it('holds every derived download, byte for byte, at its URL path', async () => {
    expect(downloadUrls(manifest)).toEqual([...expectedFiles].sort());
    for (const href of expectedFiles) {
      const entry = manifest.files.find((file) => file.url === href)!;
      const url = new URL(href);
      expect(entry.path).toBe(`files/${url.host}${url.pathname}`);
      expect(await readFile(join(out, entry.path))).toEqual(downloads.contents.get(href));
    }
  });

  it('holds every derived image as pushed, tagged in its registry storage', async () => {
    expect(manifest.images.map((image) => `${image.reference}@${image.digest}`).sort()).toEqual(
      expectedImages.map((image) => `${image.reference}@${pushed.get(image.reference)}`).sort(),
    );
    for (const image of manifest.images) {
      const link = manifest.files.find((file) =>
        file.path.endsWith(`/repositories/${image.repository}/_manifests/tags/${image.tag}/current/link`),
      );
      expect(link, image.reference).toBeDefined();
      expect(await readFile(join(out, link!.path), 'utf8')).toBe(image.digest);
    }
    expect(manifest.images.find((image) => image.reference === 'quay.io/calico/node:v3.25.2')?.mediaType).toBe(
      'application/vnd.oci.image.index.v1+json',
    );
  });

  it('holds the release tree in kubespray/: every file as released, every symbolic link recorded with its target', async () => {
    const unpacked = join(work, 'unpacked');
    await mkdir(unpacked);
    await run('tar', ['-xzf', requireKubesprayRelease(), '-C', unpacked]);
    const release = await releaseTree(join(unpacked, 'kubespray-2.23.3'));
    expect(release.links.size).toBe(18);
    const inBundle = new Map(
      manifest.files
        .filter((file) => file.kind === 'kubespray')
        .map((file) => [relative('kubespray', file.path), file.sha256]),
    );
    expect(new Map([...inBundle].filter(([path]) => release.files.has(path)))).toEqual(release.files);
    // The stick (FAT32) holds no links: the manifest records them for the push to recreate.
    const recorded = (manifest.links ?? []).map((link) => [relative('kubespray', link.path), link.target] as const);
    expect(new Map(recorded)).toEqual(release.links);
    expect(recorded).toHaveLength(18);
    for (const path of release.links.keys())
      await expect(lstat(join(out, 'kubespray', path)), path).rejects.toThrow('ENOENT');
  });

  it('verifies in full with the builder key, signed by it', async () => {
    const verified = await airspray(
      'bundle',
      'verify',
      out,
      '--trust',
      join(work, 'builder.pem.pub'),
      '--no-cache',
      '--json',
      '--data-dir',
      join(work, 'data'),
    );
    expect(verified.code).toBe(0);
    const result = BundleVerificationResultSchema.parse(JSON.parse(verified.stdout));
    expect(result.refusals).toEqual([]);
    expect(result).toMatchObject({ outcome: 'verified', mode: 'full', publisher: { fingerprint } });
  });
});
