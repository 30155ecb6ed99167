import { cp, lstat, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import {
  BundleLinkSchema,
  deltaBundleFormatVersion,
  fullBundleFormatVersion,
  bundlePartBytes,
  type BundleImageEntry,
  type BundleLink,
  type BundleManifest,
} from '../../../common/bundle-manifest';
import { coreError } from '../../i18n/format-core-message';
import { writeFileAtomic } from '../../fs/write-file-atomic';
import type { BundleSignature } from '../bundle-signing';
import { bundleLinkProblem, readFolderLinks, refuseEscapingLinks } from '../bundle-links';
import { splitOffBase, type DeltaBaseSource } from '../delta-base';
import { manifestFileName, readBundleTree, signatureFileName } from '../bundle-tree';
import { collectFileEntries, writeSignedManifest, type FileFacts } from '../write-manifest';
import { downloadFile } from './http-download';
import { bundlePathForUrl, kubesprayVariableFor, networkPluginsIn, type ImageReference } from './kubespray-lists';
import { pullImage, RegistryStorage } from './oci-pull';

export type BuildProgress =
  | { kind: 'file'; url: string; state: 'start' | 'done' | 'skipped'; bytes?: number }
  | { kind: 'file-bytes'; url: string; bytes: number }
  | { kind: 'image'; reference: string; state: 'start' | 'done' | 'skipped'; digest?: string }
  | { kind: 'step'; name: string; state: 'start' | 'done' }
  | { kind: 'manifest'; state: 'hashing' | 'signed'; fingerprint?: string };

/**
 * A pluggable step that puts files into the bundle folder (Python wheels, OS repositories, tools); it returns the links
 * the manifest records.
 */
export interface BundleBuildStep {
  name: string;
  run(bundleDir: string, signal?: AbortSignal): Promise<readonly BundleLink[] | void>;
}

/**
 * Copies a prepared folder (the kubespray release, wheels, a deb/rpm repository, static tools) into the bundle.
 * Symbolic links are not copied (FAT32 has none) but returned for the manifest; one leaving kubespray/ is refused
 * first.
 */
export function copyFolderStep(
  name: string,
  source: string,
  target: 'kubespray' | 'python' | 'repos' | 'tools',
): BundleBuildStep {
  return {
    name,
    run: async (bundleDir) => {
      if (!(await stat(source).catch(() => undefined))?.isDirectory())
        throw coreError('not_found', 'bundleBuild.not-a-folder', { path: source }, target);
      const links = await readFolderLinks(source, target);
      refuseEscapingLinks(links);
      const copied = async (path: string) => !/(^|[/\\])\.git$/.test(path) && !(await lstat(path)).isSymbolicLink();
      await cp(source, join(bundleDir, target), { recursive: true, force: true, filter: copied });
      return links;
    },
  };
}

export interface BuildOptions {
  outDir: string;
  bundleId: string;
  kubespray: BundleManifest['kubespray'];
  kubernetesVersions: string[];
  architectures: BundleManifest['architectures'];
  operatingSystems: BundleManifest['operatingSystems'];
  files: readonly URL[];
  images: readonly ImageReference[];
  /** sha256 by URL (kubespray's published checksums); a download that does not match is refused. */
  checksums?: ReadonlyMap<string, string>;
  /** host → base URL to fetch that host's files or images from instead (a local mirror). */
  mirrors?: ReadonlyMap<string, string>;
  steps?: readonly BundleBuildStep[];
  /** Build a delta: only what this base does not hold byte-identical is kept (see splitOffBase). */
  base?: DeltaBaseSource;
  privateKeyPem: string;
  passphrase?: string;
  partBytes?: number;
  signal?: AbortSignal;
  onProgress?(event: BuildProgress): void;
}

const stateDirName = '.airspray-build';
const BuildStateSchema = z.object({
  files: z.record(z.string(), z.object({ sha256: z.string(), size: z.number() })),
  images: z.record(z.string(), z.custom<BundleImageEntry>()),
  steps: z.array(z.string()),
  links: z.array(BundleLinkSchema).default([]),
});
type BuildState = z.infer<typeof BuildStateSchema>;

const defaultRegistryBase = (registry: string) =>
  registry === 'docker.io' ? 'https://registry-1.docker.io' : `https://${registry}`;

/** What an interrupted build finished already, kept in .airspray-build/ of the folder being built. */
interface BuildRecord {
  state: BuildState;
  stateDir: string;
  save(): Promise<void>;
}

type Progress = (event: BuildProgress) => void;

/**
 * Builds a bundle folder: downloads, images, plugged-in steps, then the manifest and its signature. Finished
 * items are recorded in .airspray-build/ so an interrupted build resumes; the folder is removed at the end.
 */
export async function buildBundle(
  options: BuildOptions,
): Promise<{ manifest: BundleManifest; signature: BundleSignature }> {
  const { outDir } = options;
  const progress = options.onProgress ?? (() => undefined);
  const record = await openBuildRecord(outDir);
  const known = await downloadFiles(options, record, progress);
  const images = await pullImages(options, record, progress);
  for (const step of options.steps ?? []) {
    if (record.state.steps.includes(step.name)) continue;
    progress({ kind: 'step', name: step.name, state: 'start' });
    record.state.links.push(...((await step.run(outDir, options.signal)) ?? []));
    record.state.steps.push(step.name);
    await record.save();
    progress({ kind: 'step', name: step.name, state: 'done' });
  }

  // The build state is not part of the bundle: drop it before listing the files.
  await rm(record.stateDir, { recursive: true, force: true });
  for (const path of await blobPaths(outDir)) known.set(path, { sha256: path.split('/').at(-2)! });
  progress({ kind: 'manifest', state: 'hashing' });
  const allFiles = await collectFileEntries(outDir, known, options.partBytes ?? bundlePartBytes);
  const links = checkedLinks(record.state.links, allFiles);
  const { files, base } = options.base
    ? await splitOffBase(outDir, allFiles, options.base)
    : { files: allFiles, base: undefined };
  const manifest: BundleManifest = {
    formatVersion: base ? deltaBundleFormatVersion : fullBundleFormatVersion,
    bundleId: options.bundleId,
    createdAt: new Date().toISOString(),
    kubespray: options.kubespray,
    kubernetesVersions: options.kubernetesVersions,
    architectures: options.architectures,
    operatingSystems: options.operatingSystems,
    networkPlugins: networkPluginsIn(options.images),
    files,
    images,
    links,
    ...(base ? { base } : {}),
  };
  const signature = await writeSignedManifest(outDir, manifest, options.privateKeyPem, options.passphrase);
  progress({ kind: 'manifest', state: 'signed', fingerprint: signature.keyFingerprint });
  return { manifest, signature };
}

async function openBuildRecord(outDir: string): Promise<BuildRecord> {
  const stateDir = join(outDir, stateDirName);
  const statePath = join(stateDir, 'state.json');
  await mkdir(stateDir, { recursive: true });
  // A folder being built holds no manifest, so an interrupted or refused build never looks finished.
  await rm(join(outDir, manifestFileName), { force: true });
  await rm(join(outDir, signatureFileName), { force: true });
  const stateText = await readFile(statePath, 'utf8').catch(() => undefined);
  const state: BuildState = stateText
    ? BuildStateSchema.parse(JSON.parse(stateText))
    : { files: {}, images: {}, steps: [], links: [] };
  return { state, stateDir, save: () => writeFileAtomic(statePath, JSON.stringify(state), 0o644) };
}

/**
 * Every download, from its mirror when one is given; one already there at its recorded size is skipped. Returns the
 * facts of each by bundle path.
 */
async function downloadFiles(
  options: BuildOptions,
  record: BuildRecord,
  progress: Progress,
): Promise<Map<string, FileFacts>> {
  const { outDir } = options;
  const known = new Map<string, FileFacts>();
  for (const url of options.files) {
    const path = bundlePathForUrl(url);
    const facts: FileFacts = {
      url: url.href,
      ...(kubesprayVariableFor(url) ? { kubesprayVariable: kubesprayVariableFor(url) } : {}),
    };
    const done = record.state.files[url.href];
    if (done && (await stat(join(outDir, path)).catch(() => undefined))?.size === done.size) {
      known.set(path, { ...facts, sha256: done.sha256 });
      progress({ kind: 'file', url: url.href, state: 'skipped' });
      continue;
    }
    progress({ kind: 'file', url: url.href, state: 'start' });
    const mirror = options.mirrors?.get(url.host);
    const result = await downloadFile({
      url: mirror ? `${mirror.replace(/\/$/, '')}${url.pathname}${url.search}` : url.href,
      name: url.href,
      destination: join(outDir, path),
      partialPath: join(record.stateDir, 'partial', encodeURIComponent(url.href)),
      expectedSha256: options.checksums?.get(url.href),
      signal: options.signal,
      onBytes: (bytes) => progress({ kind: 'file-bytes', url: url.href, bytes }),
    });
    record.state.files[url.href] = result;
    await record.save();
    known.set(path, { ...facts, sha256: result.sha256 });
    progress({ kind: 'file', url: url.href, state: 'done', bytes: result.size });
  }
  return known;
}

/** Every image into the bundle's registry storage, from its mirror when one is given; one pulled already is skipped. */
async function pullImages(options: BuildOptions, record: BuildRecord, progress: Progress): Promise<BundleImageEntry[]> {
  const storage = new RegistryStorage(join(options.outDir, 'images'));
  const images: BundleImageEntry[] = [];
  for (const image of options.images) {
    const done = record.state.images[image.reference];
    if (done) {
      images.push(done);
      progress({ kind: 'image', reference: image.reference, state: 'skipped', digest: done.digest });
      continue;
    }
    progress({ kind: 'image', reference: image.reference, state: 'start' });
    const entry = await pullImage({
      image,
      baseUrl: options.mirrors?.get(image.registry) ?? defaultRegistryBase(image.registry),
      storage,
      architectures: options.architectures,
      signal: options.signal,
    });
    record.state.images[image.reference] = entry;
    await record.save();
    images.push(entry);
    progress({ kind: 'image', reference: image.reference, state: 'done', digest: entry.digest });
  }
  return images;
}

/** The steps' links, sorted, each refused (naming it) unless it leads to a file or folder the bundle holds. */
function checkedLinks(links: readonly BundleLink[], files: BundleManifest['files']): BundleLink[] {
  const byPath = new Map(links.map((link) => [link.path, link.target]));
  const paths = new Set(files.map((file) => file.path));
  for (const link of links) {
    const problem = bundleLinkProblem(link, byPath, paths);
    if (problem) throw coreError('invalid_params', problem.id, problem.params, 'kubespray');
  }
  return [...links].sort((a, b) => a.path.localeCompare(b.path));
}

/** Blob files are named by their sha256 (checked as they were written), so the manifest needs not hash them again. */
async function blobPaths(bundleDir: string): Promise<string[]> {
  const tree = await readBundleTree(bundleDir);
  return [...tree.keys()].filter((path) =>
    /^images\/docker\/registry\/v2\/blobs\/sha256\/[0-9a-f]{2}\/[0-9a-f]{64}\/data$/.test(path),
  );
}
