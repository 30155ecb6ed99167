import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as apt from '../../../../electron/node/bundles/build/apt-repository';
import { kubesprayPackages } from '../../../../electron/node/bundles/build/kubespray-packages';
import { generateSigningKey } from '../../../../electron/node/bundles/bundle-signing';
import { buildBundleCli, bundleBuildArgs } from '../../../support/bundle-cli';
import { aptTestCache, buildDebianBundle, openRealKubespray } from '../../../support/real-kubespray';

const run = promisify(execFile);

const cacheDir = aptTestCache;
const debian12 = { id: 'debian', version: '12' };

let release: { dir: string; cleanup: () => Promise<void> };
let wanted: string[];
let fetched: apt.FetchedPackages;
let workDir: string;

/** Package name → its stanza's fields, from a Packages index or a dpkg status. */
function stanzas(text: string): Map<string, Record<string, string>> {
  const byName = new Map<string, Record<string, string>>();
  for (const block of text.split(/\n\s*\n/)) {
    const fields = Object.fromEntries(
      [...block.matchAll(/^([\w-]+):[ \t]*(.*(?:\n[ \t].*)*)/gm)].map((match) => [match[1]!, match[2]!.trim()]),
    );
    if (fields.Package) byName.set(fields.Package, fields);
  }
  return byName;
}

/** Names a package list offers: each package and what it provides. */
function offered(packages: Map<string, Record<string, string>>): Set<string> {
  const names = new Set(packages.keys());
  for (const fields of packages.values())
    for (const provided of (fields.Provides ?? '').split(','))
      if (provided.trim()) names.add(provided.trim().split(/\s|\(/)[0]!);
  return names;
}

beforeAll(async () => {
  release = await openRealKubespray();
  wanted = await kubesprayPackages(release.dir, debian12);
  workDir = await mkdtemp(join(tmpdir(), 'airspray-os-packages-'));
  const sources = apt.sourcesForCodename(await apt.machineAptSources(), 'bookworm');
  fetched = await apt.fetchDebianPackages(
    new apt.IsolatedApt(join(cacheDir, 'debian-12-amd64'), 'amd64'),
    sources,
    wanted,
  );
}, 600_000);
afterAll(() => release?.cleanup());

describe('an apt repository of what kubespray installs on a minimal Debian 12', () => {
  it('holds every wanted package a minimal host lacks and all it depends on, and apt installs them from it alone', async () => {
    const repoDir = join(workDir, 'repo');
    await apt.writeAptRepository(
      repoDir,
      fetched.debs.map((deb) => deb.path),
      'debian-12',
    );
    const inRepo = stanzas(await readFile(join(repoDir, 'Packages'), 'utf8'));
    const minbase = stanzas(fetched.minbase);
    for (const name of wanted) expect(inRepo.has(name) || minbase.has(name), name).toBe(true);
    expect([...inRepo.keys()]).toEqual(
      expect.arrayContaining(['ipvsadm', 'mergerfs', 'socat', 'conntrack', 'python3-apt']),
    );
    // Every dependency of every package is in the repository or on the minimal host.
    const available = new Set([...offered(inRepo), ...offered(minbase)]);
    for (const [name, fields] of inRepo) {
      for (const group of [fields.Depends, fields['Pre-Depends']].filter(Boolean).flatMap((list) => list!.split(','))) {
        const alternatives = group.split('|').map((alternative) => alternative.trim().split(/[\s(:]/)[0]!);
        expect(
          alternatives.some((alternative) => available.has(alternative)),
          `${name} depends on ${group.trim()}`,
        ).toBe(true);
      }
    }
    // Release names Packages by its sha256.
    const packagesSha = createHash('sha256')
      .update(await readFile(join(repoDir, 'Packages')))
      .digest('hex');
    expect(await readFile(join(repoDir, 'Release'), 'utf8')).toContain(packagesSha);

    // apt on a minimal host with only this repository fetches the packages (checking each against Packages) and
    // resolves them.
    const host = new apt.IsolatedApt(join(workDir, 'host'), 'amd64');
    // copy: (not file:) so apt copies each .deb into its archives, checking it against Packages.
    await host.prepare(`deb [trusted=yes] copy:${repoDir} ./\n`, fetched.minbase);
    await host.run('apt-get', ['update']);
    await host.run('apt-get', ['install', '--download-only', '-y', ...wanted]);
    const downloaded = await readdir(host.archives);
    for (const name of ['ipvsadm', 'mergerfs', 'python3-apt'])
      expect(
        downloaded.some((file) => file.startsWith(`${name}_`)),
        name,
      ).toBe(true);
    await expect(
      apt.checkAptRepository(repoDir, wanted, fetched.minbase, join(workDir, 'check'), 'amd64'),
    ).resolves.toBeUndefined();
  }, 300_000);

  it('refuses a repository that misses a dependency, naming it', async () => {
    const ipvsadm = fetched.debs.find((deb) => deb.pkg.name === 'ipvsadm')!;
    const dependency = fetched.debs.find((deb) => deb.pkg.name.startsWith('libnl-genl-3'))!;
    expect(ipvsadm).toBeDefined();
    expect(dependency).toBeDefined();
    const repoDir = join(workDir, 'incomplete');
    await apt.writeAptRepository(
      repoDir,
      fetched.debs.filter((deb) => deb !== dependency).map((deb) => deb.path),
      'debian-12',
    );
    await expect(
      apt.checkAptRepository(repoDir, wanted, fetched.minbase, join(workDir, 'check-incomplete'), 'amd64'),
    ).rejects.toThrow(new RegExp(`lacks ${dependency.pkg.name} \\(needed by ipvsadm\\)`));
    // A wanted package the repository does not hold at all is named too.
    await expect(
      apt.checkAptRepository(
        repoDir,
        [...wanted, 'airspray-no-such-package'],
        fetched.minbase,
        join(workDir, 'check-unknown'),
        'amd64',
      ),
    ).rejects.toThrow(/lacks airspray-no-such-package/);
  }, 300_000);

  it('is a bundle build step: repos/debian-12 is in the signed manifest, and the cached .debs are not fetched again', async () => {
    const cached = fetched.debs.find((deb) => deb.pkg.name === 'mergerfs')!;
    const before = (await stat(cached.path)).mtimeMs;
    const { manifest } = await buildDebianBundle(join(workDir, 'bundle'), release.dir, 'os-packages-test');
    const paths = manifest.files.map((file) => file.path);
    expect(paths).toEqual(
      expect.arrayContaining(['repos/debian-12/Packages', 'repos/debian-12/Packages.gz', 'repos/debian-12/Release']),
    );
    const pool = manifest.files.filter((file) => file.path.startsWith('repos/debian-12/pool/'));
    expect(pool.map((file) => file.path.split('/').pop()).sort()).toEqual(
      fetched.debs.map((deb) => deb.path.split('/').pop()).sort(),
    );
    const mergerfs = pool.find((file) => file.path.endsWith(cached.path.split('/').pop()!))!;
    expect(mergerfs.sha256).toBe(
      createHash('sha256')
        .update(await readFile(cached.path))
        .digest('hex'),
    );
    expect((await stat(cached.path)).mtimeMs).toBe(before);
  }, 300_000);

  it('is what airspray bundle build --os debian-12 puts in repos/ from the release', async () => {
    const cli = await buildBundleCli(workDir);
    const publisher = generateSigningKey();
    await writeFile(join(workDir, 'publisher.pem'), publisher.privateKeyPem);
    // Empty lists: this test is about repos/, not the downloads.
    await writeFile(join(workDir, 'empty.list'), '');
    // The release's symbolic links resolved: a bundle holds only files and folders (copying the links is not this
    // test's subject).
    const releaseCopy = join(workDir, 'kubespray-2.23.3');
    await run('cp', ['-rL', release.dir, releaseCopy]);
    const outDir = join(workDir, 'cli-bundle');
    const args = bundleBuildArgs(
      outDir,
      releaseCopy,
      '--files-list',
      join(workDir, 'empty.list'),
      '--images-list',
      join(workDir, 'empty.list'),
      '--os-cache',
      cacheDir,
      '--key',
      join(workDir, 'publisher.pem'),
    );
    const result = await cli(...args);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`repos/debian-12: ${fetched.debs.length} packages`);
    const manifest = JSON.parse(await readFile(join(outDir, 'manifest.json'), 'utf8')) as {
      operatingSystems: unknown[];
      files: { path: string }[];
    };
    expect(manifest.operatingSystems).toEqual([debian12]);
    expect(manifest.files.filter((file) => file.path.startsWith('repos/debian-12/pool/'))).toHaveLength(
      fetched.debs.length,
    );
    expect(await readFile(join(outDir, 'repos/debian-12/Packages'), 'utf8')).toMatch(/^Package: ipvsadm$/m);
  }, 300_000);
});
