import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { z } from 'zod';
import type { BundleFileEntry, BundleImageEntry } from '../../../common/bundle-manifest';
import type { ImagePushProgress, ImagePushResult, PushedImage, RegistryUploadCounts } from '../../../common/deploy-api';
import { AirsprayError } from '../../../common/errors';
import { mapLimited } from '../../map-limited';
import { etaSeconds, RecentRate } from '../../progress-rate';
import { openBundleFile } from '../../bundles/bundle-parts';
import { planHarbor, type DeployContext } from '../deploy-context';
import {
  drain,
  readText,
  RegistrySession,
  targetFields,
  type RegistryResponse,
  type RegistryTarget,
} from './registry-session';
import { coreError } from '../../i18n/format-core-message';

export interface ImagePushOptions {
  bundleDir: string;
  /** The bundle's files, for blobs stored split in parts. */
  files: readonly BundleFileEntry[];
  images: readonly BundleImageEntry[];
  target: RegistryTarget & { project: string };
  signal?: AbortSignal;
  onProgress?(progress: ImagePushProgress): void;
  /**
   * Blobs up to this size go in one PUT; larger ones in PATCH chunks of this size (proxies in front of Harbor limit
   * bodies).
   */
  chunkBytes?: number;
  /** Blob uploads in flight at once. */
  parallel?: number;
}

const mediaTypes = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;
const acceptAll = Object.values(mediaTypes).join(', ');

const DescriptorSchema = z.object({
  mediaType: z.string().optional(),
  digest: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  size: z.number().int().nonnegative(),
});
const IndexSchema = z
  .object({ mediaType: z.string().optional(), manifests: z.array(DescriptorSchema.passthrough()) })
  .passthrough();
const ImageManifestSchema = z.object({
  mediaType: z.string().optional(),
  config: DescriptorSchema,
  layers: z.array(DescriptorSchema),
});

interface Blob {
  digest: string;
  size: number;
}
interface ManifestToPush {
  reference: string;
  bytes: Buffer;
  mediaType: string;
  digest: string;
}
interface ImagePlan {
  image: BundleImageEntry;
  repository: string;
  blobs: Blob[];
  /** Children (by digest) first, the top manifest (by tag) last. */
  manifests: ManifestToPush[];
}

const blobPath = (digest: string) =>
  `images/docker/registry/v2/blobs/sha256/${digest.slice(7, 9)}/${digest.slice(7)}/data`;
const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const isIndex = (mediaType: string) => mediaType === mediaTypes.ociIndex || mediaType === mediaTypes.dockerList;

/** The image push's progress as it reports it: counts, and the rate and ETA of the link as it is now. */
class Meter {
  private readonly recent = new RecentRate();
  bytesDone = 0;
  /** Only bytes that travelled: the rate and ETA follow these, not blobs the registry had. */
  bytesSent = 0;
  blobsDone = 0;
  blobsSkipped = 0;
  imagesDone = 0;

  constructor(
    private readonly totals: { bytes: number; blobs: number; images: number },
    private readonly onProgress?: (progress: ImagePushProgress) => void,
  ) {}

  emit(phase: ImagePushProgress['phase'], force = false): void {
    const now = Date.now();
    if (!this.onProgress || !this.recent.due(now, force)) return;
    const rate = this.recent.rate(now, this.bytesSent);
    this.onProgress({
      phase,
      bytesDone: this.bytesDone,
      bytesTotal: this.totals.bytes,
      blobsDone: this.blobsDone,
      blobsSkipped: this.blobsSkipped,
      blobsTotal: this.totals.blobs,
      imagesDone: this.imagesDone,
      imagesTotal: this.totals.images,
      rateBytesPerSecond: Math.round(rate),
      etaSeconds: phase === 'done' ? 0 : etaSeconds(this.totals.bytes - this.bytesDone, rate),
    });
  }
}

/** Reads a bundle blob whole (manifests and configs are small) and checks it against its digest. */
class BundleBlobs {
  private readonly entries: Map<string, BundleFileEntry>;
  constructor(
    private readonly bundleDir: string,
    files: readonly BundleFileEntry[],
  ) {
    this.entries = new Map(files.map((file) => [file.path, file]));
  }

  entry(digest: string): BundleFileEntry {
    const entry = this.entries.get(blobPath(digest));
    if (!entry) throw coreError('not_found', 'deploy.blob-missing', { digest, path: blobPath(digest) }, 'bundle');
    return entry;
  }

  has(digest: string): boolean {
    return this.entries.has(blobPath(digest));
  }

  async bytes(digest: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of openBundleFile(this.bundleDir, this.entry(digest)) as AsyncIterable<Buffer>)
      chunks.push(chunk);
    const bytes = Buffer.concat(chunks);
    if (sha256(bytes) !== digest) throw damaged(digest, sha256(bytes));
    return bytes;
  }

  /** The blob's bytes `start` to `end` (inclusive) as a stream; whole when no range is given. */
  stream(digest: string, range?: { start: number; end: number }): Readable {
    const entry = this.entry(digest);
    if (!range) return openBundleFile(this.bundleDir, entry);
    return createReadStream(join(this.bundleDir, entry.path), range);
  }

  async checkSize(blob: Blob): Promise<void> {
    const entry = this.entry(blob.digest);
    const size = entry.parts
      ? entry.parts.reduce((sum, part) => sum + part.size, 0)
      : (await stat(join(this.bundleDir, entry.path))).size;
    if (size !== blob.size)
      throw coreError(
        'conflict',
        'deploy.blob-size-differs',
        { digest: blob.digest, size, expected: blob.size },
        'bundle',
      );
  }
}

const damaged = (digest: string, actual: string) =>
  coreError('conflict', 'deploy.blob-changed', { digest, actual }, 'bundle');

/**
 * The blobs and manifests of each image; an index keeps only the platforms the bundle carries, as the registry checks
 * every child exists.
 */
async function planImages(
  blobs: BundleBlobs,
  images: readonly BundleImageEntry[],
  project: string,
): Promise<ImagePlan[]> {
  const plans: ImagePlan[] = [];
  for (const image of images) {
    const repository = `${project}/${image.repository}`;
    const top = await blobs.bytes(image.digest);
    const found = new Map<string, Blob>();
    const manifests: ManifestToPush[] = [];
    const addImageManifest = (bytes: Buffer) => {
      const manifest = ImageManifestSchema.parse(JSON.parse(bytes.toString('utf8')));
      for (const descriptor of [manifest.config, ...manifest.layers])
        found.set(descriptor.digest, { digest: descriptor.digest, size: descriptor.size });
      return manifest;
    };
    if (isIndex(image.mediaType)) {
      const index = IndexSchema.parse(JSON.parse(top.toString('utf8')));
      const present = index.manifests.filter((child) => blobs.has(child.digest));
      if (present.length === 0)
        throw coreError('not_found', 'deploy.image-no-platform', { image: image.reference }, 'bundle');
      for (const child of present) {
        const bytes = await blobs.bytes(child.digest);
        const manifest = addImageManifest(bytes);
        manifests.push({
          reference: child.digest,
          bytes,
          mediaType: manifest.mediaType ?? child.mediaType ?? mediaTypes.ociManifest,
          digest: child.digest,
        });
      }
      const bytes =
        present.length === index.manifests.length ? top : Buffer.from(JSON.stringify({ ...index, manifests: present }));
      manifests.push({ reference: image.tag, bytes, mediaType: image.mediaType, digest: sha256(bytes) });
    } else {
      addImageManifest(top);
      manifests.push({ reference: image.tag, bytes: top, mediaType: image.mediaType, digest: image.digest });
    }
    for (const blob of found.values()) await blobs.checkSize(blob);
    plans.push({ image, repository, blobs: [...found.values()], manifests });
  }
  return plans;
}

/** The registry's refusal of `what`, with its fix: the project and role on a 401/403, else the registry's answer. */
async function failure(
  response: RegistryResponse,
  what: PushStep,
  repository: string,
  target: ImagePushOptions['target'],
): Promise<AirsprayError> {
  const text = await readText(response).catch(() => '');
  const detail = text.trim().slice(0, 300);
  const params = { ...what, repository, status: response.status };
  if (response.status === 401 || response.status === 403) {
    const user = { userKnown: target.username ? 'yes' : 'no', user: target.username ?? '' };
    const harbor = { ...params, ...user, project: target.project };
    return coreError('invalid_params', 'deploy.image-push-refused', harbor, targetFields.project);
  }
  const answer = { ...params, hasDetail: detail ? 'yes' : 'no', detail };
  return coreError('conflict', 'deploy.image-push-failed', answer, targetFields.address);
}

/** Which request of a push the registry refused, and the blob or manifest it carried. */
interface PushStep {
  step: 'check' | 'start' | 'send' | 'close' | 'manifest';
  object: string;
}

const cancelled = () => coreError('cancelled', 'deploy.image-push-cancelled', {}, 'pushId');

/** Sends blobs and manifests over one registry session, counting what travelled and what the registry had. */
class RegistryUploads {
  readonly counts: RegistryUploadCounts = {
    blobsSent: 0,
    blobsMounted: 0,
    blobsSkipped: 0,
    manifestsSent: 0,
    manifestsSkipped: 0,
    bytesSent: 0,
  };
  /** A blob known to be in some repository of the registry: a mount from there saves sending it again. */
  private readonly knownIn = new Map<string, string>();

  constructor(
    private readonly session: RegistrySession,
    private readonly blobs: BundleBlobs,
    private readonly meter: Meter,
    private readonly options: Pick<ImagePushOptions, 'target' | 'signal'> & { chunkBytes: number },
  ) {}

  private url(path: string): URL {
    return new URL(path, this.session.origin);
  }

  private refused(response: RegistryResponse, what: PushStep, repository: string): Promise<AirsprayError> {
    return failure(response, what, repository, this.options.target);
  }

  /** Skipped when the registry has it, mounted when another repository of ours does, else sent. */
  async pushBlob(repository: string, blob: Blob): Promise<void> {
    const { session, meter, counts } = this;
    if (this.options.signal?.aborted) throw cancelled();
    const scope = `repository:${repository}:pull,push`;
    const head = await session.request(this.url(`/v2/${repository}/blobs/${blob.digest}`), { method: 'HEAD', scope });
    await drain(head);
    if (head.status === 200) {
      counts.blobsSkipped += 1;
      meter.blobsSkipped += 1;
      meter.bytesDone += blob.size;
    } else if (head.status !== 404) {
      throw await this.refused(head, { step: 'check', object: blob.digest }, repository);
    } else {
      await this.mountOrUpload(repository, scope, blob);
    }
    this.knownIn.set(blob.digest, repository);
    meter.blobsDone += 1;
    meter.emit('pushing');
  }

  private async mountOrUpload(repository: string, scope: string, blob: Blob): Promise<void> {
    const { session, meter, counts } = this;
    const from = this.knownIn.get(blob.digest);
    const start = from
      ? await session.request(
          this.url(`/v2/${repository}/blobs/uploads/?mount=${blob.digest}&from=${encodeURIComponent(from)}`),
          {
            method: 'POST',
            scope: `${scope} repository:${from}:pull`,
            headers: { 'content-length': 0 },
            body: Buffer.alloc(0),
          },
        )
      : await session.request(this.url(`/v2/${repository}/blobs/uploads/`), {
          method: 'POST',
          scope,
          headers: { 'content-length': 0 },
          body: Buffer.alloc(0),
        });
    await drain(start);
    if (start.status === 201) {
      counts.blobsMounted += 1;
      meter.blobsSkipped += 1;
      meter.bytesDone += blob.size;
    } else if (start.status === 202 && start.headers.location) {
      await this.upload(repository, scope, blob, new URL(start.headers.location, session.origin));
      counts.blobsSent += 1;
    } else {
      throw await this.refused(start, { step: 'start', object: blob.digest }, repository);
    }
  }

  /**
   * One PUT up to chunkBytes (or for a blob stored in parts), else PATCH chunks and a closing PUT; the sha256 checked
   * on the way.
   */
  private async upload(repository: string, scope: string, blob: Blob, location: URL): Promise<void> {
    const { session, blobs } = this;
    const hash = createHash('sha256');
    const entry = blobs.entry(blob.digest);
    let at = location;
    if (blob.size <= this.options.chunkBytes || entry.parts) {
      const put = await session.request(withDigest(at, blob), {
        method: 'PUT',
        scope,
        headers: { 'content-type': 'application/octet-stream', 'content-length': blob.size },
        body: this.counted(blobs.stream(blob.digest), hash),
      });
      checkDigest(blob, hash);
      if (put.status !== 201) throw await this.refused(put, { step: 'send', object: blob.digest }, repository);
      await drain(put);
      return;
    }
    for (let start = 0; start < blob.size; start += this.options.chunkBytes) {
      const end = Math.min(blob.size, start + this.options.chunkBytes) - 1;
      const patch = await session.request(at, {
        method: 'PATCH',
        scope,
        headers: {
          'content-type': 'application/octet-stream',
          'content-length': end - start + 1,
          'content-range': `${start}-${end}`,
        },
        body: this.counted(blobs.stream(blob.digest, { start, end }), hash),
      });
      if (patch.status !== 202)
        throw await this.refused(patch, { step: 'send', object: `${blob.digest} (${start}-${end})` }, repository);
      at = new URL(String(patch.headers.location), session.origin);
      await drain(patch);
    }
    checkDigest(blob, hash);
    const close = await session.request(withDigest(at, blob), {
      method: 'PUT',
      scope,
      headers: { 'content-length': 0 },
      body: Buffer.alloc(0),
    });
    if (close.status !== 201) throw await this.refused(close, { step: 'close', object: blob.digest }, repository);
    await drain(close);
  }

  /** The bytes as they go: hashed and counted in the progress. */
  private counted(source: Readable, hash: Hash): Readable {
    const { meter, counts } = this;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        meter.bytesDone += chunk.length;
        meter.bytesSent += chunk.length;
        counts.bytesSent += chunk.length;
        meter.emit('pushing');
        done(null, chunk);
      },
    });
    source.once('error', (error) => counter.destroy(error));
    return source.pipe(counter);
  }

  /** Skipped when the registry has this very manifest under the reference. */
  async pushManifest(repository: string, manifest: ManifestToPush): Promise<void> {
    if (this.options.signal?.aborted) throw cancelled();
    const scope = `repository:${repository}:pull,push`;
    const target = this.url(`/v2/${repository}/manifests/${manifest.reference}`);
    const head = await this.session.request(target, { method: 'HEAD', scope, headers: { accept: manifest.mediaType } });
    await drain(head);
    if (head.status === 200 && head.headers['docker-content-digest'] === manifest.digest) {
      this.counts.manifestsSkipped += 1;
      return;
    }
    const put = await this.session.request(target, {
      method: 'PUT',
      scope,
      headers: { 'content-type': manifest.mediaType },
      body: manifest.bytes,
    });
    if (put.status !== 201) throw await this.refused(put, { step: 'manifest', object: manifest.reference }, repository);
    await drain(put);
    this.counts.manifestsSent += 1;
  }
}

function withDigest(at: URL, blob: Blob): URL {
  const next = new URL(at);
  next.searchParams.set('digest', blob.digest);
  return next;
}

function checkDigest(blob: Blob, hash: Hash): void {
  const actual = `sha256:${hash.digest('hex')}`;
  if (actual !== blob.digest) throw damaged(blob.digest, actual);
}

/**
 * Pushes the bundle's images into Harbor (or any Distribution registry) under `<project>/<repository>`, the names
 * kubespray's `*_image_repo` variables resolve to once they point at `<address>/<project>`. Blobs the registry
 * has are skipped after a HEAD; the rest stream from the stick with their sha256 checked on the way; manifests go
 * last, children by digest before the tag.
 */
export async function pushImages(options: ImagePushOptions): Promise<ImagePushResult> {
  const started = Date.now();
  const { target, signal } = options;
  const blobs = new BundleBlobs(options.bundleDir, options.files);
  const session = new RegistrySession(target, signal);
  try {
    options.onProgress?.({
      phase: 'checking',
      bytesDone: 0,
      bytesTotal: 0,
      blobsDone: 0,
      blobsSkipped: 0,
      blobsTotal: 0,
      imagesDone: 0,
      imagesTotal: options.images.length,
      rateBytesPerSecond: 0,
      etaSeconds: null,
    });
    const plans = await planImages(blobs, options.images, target.project);
    await session.login();
    const meter = new Meter(
      {
        bytes: plans.reduce((sum, plan) => sum + plan.blobs.reduce((total, blob) => total + blob.size, 0), 0),
        blobs: plans.reduce((sum, plan) => sum + plan.blobs.length, 0),
        images: plans.length,
      },
      options.onProgress,
    );
    meter.emit('pushing', true);
    const uploads = new RegistryUploads(session, blobs, meter, {
      target,
      signal,
      chunkBytes: options.chunkBytes ?? 64 * 1024 * 1024,
    });
    const pushed: PushedImage[] = [];
    for (const plan of plans) {
      await mapLimited(plan.blobs, options.parallel ?? 3, (blob) => uploads.pushBlob(plan.repository, blob));
      for (const manifest of plan.manifests) await uploads.pushManifest(plan.repository, manifest);
      const top = plan.manifests.at(-1)!;
      pushed.push({
        reference: plan.image.reference,
        target: `${target.address}/${plan.repository}:${plan.image.tag}`,
        digest: top.digest,
        bundleDigest: plan.image.digest,
      });
      meter.imagesDone += 1;
      meter.emit('pushing', true);
    }
    const firstPlan = plans[0];
    const anonymousPull = firstPlan
      ? await session.anonymousPull(
          new URL(`/v2/${firstPlan.repository}/manifests/${firstPlan.image.tag}`, session.origin),
          `repository:${firstPlan.repository}:pull`,
          acceptAll,
        )
      : true;
    meter.emit('done', true);
    return {
      registry: `${target.address}/${target.project}`,
      images: pushed,
      blobsTotal: plans.reduce((sum, plan) => sum + plan.blobs.length, 0),
      ...uploads.counts,
      anonymousPull,
      seconds: (Date.now() - started) / 1000,
    };
  } catch (error) {
    if (signal?.aborted) throw cancelled();
    throw error;
  } finally {
    session.close();
  }
}

/** The project's bundle images into the plan's Harbor; `password` is used for this push only. */
export function pushProjectImages(
  context: DeployContext,
  password: string | undefined,
  options: Pick<ImagePushOptions, 'signal' | 'onProgress'> = {},
): Promise<ImagePushResult> {
  const { address, project, caCertificate, username } = planHarbor(context, 'deploy.images-need-harbor');
  return pushImages({
    bundleDir: context.bundleDir,
    files: context.manifest.files,
    images: context.manifest.images,
    target: { address, project, caCertificate, username, password },
    ...options,
  });
}
