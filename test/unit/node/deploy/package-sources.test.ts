import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  pointScript,
  restoreScript,
  sourcesOutcome,
  type SourcesPaths,
} from '../../../../electron/node/deploy/package-sources';
import type { ExecResult } from '../../../../electron/node/ssh/ssh-connection';

const host = { name: 'node2', address: '10.0.0.12' };
const baseUrl = 'http://10.0.0.11:8080/repos';
const originalList = 'deb http://deb.debian.org/debian bookworm main\n';
const originalSources =
  'Types: deb\nURIs: http://deb.debian.org/debian-security\nSuites: bookworm-security\nComponents: main\n';

/** A scratch /etc/apt with the host's own sources, an os-release, and an apt-get that succeeds or fails on demand. */
async function scratchHost(
  os = 'ID=debian\nVERSION_ID="12"\n',
): Promise<{ paths: SourcesPaths; bin: string; root: string }> {
  const root = await mkdtemp(join(tmpdir(), 'airspray-sources-'));
  const paths = {
    aptDir: join(root, 'etc/apt'),
    savedDir: join(root, 'var/lib/airspray/apt-sources'),
    osRelease: join(root, 'os-release'),
  };
  await mkdir(join(paths.aptDir, 'sources.list.d'), { recursive: true });
  await writeFile(join(paths.aptDir, 'sources.list'), originalList, { mode: 0o644 });
  await writeFile(join(paths.aptDir, 'sources.list.d', 'security.sources'), originalSources, { mode: 0o640 });
  await writeFile(paths.osRelease, os);
  const bin = join(root, 'bin');
  await mkdir(bin);
  await writeFile(
    join(bin, 'apt-get'),
    '#!/bin/sh\nif [ -n "$APT_FAILS" ]; then echo "E: Failed to fetch $APT_FAILS"; exit 100; fi\necho "Reading package lists..."\n',
  );
  await chmod(join(bin, 'apt-get'), 0o755);
  return { paths, bin, root };
}

function runScript(script: string, bin: string, env: Record<string, string> = {}): Promise<ExecResult> {
  return new Promise((resolve) => {
    execFile(
      'sh',
      ['-c', script],
      { env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, ...env } },
      (error, stdout, stderr) => {
        resolve({
          code: error ? ((error as NodeJS.ErrnoException & { code?: number }).code as unknown as number) : 0,
          stdout,
          stderr,
        });
      },
    );
  });
}

async function snapshot(aptDir: string): Promise<Record<string, { text: string; mode: number }>> {
  const files: Record<string, { text: string; mode: number }> = {};
  for (const path of [
    'sources.list',
    ...(await readdir(join(aptDir, 'sources.list.d'))).map((name) => `sources.list.d/${name}`),
  ]) {
    files[path] = { text: await readFile(join(aptDir, path), 'utf8'), mode: (await stat(join(aptDir, path))).mode };
  }
  return files;
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

describe("pointing a host's apt sources at the deploy node, and putting them back", () => {
  it("saves the sources aside, leaves one source for the host's OS, and restore puts them back byte for byte", async () => {
    const { paths, bin, root } = await scratchHost();
    const before = await snapshot(paths.aptDir);
    const pointed = sourcesOutcome(host, await runScript(pointScript(baseUrl, ['debian-12'], paths), bin), 'pointed');
    expect(pointed).toMatchObject({ ok: true, os: 'debian-12', url: `${baseUrl}/debian-12` });
    expect(pointed.saved.sort()).toEqual([
      join(paths.aptDir, 'sources.list'),
      join(paths.aptDir, 'sources.list.d/security.sources'),
    ]);
    expect(pointed.wrote).toEqual([join(paths.aptDir, 'sources.list.d/airspray-offline.list')]);
    expect(await readdir(join(paths.aptDir, 'sources.list.d'))).toEqual(['airspray-offline.list']);
    expect(await readFile(join(paths.aptDir, 'sources.list.d/airspray-offline.list'), 'utf8')).toBe(
      `deb [trusted=yes] ${baseUrl}/debian-12 ./\n`,
    );
    expect(await readFile(join(paths.aptDir, 'sources.list'), 'utf8')).not.toContain('deb ');

    // A second point keeps the first, true originals rather than saving Airspray's own source.
    const again = sourcesOutcome(host, await runScript(pointScript(baseUrl, ['debian-12'], paths), bin), 'pointed');
    expect(again.ok).toBe(true);
    expect(again.saved).toEqual([]);

    const restored = sourcesOutcome(host, await runScript(restoreScript(paths), bin), 'restored-all');
    expect(restored).toMatchObject({ ok: true });
    expect(restored.restored.sort()).toEqual(pointed.saved.sort());
    expect(await snapshot(paths.aptDir)).toEqual(before);
    expect(await exists(paths.savedDir)).toBe(false);
    await rm(root, { recursive: true, force: true });
  });

  it('puts the originals back when apt-get update cannot read the repository, and says which URL', async () => {
    const { paths, bin, root } = await scratchHost();
    const before = await snapshot(paths.aptDir);
    const outcome = sourcesOutcome(
      host,
      await runScript(pointScript(baseUrl, ['debian-12'], paths), bin, { APT_FAILS: `${baseUrl}/debian-12` }),
      'pointed',
    );
    expect(outcome.ok).toBe(false);
    expect(outcome.message).toContain(`apt-get update could not read ${baseUrl}/debian-12`);
    expect(outcome.message).toContain('E: Failed to fetch');
    expect(outcome.wrote).toEqual([]);
    expect(await snapshot(paths.aptDir)).toEqual(before);
    expect(await exists(paths.savedDir)).toBe(false);
    await rm(root, { recursive: true, force: true });
  });

  it('changes nothing on a host whose OS the bundle has no repository for', async () => {
    const { paths, bin, root } = await scratchHost('ID=ubuntu\nVERSION_ID="22.04"\n');
    const before = await snapshot(paths.aptDir);
    const outcome = sourcesOutcome(host, await runScript(pointScript(baseUrl, ['debian-12'], paths), bin), 'pointed');
    expect(outcome).toMatchObject({ ok: false, os: null, saved: [] });
    expect(outcome.message).toContain('ubuntu-22.04');
    expect(await snapshot(paths.aptDir)).toEqual(before);
    await rm(root, { recursive: true, force: true });
  });

  it('names the path a restore could not put back, and keeps the saved originals', async () => {
    const { paths, bin, root } = await scratchHost();
    expect(sourcesOutcome(host, await runScript(pointScript(baseUrl, ['debian-12'], paths), bin), 'pointed').ok).toBe(
      true,
    );
    // Something on the host replaced sources.list with a folder: the original cannot go back there.
    await rm(join(paths.aptDir, 'sources.list'));
    await mkdir(join(paths.aptDir, 'sources.list'));
    const outcome = sourcesOutcome(host, await runScript(restoreScript(paths), bin), 'restored-all');
    expect(outcome.ok).toBe(false);
    expect(outcome.message).toContain(`Could not restore ${join(paths.aptDir, 'sources.list')}`);
    expect(await readFile(join(paths.savedDir, 'sources.list'), 'utf8')).toBe(originalList);
    await rm(root, { recursive: true, force: true });
  });

  it('refuses a restore on a host Airspray never pointed', async () => {
    const { paths, bin, root } = await scratchHost();
    const outcome = sourcesOutcome(host, await runScript(restoreScript(paths), bin), 'restored-all');
    expect(outcome).toMatchObject({ ok: false, restored: [] });
    expect(outcome.message).toContain(`No saved sources at ${paths.savedDir}`);
    await rm(root, { recursive: true, force: true });
  });
});
