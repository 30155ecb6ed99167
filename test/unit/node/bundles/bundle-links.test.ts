import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleManifest } from '../../../../electron/common/bundle-manifest';
import { openKubesprayRelease } from '../../../../electron/node/bundles/build/derive-kubespray-lists';
import { trustedTestKey } from '../../../support/bundle-fixtures';
import { requireKubesprayRelease } from '../../../support/kubespray-release-path';
import { buildFromReleaseFolder, buildReleaseBundle } from '../../../support/release-bundle';
import { verifyBundle } from '../../../../electron/node/bundles/verify-bundle';
import { sha256OfFile } from '../../../../electron/node/bundles/file-digest';
import { signManifestFile, writeSignedManifest } from '../../../../electron/node/bundles/write-manifest';

const run = promisify(execFile);
const { publisher, trusted } = trustedTestKey('Links test');

let work: string;
let releaseTarball: string;

const buildRelease = (source: string, outDir: string) => buildReleaseBundle(source, outDir, publisher.privateKeyPem);
const buildFromFolder = (releaseDir: string, outDir: string) =>
  buildFromReleaseFolder(releaseDir, outDir, publisher.privateKeyPem);

async function symlinksUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isSymbolicLink()).map((entry) => join(entry.parentPath, entry.name));
}

const refusedPaths = async (bundleDir: string) =>
  (await verifyBundle(bundleDir, { mode: 'full', trustedKeys: trusted, workers: 1 })).refusals.map(
    (refusal) => refusal.path,
  );

beforeAll(async () => {
  releaseTarball = requireKubesprayRelease();
  work = await mkdtemp(join(tmpdir(), 'airspray-links-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('the real kubespray v2.23.3 release in a bundle', () => {
  let fromTarball: BundleManifest;
  const tarballBundle = () => join(work, 'from-tarball');

  beforeAll(async () => {
    fromTarball = await buildRelease(releaseTarball, tarballBundle());
  }, 120_000);

  it('records the 18 links of the release in a format 2 manifest and puts no link on disk', async () => {
    expect(fromTarball.formatVersion).toBe(2);
    expect(fromTarball.links).toHaveLength(18);
    expect(fromTarball.links).toContainEqual({
      path: 'kubespray/library/kube.py',
      target: '../plugins/modules/kube.py',
    });
    expect(fromTarball.links).toContainEqual({
      path: 'kubespray/contrib/terraform/upcloud/sample-inventory/group_vars',
      target: '../../../../inventory/sample/group_vars/',
    });
    expect(fromTarball.files.map((file) => file.path)).toContain('kubespray/plugins/modules/kube.py');
    expect(fromTarball.files.map((file) => file.path)).not.toContain('kubespray/library/kube.py');
    expect(await symlinksUnder(tarballBundle())).toEqual([]);
    expect(await refusedPaths(tarballBundle())).toEqual([]);
  });

  it('builds the same links from the extracted release folder', async () => {
    const extracted = join(work, 'extracted');
    await mkdir(extracted);
    await run('tar', ['-xzf', releaseTarball, '-C', extracted]);
    const manifest = await buildRelease(join(extracted, 'kubespray-2.23.3'), join(work, 'from-folder'));
    expect(manifest.links).toEqual(fromTarball.links);
    expect(await symlinksUnder(join(work, 'from-folder'))).toEqual([]);
    expect(await refusedPaths(join(work, 'from-folder'))).toEqual([]);
  }, 120_000);

  it('refuses a re-signed manifest whose link leads outside kubespray/, naming the link', async () => {
    const copy = join(work, 'tampered');
    await cp(tarballBundle(), copy, { recursive: true });
    const links = fromTarball.links!.map((link) =>
      link.path === 'kubespray/library/kube.py' ? { ...link, target: '../../manifest.json' } : link,
    );
    await writeSignedManifest(copy, { ...fromTarball, links }, publisher.privateKeyPem);
    expect(await refusedPaths(copy)).toEqual(['kubespray/library/kube.py']);
    const [refusal] = (await verifyBundle(copy, { mode: 'quick', trustedKeys: trusted })).refusals;
    expect(refusal?.i18n).toEqual({
      id: 'bundle.link-outside',
      params: { path: 'kubespray/library/kube.py', target: '../../manifest.json', root: 'kubespray' },
    });
  });

  it('refuses a recorded link that leads to nothing the bundle holds, and a link lying on disk as a file', async () => {
    const copy = join(work, 'dangling');
    await cp(tarballBundle(), copy, { recursive: true });
    const links = [...fromTarball.links!, { path: 'kubespray/dangling', target: 'no-such-file' }];
    await writeSignedManifest(copy, { ...fromTarball, links }, publisher.privateKeyPem);
    await writeFile(join(copy, 'kubespray/library/kube.py'), 'x');
    expect(await refusedPaths(copy)).toEqual([
      'kubespray/dangling',
      'kubespray/library/kube.py',
      'kubespray/library/kube.py',
    ]);
  });

  it('refuses a symbolic link added on disk: it is not in the signed manifest', async () => {
    const copy = join(work, 'added-link');
    await cp(tarballBundle(), copy, { recursive: true });
    await symlink('../plugins/modules/kube.py', join(copy, 'kubespray/library/added.py'));
    expect(await refusedPaths(copy)).toEqual(['kubespray/library/added.py']);
  });

  it('still verifies a format 1 bundle (no links)', async () => {
    const bundleDir = join(work, 'version-1');
    await mkdir(join(bundleDir, 'kubespray'), { recursive: true });
    await writeFile(join(bundleDir, 'kubespray/cluster.yml'), '- hosts: all\n');
    const { links: _links, ...rest } = fromTarball;
    const cluster = fromTarball.files.find((file) => file.path === 'kubespray/cluster.yml')!;
    const manifest = {
      ...rest,
      formatVersion: 1 as const,
      files: [{ ...cluster, size: 13, sha256: await sha256OfFile(join(bundleDir, 'kubespray/cluster.yml')) }],
    };
    await writeSignedManifest(bundleDir, manifest, publisher.privateKeyPem);
    expect(JSON.parse(await readFile(join(bundleDir, 'manifest.json'), 'utf8')).formatVersion).toBe(1);
    expect(await refusedPaths(bundleDir)).toEqual([]);
  });

  it('refuses a manifest newer than format 3 (deltas), naming the version', async () => {
    const copy = join(work, 'version-4');
    await cp(tarballBundle(), copy, { recursive: true });
    await writeFile(join(copy, 'manifest.json'), JSON.stringify({ ...fromTarball, formatVersion: 4 }));
    await signManifestFile(copy, publisher.privateKeyPem);
    const result = await verifyBundle(copy, { mode: 'quick', trustedKeys: trusted });
    expect(result.refusals[0]?.i18n).toEqual({ id: 'bundle.format-too-new', params: { version: 4, supported: 3 } });
  });
});

describe('hostile release tarballs', () => {
  /** A tarball with one ordinary release file and the given extra members (made with GNU tar's --transform). */
  async function hostileTarball(name: string, build: (dir: string) => Promise<string[]>): Promise<string> {
    const dir = join(work, `${name}-src`);
    await mkdir(join(dir, 'kubespray-x'), { recursive: true });
    await writeFile(join(dir, 'kubespray-x/cluster.yml'), '- hosts: all\n');
    const extra = await build(dir);
    const tarball = join(work, `${name}.tar.gz`);
    await run('tar', ['-czf', tarball, '-C', dir, '-P', 'kubespray-x', ...extra]);
    return tarball;
  }

  it('refuses a member that climbs out with "..", naming it', async () => {
    const tarball = await hostileTarball('dotdot', async (dir) => {
      await writeFile(join(dir, 'x'), 'x');
      return ['--transform=s,^x$,kubespray-x/../x,', 'x'];
    });
    await expect(openKubesprayRelease(tarball)).rejects.toThrow('kubespray-x/../x');
  });

  it('refuses an absolute member, naming it', async () => {
    const tarball = await hostileTarball('absolute', async (dir) => {
      await writeFile(join(dir, 'x'), 'x');
      return ['--transform=s,^x$,/etc/x,', 'x'];
    });
    await expect(openKubesprayRelease(tarball)).rejects.toThrow('/etc/x');
  });

  it('refuses a link leading outside the release, naming it, before anything is written to the bundle', async () => {
    const tarball = await hostileTarball('outside-link', async (dir) => {
      await symlink('../../outside', join(dir, 'kubespray-x/evil'));
      return [];
    });
    const escapes = {
      field: 'kubespray',
      i18n: {
        id: 'bundle.link-escapes',
        params: { path: 'kubespray/evil', target: '../../outside', root: 'kubespray' },
      },
    };
    await expect(openKubesprayRelease(tarball)).rejects.toMatchObject(escapes);
    const folder = join(work, 'outside-link-src', 'kubespray-x');
    const outDir = join(work, 'outside-link-bundle');
    await expect(buildFromFolder(folder, outDir)).rejects.toMatchObject(escapes);
    expect(existsSync(join(outDir, 'manifest.json'))).toBe(false);
    expect(existsSync(join(outDir, 'kubespray'))).toBe(false);
  });
});
