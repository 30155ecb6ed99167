import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import {
  BundleVerificationResultSchema,
  type BundleVerificationResult,
  type Publisher,
  type VerificationMode,
} from '../../common/bundle-verification';
import { writeFileAtomic } from '../fs/write-file-atomic';
import type { BundleTreeFile } from './bundle-tree';

export const verificationCacheFileName = 'bundle-verifications.json';

const CacheEntrySchema = z.object({ key: z.string(), result: BundleVerificationResultSchema });
const CacheDocumentSchema = z.object({
  formatVersion: z.literal(1),
  bundles: z.record(z.string(), z.object({ full: CacheEntrySchema.optional(), quick: CacheEntrySchema.optional() })),
});
type CacheDocument = z.infer<typeof CacheDocumentSchema>;

/**
 * The key a result is valid for: the manifest's bytes, the trusted key that signed it, and every file's size and mtime.
 */
export function verificationCacheKey(
  manifestDigest: string,
  publisherFingerprint: string,
  tree: ReadonlyMap<string, BundleTreeFile>,
): string {
  const hash = createHash('sha256').update(`${manifestDigest}\n${publisherFingerprint}\n`);
  for (const path of [...tree.keys()].sort()) {
    const file = tree.get(path)!;
    hash.update(`${path}\0${file.size}\0${file.mtimeMs}\n`);
  }
  return hash.digest('hex');
}

/** Verification results per bundle folder, in the data folder, written atomically; one writer at a time per process. */
export class VerificationCache {
  private queue: Promise<unknown> = Promise.resolve();
  constructor(private readonly dataDir: string) {}

  private get path(): string {
    return join(this.dataDir, verificationCacheFileName);
  }

  private async read(): Promise<CacheDocument> {
    const text = await readFile(this.path, 'utf8').catch(() => undefined);
    if (text === undefined) return { formatVersion: 1, bundles: {} };
    try {
      return CacheDocumentSchema.parse(JSON.parse(text));
    } catch {
      // A damaged cache only costs one re-verification.
      return { formatVersion: 1, bundles: {} };
    }
  }

  /** A stored result whose key still matches; a full verified result also answers a quick check. */
  async lookup(bundlePath: string, mode: VerificationMode, key: string): Promise<BundleVerificationResult | undefined> {
    const entry = (await this.read()).bundles[resolve(bundlePath)];
    if (entry?.full && entry.full.key === key && (mode === 'full' || entry.full.result.outcome === 'verified'))
      return entry.full.result;
    if (mode === 'quick' && entry?.quick && entry.quick.key === key) return entry.quick.result;
    return undefined;
  }

  /** Who signed the bundle with this manifest, as a verification on this data folder found it, if one did. */
  async verifiedPublisher(manifestDigest: string): Promise<Publisher | undefined> {
    const results = Object.values((await this.read()).bundles).flatMap((entry) => [entry.full, entry.quick]);
    const verified = results.find(
      (entry) => entry?.result.outcome === 'verified' && entry.result.manifestDigest === manifestDigest,
    );
    return verified?.result.publisher ?? undefined;
  }

  store(bundlePath: string, key: string, result: BundleVerificationResult): Promise<void> {
    const next = this.queue.then(async () => {
      const document = await this.read();
      const path = resolve(bundlePath);
      document.bundles[path] = { ...document.bundles[path], [result.mode]: { key, result } };
      await mkdir(this.dataDir, { recursive: true });
      await writeFileAtomic(this.path, `${JSON.stringify(document)}\n`, 0o644);
    });
    // The caller of a failed write has its error; the queue only orders the writes, so the next one still runs.
    this.queue = next.catch(() => undefined);
    return next;
  }
}
