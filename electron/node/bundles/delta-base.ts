import { createHash } from 'node:crypto';
import { readFile, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join, posix, relative, resolve } from 'node:path';
import type { BundleBase } from '../../common/bundle';
import { BundleManifestSchema, type BundleFileEntry, type BundleManifest } from '../../common/bundle-manifest';
import { describeFirstIssue } from '../../common/describe-issue';
import { joinValues, type CoreMessage } from '../../common/core-messages';
import { manifestFileName } from './bundle-tree';
import { findBundles } from './find-bundles';
import { coreError } from '../i18n/format-core-message';

export type FoundBase = { ok: true; dir: string } | { ok: false; message: CoreMessage };

/** sha256 of a bundle folder's manifest.json bytes, as a delta records its base's. */
export async function manifestSha256(bundleDir: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(join(bundleDir, manifestFileName)))
    .digest('hex');
}

/**
 * The folder beside a delta (in the same parent folder: the stick's bundles/, the data folder's, --bundles-dir) that
 * holds its base: the bundle with the base's id whose manifest.json has the recorded sha256.
 */
export async function findDeltaBase(deltaDir: string, base: BundleBase): Promise<FoundBase> {
  const parent = dirname(resolve(deltaDir));
  const { bundles } = await findBundles([{ path: parent, source: 'option' }]);
  const named = bundles
    .filter((bundle) => bundle.manifest.state === 'readable' && bundle.manifest.header.bundleId === base.bundleId)
    .map((bundle) => resolve(bundle.path))
    .filter((path) => path !== resolve(deltaDir));
  for (const path of named) if ((await manifestSha256(path)) === base.manifestSha256) return { ok: true, dir: path };
  if (named.length === 0)
    return {
      ok: false,
      message: {
        id: 'bundle.base-not-beside',
        params: { base: base.bundleId, parent, sha256: base.manifestSha256 },
      },
    };
  return {
    ok: false,
    message: {
      id: 'bundle.base-other-manifest',
      params: { base: base.bundleId, sha256: base.manifestSha256, found: joinValues(named) },
    },
  };
}

/**
 * Where to read each of `manifest.files` (a complete manifest), relative to the bundle's folder: a file a delta reuses
 * lies in its base's folder beside it (`../<base folder>/…`, parts included); every other file in the bundle itself.
 */
export async function bundleFileSources(
  bundleDir: string,
  manifest: BundleManifest,
): Promise<Pick<BundleFileEntry, 'path' | 'parts'>[]> {
  if (!manifest.base) return manifest.files;
  const found = await findDeltaBase(bundleDir, manifest.base);
  if (!found.ok) throw coreError('not_found', found.message.id, found.message.params, 'bundle');
  const reused = new Set(manifest.base.files.map((file) => file.path));
  const inBase = (path: string) => join(relative(resolve(bundleDir), found.dir), path);
  return manifest.files.map((file) =>
    reused.has(file.path)
      ? {
          path: inBase(file.path),
          ...(file.parts ? { parts: file.parts.map((part) => ({ ...part, path: inBase(part.path) })) } : {}),
        }
      : file,
  );
}

/** The bundle a delta is built on: its manifest and that manifest's sha256. */
export interface DeltaBaseSource {
  manifest: BundleManifest;
  manifestSha256: string;
}

/**
 * The base `bundle build --base` names: a bundle folder, or the id of one beside the folder being built. It must be
 * a full bundle (a delta's base is never a delta).
 */
export async function readDeltaBase(pathOrId: string, outDir: string): Promise<DeltaBaseSource> {
  const dir = await baseFolder(pathOrId, outDir);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(join(dir, manifestFileName), 'utf8'));
  } catch (error) {
    throw coreError('invalid_params', 'bundleBuild.base-unreadable', { dir, detail: (error as Error).message }, 'base');
  }
  const manifest = BundleManifestSchema.safeParse(json);
  if (!manifest.success)
    throw coreError(
      'invalid_params',
      'bundleBuild.base-invalid',
      { dir, problem: describeFirstIssue(manifest.error).text },
      'base',
    );
  if (manifest.data.base)
    throw coreError('invalid_params', 'bundleBuild.base-is-delta', { dir, base: manifest.data.base.bundleId }, 'base');
  return { manifest: manifest.data, manifestSha256: await manifestSha256(dir) };
}

async function baseFolder(pathOrId: string, outDir: string): Promise<string> {
  if ((await stat(join(pathOrId, manifestFileName)).catch(() => undefined))?.isFile()) return resolve(pathOrId);
  const beside = dirname(resolve(outDir));
  const { bundles } = await findBundles([{ path: beside, source: 'option' }]);
  const named = bundles.filter(
    (bundle) => bundle.manifest.state === 'readable' && bundle.manifest.header.bundleId === pathOrId,
  );
  if (named.length === 1) return resolve(named[0]!.path);
  throw coreError(
    'not_found',
    'bundleBuild.base-not-found',
    { base: pathOrId, beside, count: named.length, paths: joinValues(named.map((bundle) => bundle.path)) },
    'base',
  );
}

/**
 * Splits a finished build's files against its base: a file the base holds byte-identical (same path, size and
 * sha256) is removed from the folder and listed as reused, as the base lists it. The kubespray release is always
 * carried whole: the app reads it from the bundle's own folder (the download check, the inventory).
 */
export async function splitOffBase(
  bundleDir: string,
  files: readonly BundleFileEntry[],
  base: DeltaBaseSource,
): Promise<{ files: BundleFileEntry[]; base: NonNullable<BundleManifest['base']> }> {
  const inBase = new Map(base.manifest.files.map((file) => [file.path, file]));
  const own: BundleFileEntry[] = [];
  const reused: BundleFileEntry[] = [];
  for (const file of files) {
    const same = inBase.get(file.path);
    if (file.kind === 'kubespray' || same?.size !== file.size || same.sha256 !== file.sha256) {
      own.push(file);
      continue;
    }
    for (const path of file.parts?.map((part) => part.path) ?? [file.path])
      await removeWithEmptyFolders(bundleDir, path);
    reused.push(same);
  }
  return {
    files: own,
    base: { bundleId: base.manifest.bundleId, manifestSha256: base.manifestSha256, files: reused },
  };
}

/** Removes a bundle file and the folders it leaves empty (a blob's two levels), so the stick holds no empty tree. */
async function removeWithEmptyFolders(bundleDir: string, path: string): Promise<void> {
  await rm(join(bundleDir, path));
  for (let folder = posix.dirname(path); folder !== '.'; folder = posix.dirname(folder)) {
    const removed = await rmdir(join(bundleDir, folder)).then(
      () => true,
      () => false,
    );
    if (!removed) return;
  }
}
