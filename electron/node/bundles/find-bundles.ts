import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { BundleManifestHeaderSchema, type BundleFolder, type BundleSearchResult } from '../../common/bundle';
import { describeFirstIssue } from '../../common/describe-issue';

export type BundleLocation = { path: string; source: BundleFolder['source'] };

const manifestFileName = 'manifest.json';
const signatureFileName = 'manifest.json.sig';
/** A manifest lists every file of a bundle; anything far larger is not one. */
const manifestMaxBytes = 64 * 1024 * 1024;

/** Lists bundle folders (folders holding a manifest.json) in each location and one level below it. */
export async function findBundles(locations: readonly BundleLocation[]): Promise<BundleSearchResult> {
  const searchedFolders: BundleSearchResult['searchedFolders'] = [];
  const bundles: BundleFolder[] = [];
  const seen = new Set<string>();
  for (const location of locations) {
    const path = resolve(location.path);
    if (seen.has(path)) continue;
    seen.add(path);
    const entries = await readdir(path, { withFileTypes: true }).catch(() => undefined);
    searchedFolders.push({ path, source: location.source, exists: entries !== undefined });
    if (!entries) continue;
    const candidates = [
      path,
      ...entries
        .filter((entry) => entry.isDirectory())
        .map((entry) => join(path, entry.name))
        .sort(),
    ];
    for (const candidate of candidates) {
      const bundle = await readBundleFolder(candidate, location.source);
      if (bundle) bundles.push(bundle);
    }
  }
  return { searchedFolders, bundles };
}

async function readBundleFolder(folder: string, source: BundleFolder['source']): Promise<BundleFolder | undefined> {
  const manifestPath = join(folder, manifestFileName);
  const manifestStat = await stat(manifestPath).catch(() => undefined);
  if (!manifestStat?.isFile()) return undefined;
  const hasSignature = (await stat(join(folder, signatureFileName)).catch(() => undefined))?.isFile() ?? false;
  const base = { path: folder, folderName: basename(folder), source, hasSignature };
  if (manifestStat.size > manifestMaxBytes) {
    return {
      ...base,
      manifest: {
        state: 'unreadable',
        problem: `manifest.json is ${manifestStat.size} bytes, over the ${manifestMaxBytes} byte limit.`,
      },
    };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(manifestPath, 'utf8'));
  } catch (error) {
    return {
      ...base,
      manifest: { state: 'unreadable', problem: `manifest.json is not valid JSON: ${(error as Error).message}` },
    };
  }
  const header = BundleManifestHeaderSchema.safeParse(raw);
  if (!header.success) {
    return {
      ...base,
      manifest: { state: 'unreadable', problem: `manifest.json ${describeFirstIssue(header.error).text}` },
    };
  }
  return { ...base, manifest: { state: 'readable', header: header.data } };
}
