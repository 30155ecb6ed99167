import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  BundleManifestSchema,
  bundleFormatVersion,
  completeFiles,
  type BundleFileEntry,
  type BundleManifest,
} from '../../common/bundle-manifest';
import type {
  BundleRefusal,
  BundleVerificationProgress,
  BundleVerificationResult,
  Publisher,
  VerificationMode,
} from '../../common/bundle-verification';
import type { CoreMessageId, CoreMessageParams } from '../../common/core-messages';
import { describeFirstIssue } from '../../common/describe-issue';
import { formatCoreMessage } from '../i18n/format-core-message';
import { bundleLinkProblem } from './bundle-links';
import { BundleSignatureSchema, signatureMatches } from './bundle-signing';
import { findDeltaBase } from './delta-base';
import { manifestFileName, readBundleTree, signatureFileName, type BundleTreeFile } from './bundle-tree';
import { hashFiles, HashCancelledError, type HashTask } from './hash-worker-pool';
import type { TrustedKey } from './trusted-publishers';
import { verificationCacheKey, type VerificationCache } from './verification-cache';

export const manifestMaxBytes = 64 * 1024 * 1024;
const progressIntervalMs = 100;

export interface VerifyOptions {
  mode: VerificationMode;
  trustedKeys: readonly TrustedKey[];
  cache?: VerificationCache;
  signal?: AbortSignal;
  workers?: number;
  onProgress?(progress: BundleVerificationProgress): void;
}

/** One file on disk the manifest expects: a whole file or one part of a split one. */
interface ExpectedItem {
  path: string;
  size: number;
  sha256: string;
}

type SignedManifest =
  | { ok: true; manifest: BundleManifest; manifestBytes: Buffer; manifestDigest: string; publisher: Publisher }
  | { ok: false; refusal: BundleRefusal; manifestDigest: string | null };

/** A refusal whose detail comes from the core catalog: its English for the CLI, its id and values for the window. */
const refusal = (
  path: string,
  reason: BundleRefusal['reason'],
  id: CoreMessageId,
  params: CoreMessageParams = {},
): BundleRefusal => ({ path, reason, detail: formatCoreMessage(id, params), i18n: { id, params } });

/** A refusal in English only: the delta base's details compose other messages and have no id yet. */
const englishRefusal = (path: string, reason: BundleRefusal['reason'], detail: string): BundleRefusal => ({
  path,
  reason,
  detail,
});

/** Reads and checks the signature of a bundle's manifest; the manifest is trusted only when this returns it. */
export async function readSignedManifest(
  bundleDir: string,
  trustedKeys: readonly TrustedKey[],
): Promise<SignedManifest> {
  const read = await readManifestBytes(bundleDir);
  if ('refusal' in read) return { ok: false, refusal: read.refusal, manifestDigest: null };
  const { manifestBytes } = read;
  const manifestDigest = createHash('sha256').update(manifestBytes).digest('hex');
  const signed = await signingKey(bundleDir, manifestBytes, trustedKeys);
  if ('refusal' in signed) return { ok: false, refusal: signed.refusal, manifestDigest };
  const parsed = parseManifest(manifestBytes);
  if ('refusal' in parsed) return { ok: false, refusal: parsed.refusal, manifestDigest };
  const { key } = signed;
  return {
    ok: true,
    manifest: parsed.manifest,
    manifestBytes,
    manifestDigest,
    publisher: { name: key.name, fingerprint: key.fingerprint, source: key.source },
  };
}

/** manifest.json's bytes, refused when it is missing or over the size limit. */
async function readManifestBytes(bundleDir: string): Promise<{ manifestBytes: Buffer } | { refusal: BundleRefusal }> {
  const manifestInfo = await stat(join(bundleDir, manifestFileName)).catch(() => undefined);
  if (!manifestInfo?.isFile()) return { refusal: refusal(manifestFileName, 'missing', 'bundle.manifest-missing') };
  if (manifestInfo.size > manifestMaxBytes) {
    return {
      refusal: refusal(manifestFileName, 'unreadable-manifest', 'bundle.manifest-too-large', {
        size: manifestInfo.size,
        limit: manifestMaxBytes,
      }),
    };
  }
  return { manifestBytes: await readFile(join(bundleDir, manifestFileName)) };
}

/** The trusted key whose signature in manifest.json.sig matches the manifest's bytes. */
async function signingKey(
  bundleDir: string,
  manifestBytes: Buffer,
  trustedKeys: readonly TrustedKey[],
): Promise<{ key: TrustedKey } | { refusal: BundleRefusal }> {
  const refuse = (path: string, reason: BundleRefusal['reason'], id: CoreMessageId, params?: CoreMessageParams) => ({
    refusal: refusal(path, reason, id, params),
  });
  const signatureText = await readFile(join(bundleDir, signatureFileName), 'utf8').catch(() => undefined);
  if (signatureText === undefined) return refuse(signatureFileName, 'bad-signature', 'bundle.unsigned');
  let signatureJson: unknown;
  try {
    signatureJson = JSON.parse(signatureText);
  } catch {
    return refuse(signatureFileName, 'bad-signature', 'bundle.signature-not-json');
  }
  const signature = BundleSignatureSchema.safeParse(signatureJson);
  if (!signature.success)
    return refuse(signatureFileName, 'bad-signature', 'bundle.signature-invalid', {
      problem: describeFirstIssue(signature.error).text,
    });
  const key = trustedKeys.find((candidate) => candidate.fingerprint === signature.data.keyFingerprint);
  if (!key) {
    return refuse(signatureFileName, 'unknown-publisher', 'bundle.unknown-publisher', {
      fingerprint: signature.data.keyFingerprint,
    });
  }
  if (!signatureMatches(manifestBytes, signature.data, key.publicKey)) {
    return refuse(manifestFileName, 'bad-signature', 'bundle.signature-mismatch', {
      publisher: key.name,
      fingerprint: key.fingerprint,
    });
  }
  return { key };
}

/** The signed bytes as a manifest of a format this app reads, each path listed once. */
function parseManifest(manifestBytes: Buffer): { manifest: BundleManifest } | { refusal: BundleRefusal } {
  const refuse = (id: CoreMessageId, params?: CoreMessageParams) => ({
    refusal: refusal(manifestFileName, 'unreadable-manifest', id, params),
  });
  let manifestJson: unknown;
  try {
    manifestJson = JSON.parse(manifestBytes.toString('utf8'));
  } catch (error) {
    return refuse('bundle.manifest-not-json', { problem: (error as Error).message });
  }
  const version = (manifestJson as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && version > bundleFormatVersion) {
    return refuse('bundle.format-too-new', { version, supported: bundleFormatVersion });
  }
  const manifest = BundleManifestSchema.safeParse(manifestJson);
  if (!manifest.success) return refuse('bundle.manifest-invalid', { problem: describeFirstIssue(manifest.error).text });
  const repeated = repeatedPath(manifest.data);
  if (repeated !== undefined) return refuse('bundle.manifest-repeats-path', { path: repeated });
  return { manifest: manifest.data };
}

/** The first path (file, part or link) the manifest lists twice or under a reserved name. */
function repeatedPath(manifest: BundleManifest): string | undefined {
  const seen = new Set<string>();
  const linkPaths = (manifest.links ?? []).map((link) => link.path);
  const listed = [...manifest.files, ...(manifest.base?.files ?? [])];
  for (const file of [...listed, ...linkPaths.map((path) => ({ path, parts: undefined }))]) {
    for (const path of [file.path, ...(file.parts ?? []).map((part) => part.path)]) {
      if (path === manifestFileName || path === signatureFileName || seen.has(path)) return path;
      seen.add(path);
    }
  }
  return undefined;
}

function expectedItems(manifest: BundleManifest): ExpectedItem[] {
  return manifest.files.flatMap((file) =>
    file.parts ? file.parts : [{ path: file.path, size: file.size, sha256: file.sha256 }],
  );
}

/** Sizes and presence: missing, truncated, grown, extra. Returns the items whose size matches. */
function checkTree(
  items: readonly ExpectedItem[],
  tree: ReadonlyMap<string, BundleTreeFile>,
  refusals: BundleRefusal[],
): ExpectedItem[] {
  const sized: ExpectedItem[] = [];
  const expected = new Set(items.map((item) => item.path));
  for (const item of items) {
    const found = tree.get(item.path);
    const { path, size } = item;
    if (!found) refusals.push(refusal(path, 'missing', 'bundle.file-missing', { path, size }));
    else if (!found.regular) refusals.push(refusal(path, 'altered', 'bundle.not-regular-file', { path }));
    else if (found.size !== size)
      refusals.push(
        refusal(path, found.size < size ? 'truncated' : 'altered', 'bundle.size-differs', {
          path,
          size: found.size,
          expected: size,
        }),
      );
    else sized.push(item);
  }
  for (const path of [...tree.keys()].sort()) {
    if (!expected.has(path)) refusals.push(refusal(path, 'extra', 'bundle.file-extra', { path }));
  }
  return sized;
}

/** The recorded links (format 2): each must be well-placed and lead to what the bundle holds; none may lie on disk. */
function checkLinks(
  manifest: BundleManifest,
  tree: ReadonlyMap<string, BundleTreeFile>,
  refusals: BundleRefusal[],
): void {
  const links = manifest.links ?? [];
  const byPath = new Map(links.map((link) => [link.path, link.target]));
  // A delta's links may lead to files it reuses from its base.
  const files = new Set(completeFiles(manifest).map((file) => file.path));
  for (const link of links) {
    if (tree.has(link.path)) {
      refusals.push(refusal(link.path, 'altered', 'bundle.link-on-disk', { path: link.path }));
      continue;
    }
    const problem = bundleLinkProblem(link, byPath, files);
    if (problem) refusals.push(refusal(link.path, 'altered', problem.id, problem.params));
  }
}

/**
 * Hashes every sized file across worker threads, adding a refusal for each that cannot be read, changed size or has
 * another sha256; progress at most every progressIntervalMs. A cancel ends it early (`cancelled`).
 */
async function hashAgainstManifest(
  bundlePath: string,
  sized: readonly ExpectedItem[],
  options: VerifyOptions,
  refusals: BundleRefusal[],
  report: (progress: Omit<BundleVerificationProgress, 'bundlePath'>) => void,
): Promise<{ bytesHashed: number; filesDone: number; cancelled: boolean }> {
  const bytesTotal = sized.reduce((sum, item) => sum + item.size, 0);
  const byPath = new Map(sized.map((item) => [join(bundlePath, item.path), item]));
  const hashStarted = performance.now();
  let bytesHashed = 0;
  let filesDone = 0;
  let lastReport = 0;
  const reportHashing = (force: boolean) => {
    const now = performance.now();
    if (!force && now - lastReport < progressIntervalMs) return;
    lastReport = now;
    const seconds = (now - hashStarted) / 1000;
    const bytesPerSecond = seconds > 0 ? bytesHashed / seconds : 0;
    const etaSeconds = bytesPerSecond > 0 ? (bytesTotal - bytesHashed) / bytesPerSecond : null;
    report({
      phase: 'hashing',
      bytesDone: bytesHashed,
      bytesTotal,
      filesDone,
      filesTotal: sized.length,
      bytesPerSecond,
      etaSeconds,
    });
  };
  reportHashing(true);
  const tasks: HashTask[] = sized.map((item) => ({ path: join(bundlePath, item.path), size: item.size }));
  try {
    await hashFiles(tasks, {
      workers: options.workers,
      signal: options.signal,
      onProgress: (bytes) => {
        bytesHashed += bytes;
        reportHashing(false);
      },
      onResult: (task, outcome) => {
        filesDone += 1;
        const { path, size, sha256: expected } = byPath.get(task.path)!;
        if (!outcome.ok)
          refusals.push(refusal(path, 'missing', 'bundle.file-unreadable', { path, problem: outcome.message }));
        else if (outcome.bytes !== size)
          refusals.push(
            refusal(path, outcome.bytes < size ? 'truncated' : 'altered', 'bundle.size-changed-while-read', { path }),
          );
        else if (outcome.sha256 !== expected)
          refusals.push(refusal(path, 'altered', 'bundle.digest-differs', { path, sha256: outcome.sha256, expected }));
        reportHashing(false);
      },
    });
  } catch (error) {
    if (error instanceof HashCancelledError) return { bytesHashed, filesDone, cancelled: true };
    throw error;
  }
  reportHashing(true);
  return { bytesHashed, filesDone, cancelled: false };
}

/** A progress event outside the hashing: no rate, the bytes hashed so far as both done and total. */
function phaseProgress(
  phase: BundleVerificationProgress['phase'],
  filesDone: number,
  filesTotal: number,
  bytes: number,
  etaSeconds: number | null,
): Omit<BundleVerificationProgress, 'bundlePath'> {
  return { phase, bytesDone: bytes, bytesTotal: bytes, filesDone, filesTotal, bytesPerSecond: 0, etaSeconds };
}

/**
 * Verifies a bundle: the signature first (nothing else is trusted before it), then presence and sizes, then
 * (full mode) every file's sha256 across worker threads. Every problem is a refusal naming the file and reason.
 */
export async function verifyBundle(bundleDir: string, options: VerifyOptions): Promise<BundleVerificationResult> {
  const bundlePath = resolve(bundleDir);
  const started = performance.now();
  const finish = (
    fields: Partial<BundleVerificationResult> & Pick<BundleVerificationResult, 'outcome'>,
  ): BundleVerificationResult => ({
    bundlePath,
    mode: options.mode,
    manifestDigest: null,
    publisher: null,
    refusals: [],
    filesChecked: 0,
    bytesHashed: 0,
    fromCache: false,
    ...fields,
    durationMs: Math.round(performance.now() - started),
    finishedAt: new Date().toISOString(),
  });
  const report = (progress: Omit<BundleVerificationProgress, 'bundlePath'>) =>
    options.onProgress?.({ bundlePath, ...progress });

  report(phaseProgress('signature', 0, 0, 0, null));
  const signed = await readSignedManifest(bundlePath, options.trustedKeys);
  if (!signed.ok)
    return finish({ outcome: 'refused', manifestDigest: signed.manifestDigest, refusals: [signed.refusal] });
  const base = { manifestDigest: signed.manifestDigest, publisher: signed.publisher };

  const tree = await readBundleTree(bundlePath);
  const cacheKey = verificationCacheKey(signed.manifestDigest, signed.publisher.fingerprint, tree);
  // A delta's base is verified as part of it: its progress shows on the delta.
  const baseOptions: VerifyOptions = {
    ...options,
    onProgress: (progress) => options.onProgress?.({ ...progress, bundlePath }),
  };
  const withBase = async (own: BundleVerificationResult) =>
    (await joinedWithBase(own, signed.manifest, options.trustedKeys, (baseDir) => verifyBundle(baseDir, baseOptions)))!;
  const cached = await options.cache?.lookup(bundlePath, options.mode, cacheKey);
  if (cached) {
    report(phaseProgress('done', cached.filesChecked, cached.filesChecked, 0, 0));
    return withBase({ ...cached, mode: options.mode, fromCache: true });
  }

  const items = expectedItems(signed.manifest);
  report(phaseProgress('sizes', 0, items.length, 0, null));
  const checked = await checkFiles(bundlePath, signed.manifest, items, tree, options, report);
  const { refusals, bytesHashed } = checked;
  if (checked.cancelled)
    return finish({ ...base, outcome: 'cancelled', refusals, bytesHashed, filesChecked: checked.filesDone });

  refusals.sort((a, b) => a.path.localeCompare(b.path));
  const result = finish({
    ...base,
    outcome: refusals.length === 0 ? 'verified' : 'refused',
    refusals,
    bytesHashed,
    filesChecked: items.length,
  });
  report(phaseProgress('done', items.length, items.length, bytesHashed, 0));
  // The cache keeps the bundle's own result: its base is checked again each time, as it lies then.
  await options.cache?.store(bundlePath, cacheKey, result);
  return withBase(result);
}

/**
 * A delta's own result joined with its base's: verified only when the base beside it is the build it names, holds
 * every file the delta reuses, and verifies itself (`baseResult`: run or cached; undefined when there is none).
 */
async function joinedWithBase(
  own: BundleVerificationResult,
  manifest: BundleManifest,
  trustedKeys: readonly TrustedKey[],
  baseResult: (baseDir: string) => Promise<BundleVerificationResult | undefined>,
): Promise<BundleVerificationResult | undefined> {
  const base = manifest.base;
  if (!base || own.outcome !== 'verified') return own;
  const refused = (found: BundleRefusal): BundleVerificationResult => ({
    ...own,
    outcome: 'refused',
    refusals: [found],
  });
  const refuse = (detail: string) => refused(englishRefusal(base.bundleId, 'base', detail));
  const found = await findDeltaBase(own.bundlePath, base);
  if (!found.ok) return refused(refusal(base.bundleId, 'base', found.message.id, found.message.params));
  const signed = await readSignedManifest(found.dir, trustedKeys);
  if (!signed.ok) return refuse(`The base ${base.bundleId} in ${found.dir} is refused: ${signed.refusal.detail}`);
  if (signed.manifest.base)
    return refuse(
      `The base ${base.bundleId} is a delta itself: a delta is built on a full bundle (bundle build --base).`,
    );
  const stray = firstNotIn(base.files, signed.manifest.files);
  if (stray)
    return refused(
      englishRefusal(
        stray,
        'altered',
        `${stray} is reused from ${base.bundleId}, whose manifest has no such file with that size and sha256.`,
      ),
    );
  const result = await baseResult(found.dir);
  if (result?.outcome === 'cancelled') return { ...own, outcome: 'cancelled' };
  if (!result) return undefined;
  if (result.outcome === 'verified') return own;
  const first = result.refusals[0];
  return refuse(
    `The base ${base.bundleId} in ${found.dir} does not verify (${result.refusals.length} problem(s)${first ? `, first: ${first.path}: ${first.detail}` : ''}): verify it and fix it first.`,
  );
}

/** The first reused file the base's manifest does not list with the same size and sha256. */
function firstNotIn(reused: readonly BundleFileEntry[], baseFiles: readonly BundleFileEntry[]): string | undefined {
  const byPath = new Map(baseFiles.map((file) => [file.path, file]));
  return reused.find((file) => {
    const inBase = byPath.get(file.path);
    return inBase?.size !== file.size || inBase.sha256 !== file.sha256;
  })?.path;
}

/** Presence, sizes and links, then (full mode) every file's sha256: the refusals found, unsorted. */
async function checkFiles(
  bundlePath: string,
  manifest: BundleManifest,
  items: readonly ExpectedItem[],
  tree: ReadonlyMap<string, BundleTreeFile>,
  options: VerifyOptions,
  report: (progress: Omit<BundleVerificationProgress, 'bundlePath'>) => void,
): Promise<{ refusals: BundleRefusal[]; bytesHashed: number; filesDone: number; cancelled: boolean }> {
  const refusals: BundleRefusal[] = [];
  const sized = checkTree(items, tree, refusals);
  checkLinks(manifest, tree, refusals);
  if (options.mode !== 'full' || sized.length === 0)
    return { refusals, bytesHashed: 0, filesDone: 0, cancelled: false };
  return { refusals, ...(await hashAgainstManifest(bundlePath, sized, options, refusals, report)) };
}

/**
 * The stored result that still holds for the bundle as it lies now (signature re-read, every file's size and mtime
 * compared).
 */
export async function currentVerification(
  bundleDir: string,
  trustedKeys: readonly TrustedKey[],
  cache: VerificationCache,
  mode: VerificationMode,
): Promise<BundleVerificationResult | undefined> {
  const signed = await readSignedManifest(resolve(bundleDir), trustedKeys);
  if (!signed.ok) return undefined;
  const key = verificationCacheKey(
    signed.manifestDigest,
    signed.publisher.fingerprint,
    await readBundleTree(resolve(bundleDir)),
  );
  const cached = await cache.lookup(bundleDir, mode, key);
  if (!cached) return undefined;
  return joinedWithBase({ ...cached, fromCache: true }, signed.manifest, trustedKeys, (baseDir) =>
    currentVerification(baseDir, trustedKeys, cache, mode),
  );
}

/** What deploy asks: is this bundle, as it lies now, fully verified? */
export async function isBundleVerified(
  bundleDir: string,
  trustedKeys: readonly TrustedKey[],
  cache: VerificationCache,
): Promise<boolean> {
  return (await currentVerification(bundleDir, trustedKeys, cache, 'full'))?.outcome === 'verified';
}
